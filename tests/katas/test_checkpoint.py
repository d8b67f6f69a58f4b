"""Kata 13 (katas/checkpoint.py): save and load the whole model and the state_dict, and load safely."""

import json
import os
import pickle
import subprocess
import sys
import textwrap
import zipfile

import pytest
import torch
from torch import nn
from torch.testing import assert_close

from kata_harness.paths import ROOT
from kata_harness.testing import raises
from kata_impl import checkpoint

TORCH_2_6 = tuple(int(p) for p in torch.__version__.split("+")[0].split(".")[:2]) >= (2, 6)


def small_model():
    return nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(2 * 4 * 4, 3))


class NotImportableElsewhere(nn.Module):
    """Defined in this test module, which a fresh interpreter cannot import."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)

    def forward(self, x):
        return self.fc(x)


def in_fresh_python(code):
    """Run code in a new interpreter that sees the same kata implementation; return (returncode, output)."""
    prelude = "from kata_harness.impl import activate_from_env; activate_from_env()\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)], capture_output=True, text=True, env=env, timeout=120
    )
    return done.returncode, done.stdout + done.stderr


# --- whole model -----------------------------------------------------------------------------------


@pytest.mark.kata("checkpoint.save_whole_model")
def test_save_whole_model_then_load_in_process(tmp_path):
    model = small_model().eval()
    path = tmp_path / "model.pth"
    checkpoint.save_whole_model(model, path)
    loaded = torch.load(path, weights_only=False)
    x = torch.rand(2, 1, 6, 6)
    assert type(loaded) is nn.Sequential, f"the file holds a {type(loaded).__name__}; expected the model object"
    assert_close(loaded.eval()(x), model(x), msg=lambda m: f"the reloaded model computes something else:\n{m}")


@pytest.mark.kata("checkpoint.save_whole_model")
def test_whole_model_needs_weights_only_false_since_torch_2_6(tmp_path):
    path = tmp_path / "model.pth"
    checkpoint.save_whole_model(small_model(), path)
    if TORCH_2_6:
        with raises(pickle.UnpicklingError, match="Weights only load failed"):
            torch.load(path)  # the default is weights_only=True: a pickled module is refused
    else:
        assert isinstance(torch.load(path), nn.Module)  # before 2.6 the default unpickled anything
    assert isinstance(torch.load(path, weights_only=False), nn.Module)


@pytest.mark.kata("checkpoint.load_whole_model")
def test_load_whole_model_in_a_fresh_process(tmp_path):
    model = small_model().eval()
    path = tmp_path / "whole.pkl"
    torch.save(model, path)
    expected = model(torch.ones(1, 1, 6, 6))[0].tolist()
    assert isinstance(checkpoint.load_whole_model(path), nn.Sequential), "first, in this process"
    code, output = in_fresh_python(f"""
        import torch
        from kata_impl import checkpoint
        model = checkpoint.load_whole_model({str(path)!r}).eval()
        import json; print(json.dumps(model(torch.ones(1, 1, 6, 6))[0].tolist()))
    """)
    assert code == 0, f"loading the whole model in a new interpreter failed:\n{output}"
    got = json.loads(output.strip().splitlines()[-1])
    assert got == pytest.approx(expected, abs=1e-6), f"the fresh process computed {got}; expected {expected}"


@pytest.mark.kata("checkpoint.load_whole_model")
def test_load_whole_model_needs_the_class_importable(tmp_path):
    path = tmp_path / "custom.pth"
    torch.save(NotImportableElsewhere(), path)
    assert isinstance(checkpoint.load_whole_model(path), NotImportableElsewhere), "loads where the class is importable"
    code, output = in_fresh_python(f"""
        from kata_impl import checkpoint
        checkpoint.load_whole_model({str(path)!r})
    """)
    assert code != 0 and ("Can't get attribute" in output or "No module named" in output), (
        f"a pickled model whose class cannot be imported must fail to load; the fresh process said:\n{output[-600:]}"
    )


# --- state_dict ------------------------------------------------------------------------------------


@pytest.mark.kata("checkpoint.save_state_dict")
def test_save_state_dict_writes_only_tensors(tmp_path):
    model = small_model()
    path = tmp_path / "weights.pth"
    checkpoint.save_state_dict(model, path)
    state = torch.load(path, weights_only=True)
    assert isinstance(state, dict), f"the file holds a {type(state).__name__}; expected the state_dict (a dict)"
    assert list(state) == list(model.state_dict()), f"keys {list(state)} differ from model.state_dict()'s"
    assert "1.running_mean" in state, "buffers such as BatchNorm's running statistics belong to the state_dict"
    for key, value in model.state_dict().items():
        assert_close(state[key], value, msg=f"saved {key} differs")


@pytest.mark.kata("checkpoint.save_state_dict")
@pytest.mark.parametrize("suffix", [".pth", ".pt", ".pkl", ".anything"])
def test_save_state_dict_suffix_changes_nothing(tmp_path, suffix):
    model = small_model()
    path = tmp_path / f"weights{suffix}"
    checkpoint.save_state_dict(model, path)
    assert zipfile.is_zipfile(path), f"torch.save writes a zip archive whatever the suffix; {path.name} is not one"
    assert list(torch.load(path, weights_only=True)) == list(model.state_dict())


@pytest.mark.kata("checkpoint.load_state_dict_into")
def test_load_state_dict_into_restores_the_weights(tmp_path):
    source, target = small_model().eval(), small_model().eval()
    path = tmp_path / "weights.pth"
    torch.save(source.state_dict(), path)
    returned = checkpoint.load_state_dict_into(target, path)
    assert returned is target, "load_state_dict_into must return the model it loaded into"
    x = torch.rand(2, 1, 6, 6)
    assert_close(target(x), source(x), msg=lambda m: f"after loading, the two models must compute the same:\n{m}")


@pytest.mark.kata("checkpoint.load_state_dict_into")
def test_load_state_dict_into_in_a_fresh_process(tmp_path):
    model = small_model().eval()
    path = tmp_path / "weights.pkl"
    torch.save(model.state_dict(), path)
    expected = model(torch.ones(1, 1, 6, 6))[0].tolist()
    checkpoint.load_state_dict_into(small_model(), path)  # first, in this process
    code, output = in_fresh_python(f"""
        import torch
        from torch import nn
        from kata_impl import checkpoint
        model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(32, 3))
        model = checkpoint.load_state_dict_into(model, {str(path)!r}).eval()
        import json; print(json.dumps(model(torch.ones(1, 1, 6, 6))[0].tolist()))
    """)
    assert code == 0, f"loading the state_dict in a new interpreter failed:\n{output}"
    assert json.loads(output.strip().splitlines()[-1]) == pytest.approx(expected, abs=1e-6)


@pytest.mark.kata("checkpoint.load_state_dict_into")
def test_load_state_dict_into_refuses_another_architecture(tmp_path):
    path = tmp_path / "weights.pth"
    torch.save(small_model().state_dict(), path)
    with raises(RuntimeError, match="size mismatch|Missing key|Unexpected key"):
        checkpoint.load_state_dict_into(nn.Sequential(nn.Conv2d(1, 4, 3)), path)


@pytest.mark.kata("checkpoint.load_state_dict_into")
def test_load_state_dict_takes_a_dict_not_a_path(tmp_path):
    model = small_model()
    path = tmp_path / "weights.pth"
    torch.save(model.state_dict(), path)
    checkpoint.load_state_dict_into(model, path)
    with raises(TypeError, match="dict"):
        model.load_state_dict(str(path))


class _Exploit:
    """Unpickling this object creates a file: a stand-in for arbitrary code run by a malicious checkpoint."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.mark.kata("checkpoint.load_state_dict_into")
def test_load_state_dict_into_refuses_a_malicious_file(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "weights.pth"
    torch.save({"0.weight": torch.zeros(2, 1, 3, 3), "payload": _Exploit(str(marker))}, path)
    assert not marker.exists()
    with raises(pickle.UnpicklingError, match="Weights only load failed"):
        checkpoint.load_state_dict_into(small_model(), path)
    assert not marker.exists(), "loading the untrusted file ran its payload: load with weights_only=True"
