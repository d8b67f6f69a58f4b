"""Kata 15 (katas/fast_training.py, advanced): the dataset on the device, big batches, no per-batch host work.

On CPU these tests check the behaviour (layout, no host synchronisation per batch, learning); the
cuda-marked ones run the same path on a GPU. Speed itself is measured by `make bench`, never here.
"""

import sys

import pytest
import torch
from torch import nn
from torchvision import datasets, transforms

from kata_harness.cifar_standin import lift_md5_check, write_cifar10
from kata_harness.testing import shape_of
from kata_harness.training_support import ForwardWatcher, HostSyncCounter, cuda_data_root
from kata_impl import fast_training

STANDIN_BAR = 0.6  # the same bar as the plain loop's end-to-end test (see test_training.py)


def toy_data(n=100, seed=0):
    """Separable 'images' (n, 3, 4, 4): the class is which channel is bright."""
    generator = torch.Generator().manual_seed(seed)
    labels = torch.arange(n) % 3
    images = 0.1 * torch.rand(n, 3, 4, 4, generator=generator)
    images[torch.arange(n), labels] += 1.0
    return images.contiguous(memory_format=torch.channels_last), labels


def toy_model():
    return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(64, 3))


# --- load_split_to_device --------------------------------------------------------------------------


@pytest.mark.kata("fast_training.load_split_to_device")
def test_load_split_to_device_layout(cifar_root):
    images, labels = fast_training.load_split_to_device(cifar_root, True, "cpu")
    assert (tuple(images.shape), images.dtype) == ((100, 3, 32, 32), torch.float32), f"images are {shape_of(images)}"
    assert (tuple(labels.shape), labels.dtype) == ((100,), torch.int64), f"labels are {shape_of(labels)}"
    assert images.is_contiguous(memory_format=torch.channels_last), "images must be in channels_last memory format"
    assert 0.0 <= images.min() and images.max() <= 1.0


@pytest.mark.kata("fast_training.load_split_to_device")
def test_load_split_to_device_matches_totensor(cifar_root):
    images, labels = fast_training.load_split_to_device(cifar_root, False, "cpu")
    reference = datasets.CIFAR10(str(cifar_root), train=False, transform=transforms.ToTensor())
    assert len(images) == len(reference) == 40
    for index in (0, 17, 39):
        image, label = reference[index]
        torch.testing.assert_close(images[index], image, msg=lambda m: f"image {index} differs from ToTensor's:\n{m}")
        assert labels[index].item() == label


@pytest.mark.kata("fast_training.load_split_to_device")
def test_load_split_to_device_reads_in_bulk(cifar_root, monkeypatch):
    def one_by_one(self, index):
        raise AssertionError("the fast path must not decode images one by one: use dataset.data and dataset.targets")

    monkeypatch.setattr(datasets.CIFAR10, "__getitem__", one_by_one)
    images, _ = fast_training.load_split_to_device(cifar_root, True, "cpu")
    assert len(images) == 100


# --- train_fast ------------------------------------------------------------------------------------


@pytest.mark.kata("fast_training.train_fast")
def test_train_fast_learns_and_reports_epoch_losses():
    images, labels = toy_data()
    losses = fast_training.train_fast(toy_model(), images, labels, epochs=6, batch_size=20, lr=0.01)
    assert len(losses) == 6 and all(isinstance(v, float) for v in losses), f"train_fast returned {losses!r}"
    assert losses[-1] < 0.5 * losses[0], f"the epoch losses {[round(v, 3) for v in losses]} do not fall"


@pytest.mark.kata("fast_training.train_fast")
def test_train_fast_reads_back_once_per_epoch(monkeypatch):
    images, labels = toy_data()
    model = toy_model()
    counter = HostSyncCounter(monkeypatch, fast_training)
    fast_training.train_fast(model, images, labels, epochs=2, batch_size=10, lr=0.01)
    assert len(counter.calls) <= 2, (
        f"train_fast copied values to the host {len(counter.calls)} times ({sorted(set(counter.calls))}) for 2 epochs of "
        "10 batches: keep the running loss on the device and read it once per epoch"
    )


@pytest.mark.kata("fast_training.train_fast")
def test_train_fast_visits_every_sample_each_epoch_in_a_new_order():
    images, labels = toy_data(60)
    model = toy_model()
    seen = []
    model.register_forward_pre_hook(lambda module, inputs: seen.append(inputs[0][:, 0, 0, 0].clone()))
    fast_training.train_fast(model, images, labels, epochs=2, batch_size=16, lr=0.01)
    first, second = torch.cat(seen[:4]), torch.cat(seen[4:])
    assert len(seen) == 8, f"{len(seen)} forward calls; 60 samples in batches of 16 make 4 per epoch"
    expected = images[:, 0, 0, 0].sort().values
    assert torch.equal(first.sort().values, expected) and torch.equal(second.sort().values, expected), "each epoch must see every sample once"
    assert not torch.equal(first, second), "the two epochs visited the samples in the same order: draw a new permutation"


@pytest.mark.kata("fast_training.train_fast")
def test_train_fast_model_is_channels_last_and_training():
    images, labels = toy_data()
    model = toy_model().eval()
    watcher = ForwardWatcher(model)
    fast_training.train_fast(model, images, labels, epochs=1, batch_size=50)
    assert model[0].weight.is_contiguous(memory_format=torch.channels_last), "convert the model to channels_last too"
    assert all(call["training"] for call in watcher.calls), "train_fast must put the model in training mode"


# --- evaluate_fast ---------------------------------------------------------------------------------


@pytest.mark.kata("fast_training.evaluate_fast")
def test_evaluate_fast_accuracy_over_the_class_dimension():
    logits = torch.tensor([[5.0, 1.0, 0.0], [4.0, 0.0, 9.0], [3.0, 8.0, 0.0], [0.0, 0.0, 1.0]])
    labels = torch.tensor([0, 2, 1, 0])
    accuracy = fast_training.evaluate_fast(nn.Identity(), logits, labels, batch_size=3)
    assert accuracy == pytest.approx(0.75), f"evaluate_fast gave {accuracy}; 3 of 4 argmax(dim=1) predictions are right"


@pytest.mark.kata("fast_training.evaluate_fast")
def test_evaluate_fast_eval_mode_inference_and_one_read_back(monkeypatch):
    images, labels = toy_data()
    model = nn.Sequential(toy_model(), nn.Dropout(0.5))
    watcher = ForwardWatcher(model)
    counter = HostSyncCounter(monkeypatch, fast_training)
    first = fast_training.evaluate_fast(model, images, labels, batch_size=10)
    assert len(counter.calls) <= 1, f"{len(counter.calls)} host read-backs for 10 batches: count on the device"
    assert first == fast_training.evaluate_fast(model, images, labels, batch_size=10), "Dropout was active"
    assert not any(c["training"] or c["grad_enabled"] for c in watcher.calls), "use eval mode and inference_mode/no_grad"


# --- run_fast_training (end to end) ----------------------------------------------------------------


@pytest.mark.kata("fast_training.run_fast_training")
def test_run_fast_training_learns_the_standin(tmp_path, monkeypatch, no_download):
    lift_md5_check(monkeypatch)
    write_cifar10(tmp_path, train_per_class=60, test_per_class=20)
    accuracies = fast_training.run_fast_training(tmp_path, epochs=4, device="cpu", batch_size=32)
    assert len(accuracies) == 4, f"one accuracy per epoch, got {accuracies}"
    assert accuracies[-1] >= STANDIN_BAR, f"fast path accuracies {accuracies}; the bar is {STANDIN_BAR:.0%} (as for the plain loop)"


# --- CUDA (GPU runners) ----------------------------------------------------------------------------


@pytest.mark.cuda
@pytest.mark.kata("fast_training.load_split_to_device")
def test_load_split_to_device_on_cuda(cifar_root):
    images, labels = fast_training.load_split_to_device(cifar_root, True, "cuda")
    assert images.is_cuda and labels.is_cuda and images.is_contiguous(memory_format=torch.channels_last)


@pytest.mark.cuda
@pytest.mark.kata("fast_training.run_fast_training")
def test_run_fast_training_on_cuda_reaches_the_accuracy_bar(tmp_path_factory, monkeypatch, capsys, no_download):
    standin = {"train_per_class": 60, "test_per_class": 20}
    root, which, bar, epochs = cuda_data_root(tmp_path_factory, monkeypatch, standin, STANDIN_BAR, 5)
    # On the 600-image stand-in, batches of 32 give enough steps; real CIFAR10 uses the fast path's defaults.
    recipe = {} if which.startswith("real") else {"batch_size": 32}
    accuracies = fast_training.run_fast_training(root, epochs=epochs, device="cuda", **recipe)
    with capsys.disabled():
        print(f"\n[cuda end-to-end, fast path] data: {which}; test accuracy per epoch: {[round(a, 4) for a in accuracies]}", file=sys.stderr)
    assert accuracies[-1] >= bar, f"on {which}, the fast path reached {accuracies[-1]:.2%} after {epochs} epochs; the bar is {bar:.0%}"
