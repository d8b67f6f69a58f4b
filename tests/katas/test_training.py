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
from kata_harness.testing import assert_tensors_close, describe_call, lesson, raises_from, says, shape_of
from kata_harness.testing.training import ForwardWatcher, cuda_data_root, unmoved
from kata_impl import training

STANDIN, STANDIN_BAR, RECIPE = training_support.STANDIN, training_support.STANDIN_BAR, training_support.RECIPE


def small_problem(seed=0):
    return training_support.small_problem(seed, per_class=8, batch_size=8, dropout=0.3)


@pytest.fixture
def no_download(monkeypatch):
    """Fail, in the learner's language, if torchvision tries to download anything (the tests are offline)."""
    import torchvision.datasets.cifar

    def refuse(url, *args, **kwargs):
        raise AssertionError(says(call=f"download_and_extract_archive({url!r}, ...)", lesson=lesson("training.never_download")))

    monkeypatch.setattr(torchvision.datasets.cifar, "download_and_extract_archive", refuse)


def must_move(tensor, call):
    """A batch tensor that must be moved before any computation; ``call`` names the kata's call in the failure."""
    return unmoved(tensor, explain=lambda operation: says(
        call=call, lesson=lesson("training.batch_not_moved", operation=operation)
    ))  # fmt: skip


def float_losses(losses, call):
    """Check the type first: a list of tensors that require grad would crash inside pytest.approx."""
    __tracebackhide__ = True
    kinds = sorted({type(v).__name__ for v in losses}) if isinstance(losses, list) else None
    assert isinstance(losses, list) and kinds in ([], ["float"]), says(
        call=call, returned=shape_of(losses) if kinds is None else f"list of {len(losses)} {kinds}",
        expected="list of float", lesson=lesson("training.epoch_float_losses"),
    )  # fmt: skip
    return losses


# --- move_batch ------------------------------------------------------------------------------------


@pytest.mark.kata("training.move_batch")
def test_move_batch_moves_images_and_labels():
    images, labels = torch.rand(4, 3, 2, 2), torch.tensor([0, 1, 2, 3])
    moved_images, moved_labels = training.move_batch(images, labels, torch.device("meta"))
    call = "images, labels = move_batch(torch.rand(4, 3, 2, 2), torch.tensor([0, 1, 2, 3]), torch.device('meta'))"
    devices = (moved_images.device.type, moved_labels.device.type)
    assert devices == ("meta", "meta"), says(
        call=f"{call}; (images.device.type, labels.device.type)", returned=repr(devices), expected="('meta', 'meta')",
        lesson=lesson("training.move_moves_both"),
    )  # fmt: skip
    got = (tuple(moved_images.shape), moved_labels.dtype)
    assert got == ((4, 3, 2, 2), torch.int64), says(
        call=f"{call}; (images.shape, labels.dtype)", returned=repr(got), expected="((4, 3, 2, 2), torch.int64)",
        lesson=lesson("training.move_keeps_shape_and_dtype"),
    )  # fmt: skip


@pytest.mark.kata("training.move_batch")
@pytest.mark.parametrize("device", ["cpu", pytest.param("cuda", marks=pytest.mark.cuda)])  # the cuda case: GPU machines only
def test_move_batch_keeps_values(device):
    images, labels = torch.rand(2, 3, 4, 4), torch.tensor([7, 1])
    expected_images = images.clone()
    moved_images, moved_labels = training.move_batch(images, labels, device)
    call = f"images, labels = {describe_call(training.move_batch, images, labels, device)}"
    devices = (moved_images.device.type, moved_labels.device.type)
    assert devices == (device, device), says(
        call=f"{call}; (images.device.type, labels.device.type)", returned=repr(devices),
        expected=repr((device, device)), lesson=lesson("training.move_to_the_device"),
    )  # fmt: skip
    assert_tensors_close(
        moved_images.cpu(), expected_images,
        call=f"{call}; images.cpu()",
        lesson=lesson("training.move_keeps_values"),
    )  # fmt: skip
    got = moved_labels.cpu().tolist()
    assert got == [7, 1], says(
        call=f"{call}; labels.cpu().tolist()", returned=repr(got), expected="[7, 1]",
        lesson=lesson("training.move_keeps_labels"),
    )  # fmt: skip


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
    call = "train_one_epoch(model, batches, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.3), 'cpu')"
    float_losses(losses, call)
    assert losses == pytest.approx(expected, rel=1e-5), says(
        call=call, returned=repr(losses), expected=repr(expected), lesson=lesson("training.epoch_matches_a_reference")
    )
    for (name, p), q in zip(model.named_parameters(), twin.parameters()):
        assert_tensors_close(
            p, q,
            call=f"{call}; model.{name}",
            lesson=lesson("training.epoch_parameters_match_a_reference"),
        )  # fmt: skip


@pytest.mark.kata("training.train_one_epoch")
def test_train_one_epoch_clears_gradients_left_from_before():
    # The model arrives with stale gradients (a previous backward, an evaluation without no_grad...):
    # the first step must not apply them.
    # The expectation is the learner's own epoch on an identical model without stale gradients: whatever else
    # may differ from a reference epoch (test_train_one_epoch_matches_a_reference_epoch), only the stale
    # gradients can make these two runs differ.
    model, batches = small_problem()
    twin = copy.deepcopy(model)
    call = (
        "for p in model.parameters(): p.grad = torch.full_like(p, 5.0)\n"
        "train_one_epoch(model, batches, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.3), 'cpu')"
    )
    torch.manual_seed(1)
    expected = training.train_one_epoch(
        twin, batches, nn.CrossEntropyLoss(), torch.optim.SGD(twin.parameters(), lr=0.3), "cpu"
    )
    float_losses(expected, call.splitlines()[-1])
    for p in model.parameters():
        p.grad = torch.full_like(p, 5.0)
    torch.manual_seed(1)
    losses = float_losses(
        training.train_one_epoch(model, batches, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.3), "cpu"),
        call,
    )  # fmt: skip
    assert losses == pytest.approx(expected, rel=1e-5), says(
        call=call, returned=repr(losses), expected=repr(expected), lesson=lesson("training.epoch_stale_gradients_count")
    )


@pytest.mark.kata("training.train_one_epoch")
def test_train_one_epoch_puts_the_model_in_training_mode():
    model, batches = small_problem()
    model.eval()
    watcher = ForwardWatcher(model)
    training.train_one_epoch(model, batches, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), "cpu")
    modes = [call["training"] for call in watcher.calls]
    assert modes and all(modes), says(
        call="model.eval(); train_one_epoch(model, batches, nn.CrossEntropyLoss(), optimizer, 'cpu'); "
        "[forward['training'] for forward in forward_calls]",
        returned=repr(modes), expected=repr([True] * max(len(modes), 1)), lesson=lesson("training.epoch_training_mode"),
    )  # fmt: skip


@pytest.mark.kata("training.train_one_epoch")
def test_train_one_epoch_moves_every_batch_to_the_device():
    model, batches = small_problem()
    call = "train_one_epoch(model, batches, nn.CrossEntropyLoss(), optimizer, 'cpu')"
    wrapped = [(must_move(x, call), must_move(y, call)) for x, y in batches]
    losses = training.train_one_epoch(
        model, wrapped, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), "cpu"
    )
    assert len(losses) == 3, says(
        call=f"len({call})", returned=str(len(losses)), expected="3", lesson=lesson("training.epoch_one_loss_per_batch")
    )


@pytest.mark.kata("training.train_one_epoch")
def test_train_one_epoch_reduces_the_loss_over_epochs():
    model, batches = small_problem()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.3)
    call = "train_one_epoch(model, batches, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.3), 'cpu')"
    epochs = [float_losses(training.train_one_epoch(model, batches, nn.CrossEntropyLoss(), optimizer, "cpu"), call)
              for _ in range(15)]  # fmt: skip
    first, last = sum(epochs[0]) / 3, sum(epochs[-1]) / 3
    assert last < 0.6 * first, says(
        call=f"epochs = [{call} for _ in range(15)]; (sum(epochs[0]) / 3, sum(epochs[-1]) / 3)",
        returned=f"({first:.3f}, {last:.3f})",
        expected=f"< {0.6 * first:.3f}", lesson=lesson("training.epoch_loss_falls"),
    )  # fmt: skip


# --- evaluate --------------------------------------------------------------------------------------


@pytest.mark.kata("training.evaluate")
def test_evaluate_accuracy_uses_the_class_dimension():
    # Three samples, three classes: argmax over dim 0 would also give three numbers - the wrong ones.
    logits = torch.tensor([[5.0, 1.0, 0.0], [4.0, 0.0, 9.0], [3.0, 8.0, 0.0]])
    labels = torch.tensor([0, 2, 1])
    accuracy, _ = training.evaluate(nn.Identity(), [(logits, labels)], nn.CrossEntropyLoss(), "cpu")
    assert accuracy == 1.0, says(
        call="evaluate(nn.Identity(), [(logits, torch.tensor([0, 2, 1]))], nn.CrossEntropyLoss(), 'cpu')[0]",
        returned=repr(accuracy), expected="1.0", lesson=lesson("training.evaluate_class_dimension"),
    )  # fmt: skip


@pytest.mark.kata("training.evaluate")
def test_evaluate_averages_over_samples_not_batches():
    logits = torch.tensor([[2.0, 0.0], [0.0, 2.0], [2.0, 0.0], [2.0, 0.0], [0.0, 2.0]])
    labels = torch.tensor([0, 1, 1, 1, 1])
    batches = [(logits[:4], labels[:4]), (logits[4:], labels[4:])]  # sizes 4 and 1
    expected_loss = nn.functional.cross_entropy(logits, labels).item()
    accuracy, mean_loss = training.evaluate(nn.Identity(), batches, nn.CrossEntropyLoss(), "cpu")
    call = (
        "accuracy, mean_loss = evaluate(nn.Identity(), [(logits[:4], labels[:4]), (logits[4:], labels[4:])], "
        "nn.CrossEntropyLoss(), 'cpu')"
    )
    assert accuracy == pytest.approx(3 / 5), says(
        call=f"{call}; accuracy", returned=repr(accuracy), expected="0.6",
        lesson=lesson("training.evaluate_accuracy_over_samples"),
    )  # fmt: skip
    assert mean_loss == pytest.approx(expected_loss), says(
        call=f"{call}; mean_loss", returned=repr(mean_loss), expected=f"{expected_loss:.6g}",
        lesson=lesson("training.evaluate_loss_over_samples"),
    )  # fmt: skip


@pytest.mark.kata("training.evaluate")
def test_evaluate_returns_python_floats():
    logits = torch.tensor([[2.0, 0.0], [0.0, 2.0], [2.0, 0.0]])
    result = training.evaluate(nn.Identity(), [(logits, torch.tensor([0, 1, 1]))], nn.CrossEntropyLoss(), "cpu")
    types = [type(v).__name__ for v in result] if isinstance(result, tuple) else type(result).__name__
    assert isinstance(result, tuple) and len(result) == 2 and all(type(v) is float for v in result), says(
        call="evaluate(nn.Identity(), batches, nn.CrossEntropyLoss(), 'cpu')",
        returned=f"{result!r}  # {types}", expected="(float, float)", lesson=lesson("training.evaluate_python_floats"),
    )  # fmt: skip


@pytest.mark.kata("training.evaluate")
def test_evaluate_uses_eval_mode_and_no_grad():
    model, batches = small_problem()
    watcher = ForwardWatcher(model)
    first = training.evaluate(model, batches, nn.CrossEntropyLoss(), "cpu")
    second = training.evaluate(model, batches, nn.CrossEntropyLoss(), "cpu")
    call = "evaluate(model, batches, nn.CrossEntropyLoss(), 'cpu')"
    modes = [c["training"] for c in watcher.calls]
    assert modes and not any(modes), says(
        call=f"{call}; [forward['training'] for forward in forward_calls]", returned=repr(modes),
        expected=repr([False] * max(len(modes), 1)), lesson=lesson("training.evaluate_eval_mode"),
    )  # fmt: skip
    grads = [c["grad_enabled"] for c in watcher.calls]
    assert not any(grads), says(
        call=f"{call}; [forward['grad_enabled'] for forward in forward_calls]", returned=repr(grads),
        expected=repr([False] * len(grads)), lesson=lesson("training.evaluate_no_grad"),
    )  # fmt: skip
    assert first == second, says(
        call=f"first = {call}; second = {call}; (first, second)", returned=repr((first, second)),
        expected=repr((first, first)),
        lesson=lesson("training.evaluate_is_repeatable"),
    )  # fmt: skip


@pytest.mark.kata("training.evaluate")
def test_evaluate_moves_batches_and_leaves_weights_alone():
    model, batches = small_problem()
    before = copy.deepcopy(model.state_dict())
    call = "accuracy, loss = evaluate(model, batches, nn.CrossEntropyLoss(), 'cpu')"
    accuracy, loss = training.evaluate(
        model, [(must_move(x, call), must_move(y, call)) for x, y in batches], nn.CrossEntropyLoss(), "cpu"
    )
    assert 0.0 <= accuracy <= 1.0 and loss > 0, says(
        call=f"{call}; (accuracy, loss)", returned=repr((accuracy, loss)), expected="(0 <= accuracy <= 1, loss > 0)",
        lesson=lesson("training.evaluate_results_in_range"),
    )  # fmt: skip
    for key, value in model.state_dict().items():
        assert_tensors_close(
            value, before[key], rtol=0, atol=0,
            call=f"{call}; model.state_dict()[{key!r}]", lesson=lesson("training.evaluate_leaves_the_weights", key=key),
        )  # fmt: skip
    grads = [name for name, p in model.named_parameters() if p.grad is not None]
    assert not grads, says(
        call=f"{call}; [name for name, p in model.named_parameters() if p.grad is not None]", returned=repr(grads),
        expected="[]", lesson=lesson("training.evaluate_no_gradients"),
    )  # fmt: skip


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


# The words of each rule the stand-in checks of kata_harness.testing.training can find broken (Finding.rule).
RUN_LESSONS = {
    "run_one_accuracy_per_epoch": lambda **f: lesson("training.run_one_accuracy_per_epoch", **f),
    "run_float_accuracies": lambda **f: lesson("training.run_float_accuracies", **f),
    "run_learns": lambda **f: lesson("training.run_learns", **f),
    "run_loss_halves": lambda **f: lesson("training.run_loss_halves", **f),
    "run_logs_the_loss": lambda **f: lesson("training.run_logs_the_loss", **f),
    "run_loss_steps": lambda **f: lesson("training.run_loss_steps", **f),
    "run_accuracy_steps": lambda **f: lesson("training.run_accuracy_steps", **f),
    "run_accuracy_logged_as_returned": lambda **f: lesson("training.run_accuracy_logged_as_returned", **f),
    "run_one_writer": lambda **f: lesson("training.run_one_writer", **f),
    "run_writer_on_log_dir": lambda **f: lesson("training.run_writer_on_log_dir", **f),
    "run_writer_closed": lambda **f: lesson("training.run_writer_closed", **f),
    "run_one_optimizer": lambda **f: lesson("training.run_one_optimizer", **f),
    "run_optimizer_lr": lambda **f: lesson("training.run_optimizer_lr", **f),
    "run_optimizer_parameters": lambda **f: lesson("training.run_optimizer_parameters", **f),
    "run_optimizer_steps": lambda **f: lesson("training.run_optimizer_steps", **f),
    "run_fresh_gradients": lambda **f: lesson("training.run_fresh_gradients", **f),
    "run_loader_over_the_training_split": lambda **f: lesson("training.run_loader_over_the_training_split", **f),
    "run_loader_batch_size": lambda **f: lesson("training.run_loader_batch_size", **f),
    "run_loader_shuffles": lambda **f: lesson("training.run_loader_shuffles", **f),
    "run_loads_both_splits": lambda **f: lesson("training.run_loads_both_splits", **f),
    "run_loads_from_data_root": lambda **f: lesson("training.run_loads_from_data_root", **f),
    "run_evaluates_in_eval_mode": lambda **f: lesson("training.run_evaluates_in_eval_mode", **f),
    "run_trains_in_training_mode": lambda **f: lesson("training.run_trains_in_training_mode", **f),
    "run_phases": lambda **f: lesson("training.run_phases", **f),
}


def _holds(check, run):
    __tracebackhide__ = True
    if isinstance(run.error, training_support.DownloadRefused):
        pytest.fail(says(call=run.call, lesson=lesson("training.never_download")), pytrace=False)
    finding = check(run)
    if finding is not None:
        pytest.fail(
            says(call=finding.call, returned=finding.returned, expected=finding.expected,
                 lesson=RUN_LESSONS[finding.rule](**finding.fields)),
            pytrace=False,
        )  # fmt: skip


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
    call = f"run_training(cifar_root, epochs=1, batch_size={batch_size}, lr=0.05, progress=False)"
    lrs = [sgd.spy_lrs for sgd in record.optimizers]
    assert lrs == [[0.05]], says(
        call=f"{call}; [[g['lr'] for g in sgd.param_groups] for sgd in optimizers]", returned=repr(lrs),
        expected="[[0.05]]", lesson=lesson("training.run_uses_the_lr"),
    )  # fmt: skip
    train_batches = [batch for training_mode, _, batch in record.forwards if training_mode]
    assert train_batches == expected, says(
        call=f"{call}; [len(images) for images in training_batches]", returned=repr(train_batches),
        expected=repr(expected), lesson=lesson("training.run_batches_every_image"),
    )  # fmt: skip
    assert record.writers == [], says(
        call=f"{call}; len(summary_writers)", returned=str(len(record.writers)), expected="0",
        lesson=lesson("training.run_no_writer_without_log_dir"),
    )  # fmt: skip


@pytest.mark.kata("training.run_training")
def test_run_training_missing_data_fails_without_downloading(tmp_path, no_download):
    raises_from(
        RuntimeError, training.run_training, tmp_path / "nothing", epochs=1, progress=False,
        call="run_training(tmp_path / 'nothing', epochs=1, progress=False)",
        lesson=lesson("training.run_missing_data_raises"),
    )  # fmt: skip


class AskedToDownload(Exception):
    """Raised by the fake downloader: the pipeline asked torchvision to download."""


@pytest.mark.kata("training.run_training")
def test_run_training_downloads_missing_data_when_asked(tmp_path, monkeypatch):
    import torchvision.datasets.cifar

    def fake_download(url, *args, **kwargs):
        raise AskedToDownload(url)

    monkeypatch.setattr(torchvision.datasets.cifar, "download_and_extract_archive", fake_download)
    call = "run_training(tmp_path / 'nothing', epochs=1, download=True, progress=False)"
    try:
        training.run_training(tmp_path / "nothing", epochs=1, download=True, progress=False)
    except (NotImplementedError, AskedToDownload) as error:
        if isinstance(error, NotImplementedError):
            raise
        return
    except Exception as error:
        error_text = f"{type(error).__name__}: {error}"
        raise AssertionError(
            says(call=call, lesson=lesson("training.run_downloads_when_asked_raised", error=error_text))
        ) from error
    pytest.fail(says(call=call, lesson=lesson("training.run_downloads_when_asked")), pytrace=False)


@pytest.mark.kata("training.run_training")
@pytest.mark.parametrize("progress", [True, False, None], ids=["bar", "quiet", "not-a-terminal"])
def test_run_training_progress_bar(cifar_root, capsys, progress):
    training.run_training(cifar_root, epochs=1, batch_size=50, progress=progress)
    err = capsys.readouterr().err
    shown = "/2" in err  # tqdm shows "0/2", "1/2", "2/2" for the 2 batches of 50 training images
    expected = progress is True  # under pytest, stderr is captured: not a terminal
    assert shown == expected, says(
        call=f"run_training(cifar_root, epochs=1, batch_size=50, progress={progress}); '/2' in stderr",
        returned=repr(shown), expected=repr(expected), lesson=lesson("training.run_progress_bar") + "\n" + err[-400:],
    )  # fmt: skip


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
    assert "/2" in err, says(
        call="sys.stderr.isatty = lambda: True; run_training(cifar_root, epochs=1, batch_size=50); '/2' in stderr",
        returned="False", expected="True", lesson=lesson("training.run_progress_on_a_terminal") + "\n" + err[-400:],
    )  # fmt: skip


@pytest.mark.kata("training.run_training")
def test_run_training_calls_on_epoch_after_each_epoch_before_the_next(cifar_root):
    events = []
    with training_support.on_phase(events.append):
        accuracies = training.run_training(
            cifar_root, epochs=2, batch_size=50, progress=False, on_epoch=lambda epoch, accuracy: events.append((epoch, accuracy))
        )  # fmt: skip
    expected = ["train", "eval", (1, accuracies[0]), "train", "eval", (2, accuracies[1])] if len(accuracies) == 2 else None
    assert events == expected, says(
        call=f"accuracies = run_training(cifar_root, epochs=2, batch_size=50, on_epoch=record)  # {accuracies}",
        returned=repr(events), expected=repr(expected), lesson=lesson("training.run_on_epoch_order"),
    )  # fmt: skip


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
    assert exit_info.value.code == 0, says(
        call="main(['--help'])  # SystemExit.code", returned=repr(exit_info.value.code), expected="0",
        lesson=lesson("training.main_help_exits_0"),
    )  # fmt: skip
    for option in ("--data", "--epochs", "--batch-size", "--lr", "--device", "--log-dir", "--download"):
        assert option in out, says(
            call=f"main(['--help']); {option!r} in stdout", returned="False", expected="True",
            lesson=lesson("training.main_help_lists_the_option", option=option) + "\n" + out,
        )  # fmt: skip


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
    assert exit_info.value.code == 2 and err and "Traceback" not in err and not calls, says(
        call=f"main({argv})",
        lesson=lesson("training.main_usage_error", code=exit_info.value.code, calls=len(calls), err=repr(err[-300:])),
    )  # fmt: skip


@pytest.mark.kata("training.main")
@pytest.mark.parametrize("device", ["cuda", "cuda:0"])
def test_main_refuses_cuda_without_a_gpu(monkeypatch, capsys, device):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    calls = fake_run_training(monkeypatch)
    with pytest.raises(SystemExit) as exit_info:
        training.main(["--data", "d", "--device", device])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and "cuda" in err.lower() and not calls, says(
        call=f"main(['--data', 'd', '--device', {device!r}])",
        lesson=lesson("training.main_refuses_cuda", code=exit_info.value.code, calls=len(calls), err=repr(err[-300:])),
    )  # fmt: skip


@pytest.mark.kata("training.main")
@pytest.mark.parametrize("cuda", [False, True], ids=["without-cuda", "with-cuda"])
def test_main_device_defaults_to_cuda_only_when_available(monkeypatch, capsys, cuda):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    calls = fake_run_training(monkeypatch)
    exited = None
    try:
        training.main(["--data", "d"])
    except SystemExit as exc:
        exited = exc.code
    if exited is not None:  # failed outside the except: argparse's own exception is not the point
        pytest.fail(
            says(call="main(['--data', 'd'])", lesson=lesson("training.main_default_device_works", cuda=cuda, code=exited)),
            pytrace=False,
        )  # fmt: skip
    devices = [torch.device(call["device"]).type for call in calls]
    expected = "cuda" if cuda else "cpu"
    assert devices == [expected], says(
        call="main(['--data', 'd']); [torch.device(c['device']).type for c in run_training_calls]",
        returned=repr(devices), expected=repr([expected]),
        lesson=lesson("training.main_default_device", cuda=cuda, expected=repr(expected)),
    )  # fmt: skip


@pytest.mark.kata("training.main")
def test_main_passes_the_options_to_run_training(monkeypatch, capsys, tmp_path):
    calls = fake_run_training(monkeypatch)
    argv = [
        "--data", "dir", "--epochs", "3", "--batch-size", "7", "--lr", "0.5", "--device", "cpu", "--log-dir", "tb",
        "--download",
    ]  # fmt: skip
    code = training.main(argv)
    assert code == 0, says(
        call=f"main({argv})", returned=repr(code), expected="0", lesson=lesson("training.main_returns_0")
    )
    training.main(["--data", "dir", "--device", "cpu"])
    got = [
        {
            key: (str(value) if key in ("data_root", "log_dir") and value is not None else value)
            for key, value in call.items()
            if key != "device"
        }
        for call in calls
    ]
    assert len(got) == 2, says(
        call=f"main({argv}); main(['--data', 'dir', '--device', 'cpu']); len(run_training_calls)",
        returned=str(len(got)), expected="2", lesson=lesson("training.main_calls_run_training_once"),
    )  # fmt: skip
    expected = [
        {"data_root": "dir", "epochs": 3, "log_dir": "tb", "batch_size": 7, "lr": 0.5, "download": True},
        {"data_root": "dir", "epochs": 10, "log_dir": None, "batch_size": 64, "lr": 0.01, "download": False},
    ]
    for call, want, args in zip(got, expected, [argv, ["--data", "dir", "--device", "cpu"]]):
        call.pop("progress", None)
        call.pop("on_epoch", None)
        assert call == want, says(
            call=f"main({args}); run_training_calls[-1]", returned=repr(call), expected=repr(want),
            lesson=lesson("training.main_passes_the_options"),
        )  # fmt: skip


@pytest.mark.kata("training.main")
def test_main_prints_one_line_per_epoch(monkeypatch, capsys):
    fake_run_training(monkeypatch, accuracies=(0.25, 0.5, 0.875))
    code = training.main(["--data", "d", "--epochs", "3", "--device", "cpu"])
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    parsed = [re.match(r"epoch (\d+): test accuracy ([0-9.]+)", line) for line in lines]
    got = [(int(m[1]), float(m[2])) if m else line for m, line in zip(parsed, lines)]
    assert code == 0 and got == [(1, 0.25), (2, 0.5), (3, pytest.approx(0.875, abs=5e-3))], says(
        call="run_training = lambda ...: [0.25, 0.5, 0.875]; main(['--data', 'd', '--epochs', '3', '--device', 'cpu'])",
        returned=f"{code}, stdout {lines}",
        expected="0, stdout ['epoch 1: test accuracy 0.25', 'epoch 2: test accuracy 0.5', 'epoch 3: test accuracy 0.875']",
        lesson=lesson("training.main_one_line_per_epoch"),
    )  # fmt: skip


@pytest.mark.kata("training.main")
def test_main_writes_and_flushes_each_epochs_line_before_the_next_epoch(cifar_root, monkeypatch):
    stdout = training_support.PipedStdout()  # a pipe or a log file: not a terminal, block-buffered
    monkeypatch.setattr(sys, "stdout", stdout)
    argv = ["--data", "cifar_root", "--epochs", "3", "--device", "cpu", "--batch-size", "50"]
    received = []  # the epoch lines stdout had received (written and flushed) when each epoch began to train

    def count_lines(text):
        return len(re.findall(r"^epoch \d+: test accuracy", text, re.MULTILINE))

    with training_support.on_phase(lambda mode: received.append(count_lines(stdout.delivered)) if mode == "train" else None):
        code = training.main([str(cifar_root) if arg == "cifar_root" else arg for arg in argv])
    received.append(count_lines(stdout.delivered))
    unflushed = count_lines(stdout.pending)
    assert code == 0 and received == [0, 1, 2, 3], says(
        call=f"sys.stdout = PipedStdout(); main({argv})", returned=f"{code}, {received}",
        expected="0, [0, 1, 2, 3]", lesson=lesson("training.main_flushes_each_line", unflushed=unflushed),
    )  # fmt: skip


@pytest.mark.kata("training.main")
def test_main_missing_data_exits_1_with_the_reason(tmp_path, capsys, no_download):
    code = training.main(["--data", str(tmp_path / "none"), "--epochs", "1", "--device", "cpu"])
    err = capsys.readouterr().err
    assert code == 1 and "not found" in err.lower() and "Traceback" not in err, says(
        call="main(['--data', str(tmp_path / 'none'), '--epochs', '1', '--device', 'cpu'])",
        lesson=lesson("training.main_missing_data", code=code, err=repr(err[-300:])),
    )  # fmt: skip


@pytest.mark.kata("training.main")
def test_main_trains_prints_and_logs(cifar_root, tmp_path, capsys):
    code = training.main(
        ["--data", str(cifar_root), "--epochs", "1", "--device", "cpu", "--log-dir", str(tmp_path / "tb"),
         "--batch-size", "50"]
    )  # fmt: skip
    out = capsys.readouterr().out
    call = "main(['--data', cifar_root, '--epochs', '1', '--device', 'cpu', '--log-dir', 'tb', '--batch-size', '50'])"
    assert code == 0, says(call=call, returned=repr(code), expected="0", lesson=lesson("training.main_trains_returns_0"))
    assert re.search(r"^epoch 1: test accuracy", out, re.MULTILINE), says(
        call=call, lesson=lesson("training.main_trains_prints") + "\n" + out
    )
    files = sorted(p.name for p in (tmp_path / "tb").iterdir()) if (tmp_path / "tb").is_dir() else []
    assert list((tmp_path / "tb").glob("events.out.tfevents.*")), says(
        call=f"{call}; os.listdir('tb')", returned=repr(files), expected="['events.out.tfevents.…']",
        lesson=lesson("training.main_trains_logs"),
    )  # fmt: skip


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
    call = "train_one_epoch(gpu_model, batches[:1], nn.CrossEntropyLoss(), optimizer, 'cuda')"
    float_losses(cpu_losses, call.replace("gpu_model", "model").replace("'cuda'", "'cpu'"))
    float_losses(gpu_losses, call)
    # GPU kernels may sum in another order (and TF32 matmuls): agree to about 1e-3, not bit for bit.
    assert gpu_losses == pytest.approx(cpu_losses, rel=1e-3, abs=1e-4), says(
        call=call, returned=repr(gpu_losses), expected=repr(cpu_losses), lesson=lesson("training.cuda_same_losses")
    )
    for (name, p), q in zip(model.named_parameters(), gpu_model.parameters()):
        assert_tensors_close(
            q.cpu(), p, rtol=1e-3, atol=1e-4,
            call=f"{call}; gpu_model.{name}.cpu()",
            lesson=lesson("training.cuda_same_parameters"),
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
    assert accuracies[-1] >= bar, says(
        call=f"run_training({str(root)!r}, epochs={epochs}, device='cuda', progress=False)", returned=repr(accuracies),
        expected=f"accuracies[-1] >= {bar}",
        lesson=lesson("training.cuda_reaches_the_bar", data=root, epochs=epochs, bar=f"{bar:.0%}"),
    )  # fmt: skip
