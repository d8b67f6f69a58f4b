"""Kata 14 (katas/training.py): training and testing loops, devices, the CIFAR10 pipeline and its command line.

The end-to-end test trains the note's network on a CIFAR-10 stand-in (600 training images, 200 test
images, written in the real on-disk format and read by torchvision's CIFAR10 class). Its classes differ
in colour and stripe direction under noise, so a correct pipeline learns them in a few epochs. The bar,
60% test accuracy after 5 epochs, is six times chance (10%); a correct run reaches about 100%, so the
bar leaves a wide margin for other torch versions and machines, while a broken loop (no zero_grad, no
step, labels shuffled apart from images, evaluation in train mode...) stays far below it.
"""

import copy
import sys

import pytest
import torch
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from torch import nn
from torch.testing import assert_close

from kata_harness import training_support
from kata_harness.cifar_standin import lift_md5_check, write_cifar10
from kata_harness.testing import cpu_and_cuda, raises, shape_of
from kata_harness.training_support import ForwardWatcher, cuda_data_root, unmoved
from kata_impl import training

STANDIN_BAR = 0.6
STANDIN = {"train_per_class": 60, "test_per_class": 20}
RECIPE = {"epochs": 5, "batch_size": 16, "lr": 0.03}  # SGD: the note's optimizer, tuned to 600 images


def small_problem(seed=0):
    return training_support.small_problem(seed, per_class=8, batch_size=8, dropout=0.3)


# --- move_batch ------------------------------------------------------------------------------------


@pytest.mark.kata("training.move_batch")
def test_move_batch_moves_images_and_labels():
    images, labels = torch.rand(4, 3, 2, 2), torch.tensor([0, 1, 2, 3])
    moved_images, moved_labels = training.move_batch(images, labels, torch.device("meta"))
    assert (moved_images.device.type, moved_labels.device.type) == ("meta", "meta"), (
        f"move_batch(images, labels, 'meta') returned images on {moved_images.device}, labels on {moved_labels.device}: "
        "both must be moved (the loss compares outputs with labels on one device)"
    )
    assert (moved_images.shape, moved_labels.dtype) == (images.shape, torch.int64)


@pytest.mark.kata("training.move_batch")
@pytest.mark.parametrize("device", cpu_and_cuda())
def test_move_batch_keeps_values(device):
    images, labels = torch.rand(2, 3, 4, 4), torch.tensor([7, 1])
    moved_images, moved_labels = training.move_batch(images, labels, device)
    assert moved_images.device.type == device and moved_labels.device.type == device
    assert_close(moved_images.cpu(), images)
    assert moved_labels.cpu().tolist() == [7, 1]


# --- train_one_epoch -------------------------------------------------------------------------------


@pytest.mark.kata("training.train_one_epoch")
def test_train_one_epoch_matches_a_reference_epoch():
    model, batches = small_problem()
    twin = copy.deepcopy(model)
    torch.manual_seed(1)  # Dropout draws from the global RNG: same seed for both runs
    losses = training.train_one_epoch(model, batches, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.3), "cpu")
    torch.manual_seed(1)
    expected = training_support.reference_sgd(twin, batches, lr=0.3)
    assert isinstance(losses, list) and all(isinstance(v, float) for v in losses), f"returned {shape_of(losses)}"
    assert losses == pytest.approx(expected, rel=1e-5), (
        f"train_one_epoch returned step losses {losses}; a reference epoch gives {expected}. Was zero_grad forgotten "
        "(gradients accumulate), or a step missed?"
    )
    for (name, p), q in zip(model.named_parameters(), twin.parameters()):
        assert_close(p, q, msg=lambda m: f"after one epoch {name} differs from the reference:\n{m}")


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
    losses = training.train_one_epoch(model, wrapped, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), "cpu")
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
def test_evaluate_uses_eval_mode_and_no_grad():
    model, batches = small_problem()
    watcher = ForwardWatcher(model)
    first = training.evaluate(model, batches, nn.CrossEntropyLoss(), "cpu")
    second = training.evaluate(model, batches, nn.CrossEntropyLoss(), "cpu")
    assert watcher.calls and not any(c["training"] for c in watcher.calls), "forward ran in training mode: call model.eval()"
    assert not any(c["grad_enabled"] for c in watcher.calls), "forward built a graph: wrap evaluation in torch.no_grad()"
    assert first == second, f"two evaluations differ ({first} vs {second}): Dropout was active"


@pytest.mark.kata("training.evaluate")
def test_evaluate_moves_batches_and_leaves_weights_alone():
    model, batches = small_problem()
    before = copy.deepcopy(model.state_dict())
    accuracy, loss = training.evaluate(model, [(unmoved(x), unmoved(y)) for x, y in batches], nn.CrossEntropyLoss(), "cpu")
    assert 0.0 <= accuracy <= 1.0 and loss > 0
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key]), f"evaluate changed {key}"
    assert all(p.grad is None for p in model.parameters()), "evaluate computed gradients"


# --- run_training (end to end, CPU) ----------------------------------------------------------------


@pytest.fixture(scope="module")
def standin_run(tmp_path_factory):
    """Train once on the stand-in (about 10 s on 2 cores) and share the read-only results."""
    root = tmp_path_factory.mktemp("cifar")
    log_dir = root / "logs"
    with pytest.MonkeyPatch.context() as patch:
        lift_md5_check(patch)
        write_cifar10(root, **STANDIN)
        torch.manual_seed(0)
        accuracies = training.run_training(root, device="cpu", log_dir=log_dir, progress=False, **RECIPE)
    events = EventAccumulator(str(log_dir), size_guidance={"scalars": 0})
    events.Reload()
    return accuracies, events


@pytest.mark.kata("training.run_training")
def test_run_training_learns_the_standin(standin_run):
    accuracies, _ = standin_run
    assert len(accuracies) == RECIPE["epochs"], f"run_training returned {len(accuracies)} accuracies; one per epoch"
    assert accuracies[-1] >= STANDIN_BAR, (
        f"test accuracy per epoch: {[round(a, 3) for a in accuracies]}. After {RECIPE['epochs']} epochs it must reach "
        f"{STANDIN_BAR:.0%} (chance is 10%; a correct pipeline gets about 100% on this stand-in)."
    )


@pytest.mark.kata("training.run_training")
def test_run_training_logs_training_loss_per_step(standin_run):
    _, events = standin_run
    assert "train/loss" in events.Tags()["scalars"], f"scalar tags: {events.Tags()['scalars']}"
    series = events.Scalars("train/loss")
    steps_per_epoch = -(-STANDIN["train_per_class"] * 10 // RECIPE["batch_size"])
    assert [e.step for e in series] == list(range(RECIPE["epochs"] * steps_per_epoch)), "one point per step, from 0"
    first, last = series[:steps_per_epoch], series[-steps_per_epoch:]
    mean = lambda events: sum(e.value for e in events) / len(events)  # noqa: E731
    assert mean(last) < 0.5 * mean(first), f"mean training loss went from {mean(first):.3f} to {mean(last):.3f}"


@pytest.mark.kata("training.run_training")
def test_run_training_logs_test_accuracy_per_epoch(standin_run):
    accuracies, events = standin_run
    series = events.Scalars("test/accuracy")
    assert [e.step for e in series] == list(range(1, RECIPE["epochs"] + 1)), "one point per epoch, steps 1..epochs"
    assert [e.value for e in series] == pytest.approx(accuracies), "the logged accuracies must be the returned ones"


@pytest.mark.kata("training.run_training")
def test_run_training_missing_data_fails_without_downloading(tmp_path, no_download):
    with raises(RuntimeError, match="Dataset not found or corrupted"):
        training.run_training(tmp_path / "nothing", epochs=1, progress=False)


@pytest.mark.kata("training.run_training")
@pytest.mark.parametrize("progress", [True, False], ids=["bar", "quiet"])
def test_run_training_progress_bar(cifar_root, capsys, progress):
    training.run_training(cifar_root, epochs=1, batch_size=50, progress=progress)
    err = capsys.readouterr().err
    shown = "batch" in err and "/2" in err  # tqdm's "1/2 [..]" over 2 batches of 50
    assert shown == progress, f"progress={progress}, but stderr was:\n{err[-400:]}"


# --- main (the command line) -----------------------------------------------------------------------


@pytest.mark.kata("training.main")
def test_main_help_lists_the_options(capsys):
    with pytest.raises(SystemExit) as exit_info:
        training.main(["--help"])
    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    for option in ("--data", "--epochs", "--device", "--log-dir", "--download"):
        assert option in out, f"--help does not mention {option}:\n{out}"


@pytest.mark.kata("training.main")
@pytest.mark.parametrize(
    ("argv", "message"),
    [([], "--data"), (["--data", "d", "--epochs", "0"], "epochs"), (["--data", "d", "--device", "gpu0"], "device")],
    ids=["no-data", "zero-epochs", "bad-device"],
)
def test_main_bad_arguments_are_usage_errors(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_info:
        training.main(argv)
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and message in err and "Traceback" not in err, f"exit {exit_info.value.code}: {err}"


@pytest.mark.kata("training.main")
@pytest.mark.skipif(torch.cuda.is_available(), reason="checks a machine without CUDA")
def test_main_refuses_cuda_without_a_gpu(capsys):
    with pytest.raises(SystemExit) as exit_info:
        training.main(["--data", "d", "--device", "cuda"])
    assert exit_info.value.code == 2 and "CUDA is not available" in capsys.readouterr().err


@pytest.mark.kata("training.main")
def test_main_missing_data_exits_1_with_the_reason(tmp_path, capsys, no_download):
    code = training.main(["--data", str(tmp_path / "none"), "--epochs", "1", "--device", "cpu"])
    err = capsys.readouterr().err
    assert code == 1 and "Dataset not found" in err, f"main returned {code}; stderr: {err}"


@pytest.mark.kata("training.main")
def test_main_trains_prints_and_logs(cifar_root, tmp_path, capsys):
    code = training.main(["--data", str(cifar_root), "--epochs", "2", "--device", "cpu", "--log-dir", str(tmp_path / "tb"), "--batch-size", "50"])
    out = capsys.readouterr().out
    assert code == 0, f"main returned {code}"
    lines = [line for line in out.splitlines() if line.startswith("epoch ")]
    assert len(lines) == 2 and "test accuracy" in lines[0], f"stdout:\n{out}"
    assert list((tmp_path / "tb").glob("events.out.tfevents.*")), "--log-dir got no TensorBoard file"


# --- CUDA (GPU runners) ----------------------------------------------------------------------------


@pytest.mark.cuda
@pytest.mark.kata("training.train_one_epoch")
def test_train_one_epoch_same_loss_on_cpu_and_cuda():
    model, batches = small_problem()
    model[2].p = 0.0  # no Dropout: CPU and GPU random streams differ
    gpu_model = copy.deepcopy(model).cuda()
    cpu_losses = training.train_one_epoch(model, batches[:1], nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), "cpu")
    gpu_losses = training.train_one_epoch(gpu_model, batches[:1], nn.CrossEntropyLoss(), torch.optim.SGD(gpu_model.parameters(), lr=0.1), "cuda")
    # GPU kernels may sum in another order (and TF32 matmuls): agree to about 1e-3, not bit for bit.
    assert gpu_losses == pytest.approx(cpu_losses, rel=1e-3, abs=1e-4), f"CPU {cpu_losses} vs CUDA {gpu_losses}"
    for p, q in zip(model.parameters(), gpu_model.parameters()):
        assert_close(q.cpu(), p, rtol=1e-3, atol=1e-4)


@pytest.mark.cuda
@pytest.mark.kata("training.run_training")
def test_run_training_on_cuda_reaches_the_accuracy_bar(tmp_path_factory, monkeypatch, capsys, no_download):
    root, which, bar, epochs = cuda_data_root(tmp_path_factory, monkeypatch, STANDIN, STANDIN_BAR, RECIPE["epochs"])
    recipe = {} if which.startswith("real") else {"batch_size": RECIPE["batch_size"], "lr": RECIPE["lr"]}
    accuracies = training.run_training(root, epochs=epochs, device="cuda", progress=False, **recipe)
    with capsys.disabled():
        print(f"\n[cuda end-to-end, plain loop] data: {which}; test accuracy per epoch: {[round(a, 4) for a in accuracies]}", file=sys.stderr)
    assert accuracies[-1] >= bar, f"on {which}, accuracy after {epochs} epochs is {accuracies[-1]:.2%}; the bar is {bar:.0%}"
