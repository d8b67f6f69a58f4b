"""Kata 13 (katas/checkpoint.py): save and load the whole model and the state_dict, and load safely."""

import json
import os
import pickle
import subprocess
import sys
import textwrap
import types
import zipfile
from pathlib import Path

import pytest
import torch
from torch import nn

from kata_harness.paths import ROOT
from kata_harness.testing import assert_tensors_close, raises, raises_from
from kata_impl import checkpoint

TORCH_2_6 = tuple(int(p) for p in torch.__version__.split("+")[0].split(".")[:2]) >= (2, 6)
# torch.load(..., weights_only=True) refuses a pickled object with pickle.UnpicklingError in the versions checked;
# RuntimeError is accepted too: what matters is that the file is refused, not how torch words or types it.
WEIGHTS_ONLY_REFUSAL = (pickle.UnpicklingError, RuntimeError)
PATH_TYPES = [pytest.param(str, id="str-path"), pytest.param(Path, id="pathlib-path")]


def small_model():
    return nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(2 * 4 * 4, 3))


def trained_looking(model):
    """Give BatchNorm running statistics that differ from a fresh model's, so forgetting buffers shows."""
    with torch.no_grad():
        model[1].running_mean.fill_(0.5)
        model[1].running_var.fill_(2.0)
    return model.eval()


@pytest.fixture
def load_calls(monkeypatch):
    """Record the keyword arguments of every torch.load call (a spy: the real torch.load still runs)."""
    calls = []
    real = torch.load

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(torch, "load", spy)
    monkeypatch.setattr(torch.serialization, "load", spy)
    return calls


RESULT = "kata-result: "


def in_fresh_python(code):
    """Run code in a new interpreter that sees the same kata implementation. Returns the CompletedProcess; the
    code reports with print(RESULT + json) on stdout, read apart from stderr (where warnings go)."""
    prelude = (
        "try:\n    from kata_harness.impl import activate_from_env\n    activate_from_env()\n"
        "except ImportError:\n    pass\n"
        f"RESULT = {RESULT!r}\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)], capture_output=True, text=True, env=env, timeout=120
    )


def reported(done):
    """The JSON value the fresh interpreter printed after RESULT, or None if it printed none."""
    lines = [line[len(RESULT) :] for line in done.stdout.splitlines() if line.startswith(RESULT)]
    return json.loads(lines[-1]) if lines else None


# --- whole model -----------------------------------------------------------------------------------


@pytest.mark.kata("checkpoint.save_whole_model")
@pytest.mark.parametrize("path_type", PATH_TYPES)
def test_save_whole_model_then_load_in_process(tmp_path, path_type):
    model = trained_looking(small_model())
    path = path_type(tmp_path / "model.pth")
    checkpoint.save_whole_model(model, path)
    loaded = torch.load(path, weights_only=False)
    assert type(loaded) is nn.Sequential, (
        f"Called save_whole_model(model, {path_type.__name__} path), then torch.load(path, weights_only=False). "
        f"The file holds a {type(loaded).__name__}, but the tests expected the model object (nn.Sequential)."
    )
    x = torch.rand(2, 1, 6, 6, generator=torch.Generator().manual_seed(0))
    assert_tensors_close(
        loaded.eval()(x), model(x),
        call=f"save_whole_model(model, {path_type.__name__} path), then torch.load(path, weights_only=False), "
        "the reloaded model on the same input",
        lesson="The file must hold the model object itself, architecture and weights (BatchNorm's running "
        "statistics included): the reloaded model computes what the saved one did.",
    )  # fmt: skip


@pytest.mark.kata("checkpoint.save_whole_model")
def test_whole_model_needs_weights_only_false_since_torch_2_6(tmp_path):
    path = tmp_path / "model.pth"
    checkpoint.save_whole_model(small_model(), path)
    if TORCH_2_6:
        with raises(
            WEIGHTS_ONLY_REFUSAL,
            call="save_whole_model(model, path), then torch.load(path)",
            lesson="since torch 2.6 the default, weights_only=True, refuses a pickled module.",
        ):
            torch.load(path)  # the default is weights_only=True: a pickled module is refused
    else:
        assert isinstance(torch.load(path), nn.Module)  # before 2.6 the default unpickled anything
    with raises(
        WEIGHTS_ONLY_REFUSAL,
        call="save_whole_model(model, path), then torch.load(path, weights_only=True)",
        lesson="the file holds the pickled model object, which weights_only=True refuses: reading it back needs "
        "weights_only=False.",
    ):
        torch.load(path, weights_only=True)
    assert isinstance(torch.load(path, weights_only=False), nn.Module)


@pytest.mark.kata("checkpoint.load_whole_model")
@pytest.mark.parametrize("path_type", PATH_TYPES)
def test_load_whole_model_returns_the_model(tmp_path, path_type):
    model = trained_looking(small_model())
    path = tmp_path / "whole.pkl"
    torch.save(model, path)
    loaded = checkpoint.load_whole_model(path_type(path))
    assert type(loaded) is nn.Sequential, (
        f"Called load_whole_model({path_type.__name__} path of a saved nn.Sequential). It returned "
        f"{type(loaded).__name__}, but the tests expected the model object."
    )
    x = torch.rand(2, 1, 6, 6, generator=torch.Generator().manual_seed(0))
    assert_tensors_close(
        loaded.eval()(x), model(x),
        call=f"load_whole_model({path_type.__name__} path of a saved nn.Sequential), "
        "the loaded model on the same input",
        lesson="load_whole_model must return the saved model, weights and buffers included: it computes what the "
        "saved one did.",
    )  # fmt: skip


@pytest.mark.kata("checkpoint.load_whole_model")
@pytest.mark.parametrize("mode", ["train", "eval"])
def test_load_whole_model_keeps_the_saved_mode(tmp_path, mode):
    # A model saved in the middle of training is in train mode: loading it must not decide for the caller.
    model = small_model().train(mode == "train")
    path = tmp_path / "whole.pth"
    torch.save(model, path)
    loaded = checkpoint.load_whole_model(path)
    modes = {name or "model": "train" if m.training else "eval" for name, m in loaded.named_modules()}
    assert set(modes.values()) == {mode}, (
        f"Called load_whole_model(path of an nn.Sequential saved in {mode} mode). The loaded modules are in the "
        f"modes {modes}, but the tests expected every one in {mode} mode: return the model as it was saved, and "
        "leave calling .eval() or .train() to the caller."
    )


@pytest.mark.kata("checkpoint.load_whole_model")
def test_load_whole_model_passes_weights_only_false(tmp_path, load_calls):
    path = tmp_path / "whole.pth"
    torch.save(small_model(), path)
    checkpoint.load_whole_model(path)
    flags = [call.get("weights_only", "not passed") for call in load_calls]
    assert flags and all(flag is False for flag in flags), (
        f"Called load_whole_model(path). torch.load was called with weights_only = {flags}, but the tests expected "
        "weights_only=False, passed explicitly: the default is True since torch 2.6 (a pickled module is refused) "
        "and was False before, so code that relies on it behaves differently on different versions."
    )


@pytest.mark.kata("checkpoint.load_whole_model")
def test_load_whole_model_in_a_fresh_process(tmp_path):
    model = trained_looking(small_model())
    path = tmp_path / "whole.pkl"
    torch.save(model, path)
    expected = model(torch.ones(1, 1, 6, 6))[0].tolist()
    checkpoint.load_whole_model(path)  # first, in this process: a plain failure is easier to read here
    done = in_fresh_python(f"""
        import json
        import torch
        from kata_impl import checkpoint
        model = checkpoint.load_whole_model({str(path)!r}).eval()
        print(RESULT + json.dumps(model(torch.ones(1, 1, 6, 6))[0].tolist()))
    """)
    got = reported(done)
    assert done.returncode == 0 and got is not None, (
        f"Called load_whole_model(path) in a new interpreter (another program, where only torch and the class's "
        f"module are importable). It failed:\n{done.stderr[-1500:]}"
    )
    assert got == pytest.approx(expected, abs=1e-6), f"the fresh process computed {got}; expected {expected}"


@pytest.fixture
def lost_class(monkeypatch):
    """A model class living in a module that exists only while the file is saved - like a class defined in the
    training script, loaded later by another program."""
    module = types.ModuleType("kata_lost_models")

    class LostNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 2)

        def forward(self, x):
            return self.fc(x)

    LostNet.__module__ = module.__name__
    LostNet.__qualname__ = "LostNet"
    module.LostNet = LostNet
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module


@pytest.mark.kata("checkpoint.load_whole_model")
@pytest.mark.parametrize("lost", ["module", "class"])
def test_load_whole_model_needs_the_class_importable(tmp_path, lost_class, lost):
    path = tmp_path / "custom.pth"
    torch.save(lost_class.LostNet(), path)
    assert isinstance(checkpoint.load_whole_model(path), lost_class.LostNet), "loads where the class is importable"
    if lost == "module":
        del sys.modules[lost_class.__name__]  # the module cannot be imported any more
    else:
        del lost_class.LostNet  # the module is there, the class is not
    raises_from(
        (ImportError, AttributeError), checkpoint.load_whole_model, path,
        call=f"load_whole_model(path) after the model's {lost} stopped being importable",
        lesson="a pickled model stores only where its class lives, not the class itself, so the class must be "
        "importable under the module path it was saved from. Let the error through.",
    )  # fmt: skip


# --- state_dict ------------------------------------------------------------------------------------


@pytest.mark.kata("checkpoint.save_state_dict")
@pytest.mark.parametrize("path_type", PATH_TYPES)
def test_save_state_dict_writes_only_tensors(tmp_path, path_type):
    model = trained_looking(small_model())
    path = tmp_path / "weights.pth"
    checkpoint.save_state_dict(model, path_type(path))
    state = torch.load(path, weights_only=True)
    assert isinstance(state, dict), (
        f"Called save_state_dict(model, {path_type.__name__} path). The file holds a {type(state).__name__}, but "
        "the tests expected the state_dict (a dict of tensors)."
    )
    assert list(state) == list(model.state_dict()), (
        f"Called save_state_dict(model, path). The file's keys are {list(state)}, but model.state_dict()'s are "
        f"{list(model.state_dict())}: buffers such as BatchNorm's running statistics belong to it too."
    )
    for key, value in model.state_dict().items():
        assert_tensors_close(
            state[key], value,
            call=f"save_state_dict(model, {path_type.__name__} path), "
            f"then torch.load(path, weights_only=True)[{key!r}]",
            lesson=f"The file must hold the model's state_dict: {key!r} as the model has it.",
        )  # fmt: skip


@pytest.mark.kata("checkpoint.save_state_dict")
@pytest.mark.parametrize("suffix", [".pth", ".pt", ".pkl", ".anything"])
def test_save_state_dict_suffix_changes_nothing(tmp_path, suffix):
    model = small_model()
    path = tmp_path / f"weights{suffix}"
    checkpoint.save_state_dict(model, path)
    assert zipfile.is_zipfile(path), f"torch.save writes a zip archive whatever the suffix; {path.name} is not one"
    assert list(torch.load(path, weights_only=True)) == list(model.state_dict())


@pytest.mark.kata("checkpoint.load_state_dict_into")
@pytest.mark.parametrize("path_type", PATH_TYPES)
def test_load_state_dict_into_restores_the_weights(tmp_path, path_type):
    source, target = trained_looking(small_model()), small_model().eval()
    path = tmp_path / "weights.pth"
    torch.save(source.state_dict(), path)
    returned = checkpoint.load_state_dict_into(target, path_type(path))
    assert returned is target, (
        f"Called load_state_dict_into(model, {path_type.__name__} path). It returned {type(returned).__name__}, "
        "but the tests expected the model it loaded into."
    )
    x = torch.rand(2, 1, 6, 6, generator=torch.Generator().manual_seed(0))
    assert_tensors_close(
        target(x), source(x),
        call=f"load_state_dict_into(model, {path_type.__name__} path of another model's state_dict), "
        "then both models on the same input",
        lesson="After loading, the model must hold the file's parameters and buffers, so both models compute the "
        "same.",
    )  # fmt: skip


@pytest.mark.kata("checkpoint.load_state_dict_into")
@pytest.mark.parametrize(
    "model",
    [
        pytest.param(lambda: nn.Sequential(*small_model(), nn.ReLU(), nn.Linear(3, 2)), id="layer-missing-from-file"),
        pytest.param(lambda: nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2)), id="layer-missing-from-model"),
        pytest.param(lambda: nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.Flatten(), nn.Linear(64, 3)),
                     id="layer-of-another-size"),
    ],
)  # fmt: skip
def test_load_state_dict_into_refuses_another_architecture(tmp_path, model):
    path = tmp_path / "weights.pth"
    saved = small_model().state_dict()
    torch.save(saved, path)
    other = model()
    raises_from(
        RuntimeError, checkpoint.load_state_dict_into, other, path,
        call=f"load_state_dict_into(model, path) with a model whose layers do not match the file's "
        f"(model keys {list(other.state_dict())}, file keys {list(saved)})",
        lesson="keep load_state_dict strict (its default): a file that does not fit the model raises RuntimeError "
        "instead of loading only part of the weights, or the model silently keeps random weights where the file "
        "had none.",
    )  # fmt: skip


@pytest.mark.kata("checkpoint.load_state_dict_into")
def test_load_state_dict_takes_a_dict_not_a_path(tmp_path):
    model = small_model()
    path = tmp_path / "weights.pth"
    torch.save(model.state_dict(), path)
    checkpoint.load_state_dict_into(model, path)
    with raises(
        TypeError,
        call="model.load_state_dict(str(path))",
        lesson="load_state_dict takes the dict, not the path: torch.load reads the file, load_state_dict takes what "
        "it returned.",
    ):
        model.load_state_dict(str(path))


class _Exploit:
    """Unpickling this object creates a file: a stand-in for arbitrary code run by a malicious checkpoint."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.mark.kata("checkpoint.load_state_dict_into")
def test_load_state_dict_into_refuses_a_malicious_file(tmp_path, monkeypatch):
    # Make torch.load's default the unsafe one (weights_only=False, as before torch 2.6; torch >= 2.6 reads this
    # variable only when weights_only is not passed), so that relying on the default fails on every version.
    monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")
    monkeypatch.delenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", raising=False)
    marker = tmp_path / "pwned"
    path = tmp_path / "weights.pth"
    torch.save({"0.weight": torch.zeros(2, 1, 3, 3), "payload": _Exploit(str(marker))}, path)
    assert not marker.exists()
    raises_from(
        WEIGHTS_ONLY_REFUSAL, checkpoint.load_state_dict_into, small_model(), path,
        call="load_state_dict_into(model, path of an untrusted file holding a pickled object) with torch.load's "
        "default made unsafe",
        lesson="pass weights_only=True to torch.load explicitly: it refuses anything but tensors and plain "
        "containers, so the load raises instead of running the file's code.",
    )  # fmt: skip
    assert not marker.exists(), (
        "Called load_state_dict_into(model, path of an untrusted file). Loading it ran the code hidden in the file; "
        "torch.load(path, weights_only=True) refuses such a file before anything in it runs. Pass weights_only=True "
        "explicitly: the default was False before torch 2.6."
    )
