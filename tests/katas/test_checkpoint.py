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
from kata_harness.testing import assert_tensors_close, lesson, raises, raises_from, says, shape_of
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
    x = torch.rand(2, 1, 6, 6, generator=torch.Generator().manual_seed(0))
    expected = model(x).detach()
    call = f"save_whole_model(model, {path_type.__name__}(path)); loaded = torch.load(path, weights_only=False)"
    checkpoint.save_whole_model(model, path)
    loaded = torch.load(path, weights_only=False)
    assert type(loaded) is nn.Sequential, says(
        call=f"{call}; type(loaded)", returned=type(loaded).__name__, expected="Sequential",
        lesson=lesson("checkpoint.save_whole_holds_the_model"),
    )  # fmt: skip
    assert_tensors_close(
        loaded.eval()(x), expected,
        call=f"{call}; loaded.eval()(x)",
        lesson=lesson("checkpoint.save_whole_computes_the_same"),
    )  # fmt: skip


@pytest.mark.kata("checkpoint.save_whole_model")
def test_whole_model_needs_weights_only_false_since_torch_2_6(tmp_path):
    path = tmp_path / "model.pth"
    checkpoint.save_whole_model(small_model(), path)
    if TORCH_2_6:
        with raises(
            WEIGHTS_ONLY_REFUSAL,
            call="save_whole_model(model, path); torch.load(path)",
            lesson=lesson("checkpoint.default_load_refuses_a_module"),
        ):
            torch.load(path)  # the default is weights_only=True: a pickled module is refused
    else:
        loaded = torch.load(path)  # before 2.6 the default unpickled anything
        assert isinstance(loaded, nn.Module), says(
            call="save_whole_model(model, path); type(torch.load(path))", returned=type(loaded).__name__,
            expected="nn.Module", lesson=lesson("checkpoint.old_default_load_gives_a_module"),
        )  # fmt: skip
    with raises(
        WEIGHTS_ONLY_REFUSAL,
        call="save_whole_model(model, path); torch.load(path, weights_only=True)",
        lesson=lesson("checkpoint.weights_only_refuses_the_model"),
    ):
        torch.load(path, weights_only=True)
    loaded = torch.load(path, weights_only=False)
    assert isinstance(loaded, nn.Module), says(
        call="save_whole_model(model, path); type(torch.load(path, weights_only=False))",
        returned=type(loaded).__name__, expected="nn.Module", lesson=lesson("checkpoint.weights_only_false_gives_a_module"),
    )  # fmt: skip


@pytest.mark.kata("checkpoint.load_whole_model")
@pytest.mark.parametrize("path_type", PATH_TYPES)
def test_load_whole_model_returns_the_model(tmp_path, path_type):
    model = trained_looking(small_model())
    path = tmp_path / "whole.pkl"
    torch.save(model, path)
    x = torch.rand(2, 1, 6, 6, generator=torch.Generator().manual_seed(0))
    expected = model(x).detach()
    call = f"torch.save(model, path); loaded = load_whole_model({path_type.__name__}(path))"
    loaded = checkpoint.load_whole_model(path_type(path))
    assert type(loaded) is nn.Sequential, says(
        call=f"{call}; type(loaded)", returned=type(loaded).__name__, expected="Sequential",
        lesson=lesson("checkpoint.load_whole_returns_the_model"),
    )  # fmt: skip
    assert_tensors_close(
        loaded.eval()(x), expected,
        call=f"{call}; loaded.eval()(x)",
        lesson=lesson("checkpoint.load_whole_computes_the_same"),
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
    assert set(modes.values()) == {mode}, says(
        call=f"torch.save(model.{mode}(), path); loaded = load_whole_model(path); "
        "{name: 'train' if m.training else 'eval' for name, m in loaded.named_modules()}",
        returned=repr(modes), expected=repr({name: mode for name in modes}),
        lesson=lesson("checkpoint.load_whole_keeps_the_mode", mode=mode),
    )  # fmt: skip


@pytest.mark.kata("checkpoint.load_whole_model")
def test_load_whole_model_passes_weights_only_false(tmp_path, load_calls):
    path = tmp_path / "whole.pth"
    torch.save(small_model(), path)
    checkpoint.load_whole_model(path)
    flags = [call.get("weights_only", "<not passed>") for call in load_calls]
    assert flags and all(flag is False for flag in flags), says(
        call="load_whole_model(path); [kwargs.get('weights_only') for kwargs in torch_load_calls]", returned=repr(flags),
        expected="[False]",
        lesson=lesson("checkpoint.load_whole_weights_only_false"),
    )  # fmt: skip


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
    call = (
        "torch.save(model, path); subprocess.run([sys.executable, '-c', "
        "'load_whole_model(path).eval()(torch.ones(1, 1, 6, 6))[0]'])"
    )
    assert done.returncode == 0 and got is not None, says(
        call=call, lesson=lesson("checkpoint.load_whole_in_a_fresh_process_failed") + "\n" + done.stderr[-1500:]
    )
    assert got == pytest.approx(expected, abs=1e-6), says(
        call=call, returned=repr(got), expected=repr(expected),
        lesson=lesson("checkpoint.load_whole_in_a_fresh_process_computes_the_same"),
    )  # fmt: skip


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
    loaded = checkpoint.load_whole_model(path)
    assert isinstance(loaded, lost_class.LostNet), says(
        call="torch.save(LostNet(), path); type(load_whole_model(path))", returned=type(loaded).__name__,
        expected="LostNet", lesson=lesson("checkpoint.load_whole_while_the_class_is_importable"),
    )  # fmt: skip
    if lost == "module":
        del sys.modules[lost_class.__name__]  # the module cannot be imported any more
    else:
        del lost_class.LostNet  # the module is there, the class is not
    raises_from(
        (ImportError, AttributeError), checkpoint.load_whole_model, path,
        call=(
            "del sys.modules['kata_lost_models']; load_whole_model(path)" if lost == "module"
            else "del kata_lost_models.LostNet; load_whole_model(path)"
        ),
        lesson=lesson("checkpoint.load_whole_needs_the_class"),
    )  # fmt: skip


# --- state_dict ------------------------------------------------------------------------------------


def read_state(path, call):
    """torch.load(path, weights_only=True), where a refusal is the learner's file's doing: say what the file holds."""
    __tracebackhide__ = True
    try:
        return torch.load(path, weights_only=True)
    except WEIGHTS_ONLY_REFUSAL as error:
        refused = type(error).__name__  # reported below, outside this except: torch's long text is not the point
    held = type(torch.load(path, weights_only=False)).__name__
    pytest.fail(
        says(
            call=f"{call}; torch.load(path, weights_only=True)",
            lesson=lesson("checkpoint.save_state_dict_refused", error=refused, held=held),
        ),
        pytrace=False,
    )


@pytest.mark.kata("checkpoint.save_state_dict")
@pytest.mark.parametrize("path_type", PATH_TYPES)
def test_save_state_dict_writes_only_tensors(tmp_path, path_type):
    model = trained_looking(small_model())
    path = tmp_path / "weights.pth"
    checkpoint.save_state_dict(model, path_type(path))
    state = read_state(path, f"save_state_dict(model, {path_type.__name__}(path))")
    call = f"save_state_dict(model, {path_type.__name__}(path)); state = torch.load(path, weights_only=True)"
    assert isinstance(state, dict), says(
        call=f"{call}; type(state)", returned=type(state).__name__, expected="dict",
        lesson=lesson("checkpoint.save_state_dict_is_a_dict"),
    )  # fmt: skip
    assert list(state) == list(model.state_dict()), says(
        call=f"{call}; list(state)", returned=repr(list(state)), expected=repr(list(model.state_dict())),
        lesson=lesson("checkpoint.save_state_dict_every_key"),
    )  # fmt: skip
    for key, value in model.state_dict().items():
        assert_tensors_close(
            state[key], value,
            call=f"{call}; state[{key!r}]",
            lesson=lesson("checkpoint.save_state_dict_values", key=repr(key)),
        )  # fmt: skip


@pytest.mark.kata("checkpoint.save_state_dict")
@pytest.mark.parametrize("suffix", [".pth", ".pt", ".pkl", ".anything"])
def test_save_state_dict_suffix_changes_nothing(tmp_path, suffix):
    model = small_model()
    path = tmp_path / f"weights{suffix}"
    checkpoint.save_state_dict(model, path)
    call = f"save_state_dict(model, 'weights{suffix}')"
    assert zipfile.is_zipfile(path), says(
        call=f"{call}; zipfile.is_zipfile('weights{suffix}')", returned="False", expected="True",
        lesson=lesson("checkpoint.save_state_dict_any_suffix_is_a_zip"),
    )  # fmt: skip
    keys = list(read_state(path, call))
    assert keys == list(model.state_dict()), says(
        call=f"{call}; list(torch.load('weights{suffix}', weights_only=True))", returned=repr(keys),
        expected=repr(list(model.state_dict())), lesson=lesson("checkpoint.save_state_dict_any_suffix_keys"),
    )  # fmt: skip


@pytest.mark.kata("checkpoint.load_state_dict_into")
@pytest.mark.parametrize("path_type", PATH_TYPES)
def test_load_state_dict_into_restores_the_weights(tmp_path, path_type):
    source, target = trained_looking(small_model()), small_model().eval()
    path = tmp_path / "weights.pth"
    torch.save(source.state_dict(), path)
    x = torch.rand(2, 1, 6, 6, generator=torch.Generator().manual_seed(0))
    expected = source(x).detach()
    call = f"torch.save(source.state_dict(), path); returned = load_state_dict_into(model, {path_type.__name__}(path))"
    returned = checkpoint.load_state_dict_into(target, path_type(path))
    assert returned is target, says(
        call=call, returned=shape_of(returned), expected="model",
        lesson=lesson("checkpoint.load_into_returns_the_model"),
    )  # fmt: skip
    assert_tensors_close(
        target(x), expected,
        call=f"{call}; model(x)",
        lesson=lesson("checkpoint.load_into_computes_the_same"),
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
        call="torch.save(state_dict, path); load_state_dict_into(model, path)",
        lesson=lesson("checkpoint.load_into_stays_strict", file_keys=list(saved), model_keys=list(other.state_dict())),
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
        lesson=lesson("checkpoint.load_state_dict_takes_a_dict"),
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
    call = (
        "os.environ['TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD'] = '1'; "
        f"torch.save({{'0.weight': ..., 'payload': _Exploit({marker.name!r})}}, path); "
        "load_state_dict_into(model, path)"
    )
    ran_the_files_code = says(
        call=f"{call}; os.path.exists({marker.name!r})", returned="True", expected="False",
        lesson=lesson("checkpoint.load_into_ran_the_files_code"),
    )  # fmt: skip
    try:
        raises_from(
            WEIGHTS_ONLY_REFUSAL, checkpoint.load_state_dict_into, small_model(), path,
            call=call,
            lesson=lesson("checkpoint.load_into_refuses_pickled_objects"),
        )  # fmt: skip
    except (AssertionError, pytest.fail.Exception):
        if not marker.exists():
            raise
    # The most specific observation first: the file's code ran (whether or not the load raised afterwards).
    assert not marker.exists(), ran_the_files_code
