"""Kata 14 (katas/training.py): training and testing loops, devices, the CIFAR10 pipeline and its command line.

The end-to-end tests train the note's network once on a CIFAR-10 stand-in (400 training images, 200 test
images, written in the real on-disk format and read by torchvision's CIFAR10 class), watched by spies: the
datasets, DataLoaders, SGD optimizer and SummaryWriter the pipeline builds, and every forward pass of the
model (training mode, grad mode, batch size). Each rule of the docstring is checked on what the spies saw
(the lr, the batch size, the shuffling, fresh gradients at every step, which split is trained on and which
is evaluated, the writer closed), not inferred from the accuracy. The accuracy bar, 60% after 5 epochs
(chance is 10%), only asks that the pipeline learns: the recipe (SGD, lr 0.01, batches of 10) reaches it
for every seed and thread count that ``python -m kata_harness.checks.seeds`` tries, with a wide margin.
"""

import copy
import inspect
import io
import re
import sys

import pytest
import torch
from torch import nn

from kata_harness.testing import training as training_support
from kata_harness.testing import assert_tensors_close, describe_call, raises_from, shape_of
from kata_harness.testing.training import ForwardWatcher, cuda_data_root, unmoved
from kata_impl import training

STANDIN, STANDIN_BAR, RECIPE = training_support.STANDIN, training_support.STANDIN_BAR, training_support.RECIPE


def small_problem(seed=0):
    return training_support.small_problem(seed, per_class=8, batch_size=8, dropout=0.3)


# --- move_batch ------------------------------------------------------------------------------------


@pytest.mark.kata("training.move_batch")
def test_move_batch_moves_images_and_labels():
    images, labels = torch.rand(4, 3, 2, 2), torch.tensor([0, 1, 2, 3])
    moved_images, moved_labels = training.move_batch(images, labels, torch.device("meta"))
    assert (moved_images.device.type, moved_labels.device.type) == ("meta", "meta"), (
        f"move_batch(images, labels, 'meta') returned images on {moved_images.device}, "
        f"labels on {moved_labels.device}: both must be moved (the loss compares outputs with labels on one device)"
    )
    assert (moved_images.shape, moved_labels.dtype) == (images.shape, torch.int64)


@pytest.mark.kata("training.move_batch")
@pytest.mark.parametrize("device", ["cpu", pytest.param("cuda", marks=pytest.mark.cuda)])  # the cuda case: GPU machines only
def test_move_batch_keeps_values(device):
    images, labels = torch.rand(2, 3, 4, 4), torch.tensor([7, 1])
    moved_images, moved_labels = training.move_batch(images, labels, device)
    assert moved_images.device.type == device and moved_labels.device.type == device
    assert_tensors_close(
        moved_images.cpu(), images,
        call=f"{describe_call(training.move_batch, images, labels, device)}, images brought back to the CPU",
        lesson="Moving a batch to a device changes where the images live, never their values.",
    )  # fmt: skip
    assert moved_labels.cpu().tolist() == [7, 1]


# --- train_one_epoch -------------------------------------------------------------------------------


@pytest.mark.kata("training.train_one_epoch")
def test_train_one_epoch_matches_a_reference_epoch():
    model, batches = small_problem()
    twin = copy.deepcopy(model)
    torch.manual_seed(1)  # Dropout draws from the global RNG: same seed for both runs
    losses = training.train_one_epoch(
        model, batches, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.3), "cpu"
    )
    torch.manual_seed(1)
    expected = training_support.reference_sgd(twin, batches, lr=0.3)
    assert isinstance(losses, list) and all(type(v) is float for v in losses), (
        f"train_one_epoch returned {shape_of(losses)} of {sorted({type(v).__name__ for v in losses})}, but the tests "
        "expected a list of Python floats: loss.item() turns each step's 0-d loss tensor into a number"
    )
    assert losses == pytest.approx(expected, rel=1e-5), (
        f"train_one_epoch returned step losses {losses}; a reference epoch gives {expected}. Was zero_grad forgotten "
        "(gradients accumulate), or a step missed?"
    )
    for (name, p), q in zip(model.named_parameters(), twin.parameters()):
        assert_tensors_close(
            p, q,
            call=f"train_one_epoch(model, 4 batches, nn.CrossEntropyLoss(), SGD(lr=0.3), 'cpu'), then parameter {name}",
            lesson="After one epoch every parameter must match a reference epoch: train mode, and for every batch "
            "clear the gradients before backward, compute the loss, backpropagate and step.",
        )  # fmt: skip


@pytest.mark.kata("training.train_one_epoch")
def test_train_one_epoch_clears_gradients_left_from_before():
    # The model arrives with stale gradients (a previous backward, an evaluation without no_grad...):
    # the first step must not apply them.
    model, batches = small_problem()
    twin = copy.deepcopy(model)
    for p in model.parameters():
        p.grad = torch.full_like(p, 5.0)
    torch.manual_seed(1)
    losses = training.train_one_epoch(
        model, batches, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.3), "cpu"
    )
    torch.manual_seed(1)
    expected = training_support.reference_sgd(twin, batches, lr=0.3)
    assert losses == pytest.approx(expected, rel=1e-5), (
        f"The model came with stale gradients (5.0 everywhere). train_one_epoch returned step losses {losses}; a "
        f"reference epoch gives {expected}. Clear the gradients before each backward (zero_grad first in the loop), "
        "not only after a step."
    )


@pytest.mark.kata("training.train_one_epoch")
def test_train_one_epoch_puts_the_model_in_training_mode():
    model, batches = small_problem()
    model.eval()
    watcher = ForwardWatcher(model)
    training.train_one_epoch(model, batches, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), "cpu")
    modes = [call["training"] for call in watcher.calls]
    assert modes and all(modes), f"forward ran with model.training = {modes}: call model.train() before the loop"


@pytest.mark.kata("training.train_one_epoch")
def test_train_one_epoch_moves_every_batch_to_the_device():
    model, batches = small_problem()
    wrapped = [(unmoved(x), unmoved(y)) for x, y in batches]
    losses = training.train_one_epoch(
        model, wrapped, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), "cpu"
    )
    assert len(losses) == 3


@pytest.mark.kata("training.train_one_epoch")
def test_train_one_epoch_reduces_the_loss_over_epochs():
    model, batches = small_problem()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.3)
    epochs = [training.train_one_epoch(model, batches, nn.CrossEntropyLoss(), optimizer, "cpu") for _ in range(15)]
    first, last = sum(epochs[0]) / 3, sum(epochs[-1]) / 3
    assert last < 0.6 * first, f"15 epochs took the mean loss from {first:.3f} to {last:.3f}"


# --- evaluate --------------------------------------------------------------------------------------


@pytest.mark.kata("training.evaluate")
def test_evaluate_accuracy_uses_the_class_dimension():
    # Three samples, three classes: argmax over dim 0 would also give three numbers - the wrong ones.
    logits = torch.tensor([[5.0, 1.0, 0.0], [4.0, 0.0, 9.0], [3.0, 8.0, 0.0]])
    labels = torch.tensor([0, 2, 1])
    accuracy, _ = training.evaluate(nn.Identity(), [(logits, labels)], nn.CrossEntropyLoss(), "cpu")
    assert accuracy == 1.0, f"evaluate gave accuracy {accuracy}; predictions are logits.argmax(dim=1) = [0, 2, 1]"


@pytest.mark.kata("training.evaluate")
def test_evaluate_averages_over_samples_not_batches():
    logits = torch.tensor([[2.0, 0.0], [0.0, 2.0], [2.0, 0.0], [2.0, 0.0], [0.0, 2.0]])
    labels = torch.tensor([0, 1, 1, 1, 1])
    batches = [(logits[:4], labels[:4]), (logits[4:], labels[4:])]  # sizes 4 and 1
    accuracy, mean_loss = training.evaluate(nn.Identity(), batches, nn.CrossEntropyLoss(), "cpu")
    expected_loss = nn.functional.cross_entropy(logits, labels).item()
    assert accuracy == pytest.approx(3 / 5), f"3 of 5 predictions are right; evaluate says {accuracy}"
    assert mean_loss == pytest.approx(expected_loss), (
        f"mean loss {mean_loss}; over the 5 samples it is {expected_loss} (averaging the two batch means would weigh "
        "the single-sample batch like the 4-sample one)"
    )


@pytest.mark.kata("training.evaluate")
def test_evaluate_returns_python_floats():
    logits = torch.tensor([[2.0, 0.0], [0.0, 2.0], [2.0, 0.0]])
    result = training.evaluate(nn.Identity(), [(logits, torch.tensor([0, 1, 1]))], nn.CrossEntropyLoss(), "cpu")
    types = [type(v).__name__ for v in result] if isinstance(result, tuple) else type(result).__name__
    assert isinstance(result, tuple) and len(result) == 2 and all(type(v) is float for v in result), (
        f"evaluate returned {result!r} (types {types}), but the tests expected a tuple of two Python floats: "
        "count with .item() (or .sum().item()), so that a 0-d tensor never leaks out"
    )


@pytest.mark.kata("training.evaluate")
def test_evaluate_uses_eval_mode_and_no_grad():
    model, batches = small_problem()
    watcher = ForwardWatcher(model)
    first = training.evaluate(model, batches, nn.CrossEntropyLoss(), "cpu")
    second = training.evaluate(model, batches, nn.CrossEntropyLoss(), "cpu")
    assert watcher.calls and not any(c["training"] for c in watcher.calls), (
        "Called evaluate(model, batches, CrossEntropyLoss(), 'cpu'). The model's forward ran in training mode, but "
        "the tests expected eval mode (Dropout off, BatchNorm on its running statistics): call model.eval() first"
    )
    assert not any(c["grad_enabled"] for c in watcher.calls), (
        "Called evaluate(model, batches, CrossEntropyLoss(), 'cpu'). The forward pass built an autograd graph, but "
        "the tests expected none: wrap evaluation in torch.no_grad() (or torch.inference_mode())"
    )
    assert first == second, f"two evaluations differ ({first} vs {second}): Dropout was active"


@pytest.mark.kata("training.evaluate")
def test_evaluate_moves_batches_and_leaves_weights_alone():
    model, batches = small_problem()
    before = copy.deepcopy(model.state_dict())
    accuracy, loss = training.evaluate(
        model, [(unmoved(x), unmoved(y)) for x, y in batches], nn.CrossEntropyLoss(), "cpu"
    )
    assert 0.0 <= accuracy <= 1.0 and loss > 0
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key]), f"evaluate changed {key}"
    assert all(p.grad is None for p in model.parameters()), "evaluate computed gradients"


# --- run_training (end to end, CPU) ----------------------------------------------------------------


@pytest.fixture(scope="module")
def spied_run(tmp_path_factory):
    """A small, quick run on the stand-in (20 images, 2 epochs), watched by spies: the rules that need no learning.

    Everything, the working directory included, lives under a temporary folder (see training_support.run_standin).
    """
    workdir = tmp_path_factory.mktemp("spied")
    quick = training_support.QUICK_STANDIN, training_support.QUICK_RECIPE
    return training_support.run_standin(training.run_training, workdir, seed=0, standin=quick[0], recipe=quick[1])


@pytest.fixture(scope="module")
def standin_run(tmp_path_factory):
    """Train once on the whole stand-in with the recipe (a few seconds): does the pipeline learn?"""
    return training_support.run_standin(training.run_training, tmp_path_factory.mktemp("standin"), seed=0)


def _holds(check, run):
    problem = check(run)
    assert problem is None, problem


@pytest.mark.kata("training.run_training")
def test_run_training_returns_one_float_accuracy_per_epoch(spied_run):
    _holds(training_support.check_returns_float_accuracies, spied_run)


@pytest.mark.kata("training.run_training")
def test_run_training_loads_both_splits_trains_on_train_and_evaluates_test(spied_run):
    _holds(training_support.check_splits, spied_run)


@pytest.mark.kata("training.run_training")
def test_run_training_batches_and_shuffles_the_training_set(spied_run):
    _holds(training_support.check_loaders, spied_run)


@pytest.mark.kata("training.run_training")
def test_run_training_steps_sgd_with_fresh_gradients(spied_run):
    _holds(training_support.check_optimizer, spied_run)


@pytest.mark.kata("training.run_training")
def test_run_training_logs_training_loss_per_step(spied_run):
    _holds(training_support.check_loss_log, spied_run)


@pytest.mark.kata("training.run_training")
def test_run_training_logs_test_accuracy_per_epoch(spied_run):
    _holds(training_support.check_accuracy_log, spied_run)


@pytest.mark.kata("training.run_training")
def test_run_training_writes_to_log_dir_and_closes_the_writer(spied_run):
    _holds(training_support.check_writer, spied_run)


@pytest.mark.kata("training.run_training")
def test_run_training_learns_the_standin(standin_run):
    # Last of the stand-in tests: the rules above say what is wrong more precisely than the accuracy.
    _holds(training_support.check_learns, standin_run)


@pytest.mark.kata("training.run_training")
@pytest.mark.parametrize(
    ("batch_size", "expected"),
    [(20, [20] * 5), (30, [30, 30, 30, 10]), (128, [100])],
    ids=["divides-the-split", "last-batch-smaller", "larger-than-the-split"],
)
def test_run_training_uses_lr_and_batch_size_and_no_writer_without_log_dir(cifar_root, monkeypatch, batch_size, expected):
    # The stand-in recipe's lr happens to be run_training's default: this run uses another value. The 100 training
    # images are cut into batches of batch_size, the last one smaller: every image is used once per epoch.
    with training_support.spying(monkeypatch, training.run_training) as record:
        training.run_training(cifar_root, epochs=1, batch_size=batch_size, lr=0.05, progress=False)
    call = f"Called run_training(<100 training images>, epochs=1, batch_size={batch_size}, lr=0.05)"
    lrs = [sgd.spy_lrs for sgd in record.optimizers]
    assert lrs == [[0.05]], (
        f"{call}. The SGD optimizers it built have the learning rates {lrs}, but the tests expected [[0.05]]."
    )
    train_batches = [batch for training_mode, _, batch in record.forwards if training_mode]
    assert train_batches == expected, (
        f"{call}. The model trained on batches of {train_batches}, but the tests expected {expected}: batches of "
        "batch_size, and every training image once per epoch - a last, smaller batch is trained on too (no "
        "drop_last)."
    )
    assert record.writers == [], (
        f"{call} without log_dir. It created a SummaryWriter anyway (it writes ./runs): log only when log_dir is given."
    )


@pytest.mark.kata("training.run_training")
def test_run_training_missing_data_fails_without_downloading(tmp_path, no_download):
    raises_from(
        RuntimeError, training.run_training, tmp_path / "nothing", epochs=1, progress=False,
        call="run_training(<a folder with no CIFAR10 in it>, epochs=1, progress=False)",
        lesson="torchvision's CIFAR10 downloads only when download is True (it is False by default): without the "
        "data it raises RuntimeError, which run_training lets through.",
    )  # fmt: skip


class AskedToDownload(Exception):
    """Raised by the fake downloader: the pipeline asked torchvision to download."""


@pytest.mark.kata("training.run_training")
def test_run_training_downloads_missing_data_when_asked(tmp_path, monkeypatch):
    import torchvision.datasets.cifar

    def fake_download(url, *args, **kwargs):
        raise AskedToDownload(url)

    monkeypatch.setattr(torchvision.datasets.cifar, "download_and_extract_archive", fake_download)
    call = "Called run_training(<a folder with no CIFAR10 in it>, epochs=1, download=True, progress=False)"
    try:
        training.run_training(tmp_path / "nothing", epochs=1, download=True, progress=False)
    except (NotImplementedError, AskedToDownload) as error:
        if isinstance(error, NotImplementedError):
            raise
        return
    except Exception as error:
        raise AssertionError(
            f"{call}. It raised {type(error).__name__}: {error}, but the tests expected it to ask torchvision to "
            "download the missing data (a fake downloader stands in for the network): download=True is passed on."
        ) from error
    pytest.fail(f"{call}. It returned without asking torchvision to download the missing data.")


@pytest.mark.kata("training.run_training")
@pytest.mark.parametrize("progress", [True, False, None], ids=["bar", "quiet", "not-a-terminal"])
def test_run_training_progress_bar(cifar_root, capsys, progress):
    training.run_training(cifar_root, epochs=1, batch_size=50, progress=progress)
    err = capsys.readouterr().err
    shown = "/2" in err  # tqdm shows "0/2", "1/2", "2/2" for the 2 batches of 50 training images
    expected = progress is True  # under pytest, stderr is captured: not a terminal
    assert shown == expected, (
        f"Called run_training(<100 images>, epochs=1, batch_size=50, progress={progress}). "
        f"A progress bar over the 2 training batches was {'shown' if shown else 'not shown'}, but the tests expected "
        f"{'one' if expected else 'none'} (stderr is not a terminal here). stderr was:\n{err[-400:]}"
    )


class TerminalStream(io.StringIO):
    """A stream that says it is a terminal (what sys.stderr is in an interactive shell)."""

    def isatty(self):
        return True


class PipeStream(io.StringIO):
    def isatty(self):
        return False


@pytest.mark.kata("training.run_training")
def test_run_training_progress_none_shows_a_bar_when_stderr_is_a_terminal(cifar_root, monkeypatch):
    stderr, stdout = TerminalStream(), PipeStream()
    monkeypatch.setattr(sys, "stderr", stderr)  # set before the call: a terminal now, whatever it was at import
    monkeypatch.setattr(sys, "stdout", stdout)
    training.run_training(cifar_root, epochs=1, batch_size=50)  # progress not given: None
    err = stderr.getvalue()
    assert "/2" in err, (
        "Called run_training(<100 images>, epochs=1, batch_size=50) without progress, with sys.stderr a terminal "
        "(and sys.stdout not one). No progress bar over the 2 training batches appeared on stderr, but the tests "
        "expected one: progress=None means 'show a bar when stderr is a terminal', asked at the time of the call. "
        f"stderr was:\n{err[-400:]}"
    )


@pytest.mark.kata("training.run_training")
def test_run_training_calls_on_epoch_after_each_epoch_before_the_next(cifar_root):
    events = []
    with training_support.on_phase(events.append):
        accuracies = training.run_training(
            cifar_root, epochs=2, batch_size=50, progress=False, on_epoch=lambda epoch, accuracy: events.append((epoch, accuracy))
        )  # fmt: skip
    expected = ["train", "eval", (1, accuracies[0]), "train", "eval", (2, accuracies[1])] if len(accuracies) == 2 else None
    assert events == expected, (
        "Called run_training(<100 images>, epochs=2, batch_size=50, on_epoch=<recorder>). Training, evaluation and the "
        f"on_epoch calls came in the order {events}, and it returned {accuracies}; the tests expected {expected}: "
        "on_epoch(epoch, accuracy) once per epoch (epoch from 1), right after that epoch's evaluation and before the "
        "next epoch trains, so that a caller can report each epoch as it ends."
    )


# --- main (the command line) -----------------------------------------------------------------------


def fake_run_training(monkeypatch, accuracies=(0.25, 0.5)):
    """Replace the run_training that main calls with one that records its arguments and returns ``accuracies``."""
    signature = inspect.signature(training.run_training)
    calls = []

    def fake(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        calls.append(dict(bound.arguments))
        for epoch, accuracy in enumerate(accuracies, start=1):
            if bound.arguments.get("on_epoch") is not None:
                bound.arguments["on_epoch"](epoch, accuracy)
        return list(accuracies)

    # The name main looks up, in its module's globals (through any decorator: a wrapper's are the decorator's module).
    monkeypatch.setitem(training_support.globals_of(training.main), "run_training", fake)
    return calls


@pytest.mark.kata("training.main")
def test_main_help_lists_the_options(capsys):
    with pytest.raises(SystemExit) as exit_info:
        training.main(["--help"])
    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    for option in ("--data", "--epochs", "--batch-size", "--lr", "--device", "--log-dir", "--download"):
        assert option in out, f"--help does not mention {option}:\n{out}"


@pytest.mark.kata("training.main")
@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--data", "d", "--epochs", "0"],
        ["--data", "d", "--epochs", "-3"],
        ["--data", "d", "--batch-size", "0"],
        ["--data", "d", "--lr", "0"],
        ["--data", "d", "--lr", "-0.1"],
        ["--data", "d", "--lr", "nan"],
        ["--data", "d", "--device", "gpu0"],
    ],
    ids=[
        "no-data", "zero-epochs", "negative-epochs", "zero-batch-size", "zero-lr", "negative-lr", "nan-lr", "bad-device",
    ],  # fmt: skip
)
def test_main_bad_arguments_are_usage_errors(monkeypatch, capsys, argv):
    calls = fake_run_training(monkeypatch)
    with pytest.raises(SystemExit) as exit_info:
        training.main(argv)
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and err and "Traceback" not in err and not calls, (
        f"Called main({argv}). It exited with {exit_info.value.code} after {len(calls)} call(s) of run_training; "
        f"stderr: {err[-300:]!r}. The tests expected a usage error (exit status 2, a message on stderr) before any "
        "training."
    )


@pytest.mark.kata("training.main")
@pytest.mark.parametrize("device", ["cuda", "cuda:0"])
def test_main_refuses_cuda_without_a_gpu(monkeypatch, capsys, device):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    calls = fake_run_training(monkeypatch)
    with pytest.raises(SystemExit) as exit_info:
        training.main(["--data", "d", "--device", device])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and "cuda" in err.lower() and not calls, (
        f"Called main(['--data', 'd', '--device', {device!r}]) with torch.cuda.is_available() False. It exited with "
        f"{exit_info.value.code} after {len(calls)} call(s) of run_training; stderr: {err[-300:]!r}. The tests "
        "expected a usage error (exit 2) that mentions CUDA, before any training: every cuda device (cuda, "
        "cuda:0, ...) needs CUDA."
    )


@pytest.mark.kata("training.main")
@pytest.mark.parametrize("cuda", [False, True], ids=["without-cuda", "with-cuda"])
def test_main_device_defaults_to_cuda_only_when_available(monkeypatch, capsys, cuda):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    calls = fake_run_training(monkeypatch)
    try:
        training.main(["--data", "d"])
    except SystemExit as exc:
        pytest.fail(
            f"Called main(['--data', 'd']) with torch.cuda.is_available() {cuda}. It exited with status {exc.code}: "
            "the default device must work here"
        )
    devices = [torch.device(call["device"]).type for call in calls]
    expected = "cuda" if cuda else "cpu"
    assert devices == [expected], (
        f"Called main(['--data', 'd']) with torch.cuda.is_available() {cuda}. run_training got the device(s) "
        f"{devices}, but the tests expected {expected!r}: decide the default when main runs."
    )


@pytest.mark.kata("training.main")
def test_main_passes_the_options_to_run_training(monkeypatch, capsys, tmp_path):
    calls = fake_run_training(monkeypatch)
    argv = [
        "--data", "dir", "--epochs", "3", "--batch-size", "7", "--lr", "0.5", "--device", "cpu", "--log-dir", "tb",
        "--download",
    ]  # fmt: skip
    assert training.main(argv) == 0
    training.main(["--data", "dir", "--device", "cpu"])
    got = [
        {
            key: (str(value) if key in ("data_root", "log_dir") and value is not None else value)
            for key, value in call.items()
            if key != "device"
        }
        for call in calls
    ]
    assert len(got) == 2, f"main called run_training {len(got)} times for two command lines"
    expected = [
        {"data_root": "dir", "epochs": 3, "log_dir": "tb", "batch_size": 7, "lr": 0.5, "download": True},
        {"data_root": "dir", "epochs": 10, "log_dir": None, "batch_size": 64, "lr": 0.01, "download": False},
    ]
    for call, want, args in zip(got, expected, [argv, ["--data", "dir", "--device", "cpu"]]):
        call.pop("progress", None)
        call.pop("on_epoch", None)
        assert call == want, f"Called main({args}). run_training got {call}, but the tests expected {want}."


@pytest.mark.kata("training.main")
def test_main_prints_one_line_per_epoch(monkeypatch, capsys):
    fake_run_training(monkeypatch, accuracies=(0.25, 0.5, 0.875))
    code = training.main(["--data", "d", "--epochs", "3", "--device", "cpu"])
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    parsed = [re.match(r"epoch (\d+): test accuracy ([0-9.]+)", line) for line in lines]
    got = [(int(m[1]), float(m[2])) if m else line for m, line in zip(parsed, lines)]
    assert code == 0 and got == [(1, 0.25), (2, 0.5), (3, pytest.approx(0.875, abs=5e-3))], (
        "Called main(['--data', 'd', '--epochs', '3']) with run_training returning [0.25, 0.5, 0.875]. It returned "
        f"{code} and printed {lines}, but the tests expected 0 and the lines 'epoch 1: test accuracy 0.25', ... "
        "(one per epoch, the accuracy as a fraction)."
    )


@pytest.mark.kata("training.main")
def test_main_writes_and_flushes_each_epochs_line_before_the_next_epoch(cifar_root, monkeypatch):
    stdout = training_support.PipedStdout()  # a pipe or a log file: not a terminal, block-buffered
    monkeypatch.setattr(sys, "stdout", stdout)
    argv = ["--data", "<100 images>", "--epochs", "3", "--device", "cpu", "--batch-size", "50"]
    received = []  # the epoch lines stdout had received (written and flushed) when each epoch began to train

    def count_lines(text):
        return len(re.findall(r"^epoch \d+: test accuracy", text, re.MULTILINE))

    with training_support.on_phase(lambda mode: received.append(count_lines(stdout.delivered)) if mode == "train" else None):
        code = training.main([str(cifar_root) if arg == "<100 images>" else arg for arg in argv])
    received.append(count_lines(stdout.delivered))
    unflushed = count_lines(stdout.pending)
    assert code == 0 and received == [0, 1, 2, 3], (
        f"Called main({argv}) with stdout a pipe (not a terminal: block-buffered). When epochs 1, 2 and 3 began "
        f"training, and when main returned ({code}), stdout had received {received} epoch line(s)"
        + (f", with {unflushed} more written but never flushed" if unflushed else "")
        + "; the tests expected [0, 1, 2, 3] and 0: print each epoch's line as soon as that epoch is evaluated (the "
        "on_epoch of run_training), with flush=True, or a user sees nothing until the whole run is over."
    )  # fmt: skip


@pytest.mark.kata("training.main")
def test_main_missing_data_exits_1_with_the_reason(tmp_path, capsys, no_download):
    code = training.main(["--data", str(tmp_path / "none"), "--epochs", "1", "--device", "cpu"])
    err = capsys.readouterr().err
    assert code == 1 and "not found" in err.lower() and "Traceback" not in err, (
        f"Called main(['--data', <empty folder>, '--epochs', '1']). It returned {code}; stderr: {err[-300:]!r}. "
        "The tests expected exit status 1 and torchvision's reason ('Dataset not found ...') on stderr."
    )


@pytest.mark.kata("training.main")
def test_main_trains_prints_and_logs(cifar_root, tmp_path, capsys):
    code = training.main(
        ["--data", str(cifar_root), "--epochs", "1", "--device", "cpu", "--log-dir", str(tmp_path / "tb"),
         "--batch-size", "50"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, f"main returned {code}"
    assert re.search(r"^epoch 1: test accuracy", out, re.MULTILINE), f"stdout:\n{out}"
    assert list((tmp_path / "tb").glob("events.out.tfevents.*")), "--log-dir got no TensorBoard file"


# --- CUDA (GPU runners) ----------------------------------------------------------------------------


@pytest.mark.cuda
@pytest.mark.kata("training.train_one_epoch")
def test_train_one_epoch_same_loss_on_cpu_and_cuda():
    model, batches = small_problem()
    model[2].p = 0.0  # no Dropout: CPU and GPU random streams differ
    gpu_model = copy.deepcopy(model).cuda()
    cpu_losses = training.train_one_epoch(
        model, batches[:1], nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), "cpu"
    )
    gpu_losses = training.train_one_epoch(
        gpu_model, batches[:1], nn.CrossEntropyLoss(), torch.optim.SGD(gpu_model.parameters(), lr=0.1), "cuda"
    )
    # GPU kernels may sum in another order (and TF32 matmuls): agree to about 1e-3, not bit for bit.
    assert gpu_losses == pytest.approx(cpu_losses, rel=1e-3, abs=1e-4), f"CPU {cpu_losses} vs CUDA {gpu_losses}"
    for p, q in zip(model.parameters(), gpu_model.parameters()):
        assert_tensors_close(
            q.cpu(), p, rtol=1e-3, atol=1e-4,
            call="train_one_epoch(gpu_model, 1 batch, ..., 'cuda'), a parameter brought back to the CPU",
            lesson="The same epoch on CUDA must move the parameters as on the CPU (to about 1e-3: GPU kernels may "
            "sum in another order).",
        )  # fmt: skip


@pytest.mark.cuda
@pytest.mark.kata("training.run_training")
def test_run_training_on_cuda_reaches_the_accuracy_bar(tmp_path_factory, monkeypatch, capsys, no_download):
    root, which, bar, epochs = cuda_data_root(tmp_path_factory, monkeypatch, STANDIN, STANDIN_BAR, RECIPE["epochs"])
    recipe = {} if which.startswith("real") else {"batch_size": RECIPE["batch_size"], "lr": RECIPE["lr"]}
    accuracies = training.run_training(root, epochs=epochs, device="cuda", progress=False, **recipe)
    with capsys.disabled():
        print(
            f"\n[cuda end-to-end, plain loop] data: {which}; test accuracy per epoch: "
            f"{[round(a, 4) for a in accuracies]}",
            file=sys.stderr,
        )
    assert accuracies[-1] >= bar, (
        f"on {which}, accuracy after {epochs} epochs is {accuracies[-1]:.2%}; the bar is {bar:.0%}"
    )
