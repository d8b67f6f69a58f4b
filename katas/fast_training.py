"""Kata 15 (advanced): a fast training path - the whole dataset on the device, large batches, no host work per batch.

The tutorial loop spends most of its time outside the GPU: decoding PIL images, ToTensor in Python,
collating, copying every small batch from host memory, and calling ``loss.item()`` (which waits for
the GPU) at every step. The fast path removes all of that:
- the dataset is read once (torchvision's CIFAR10 keeps it as one uint8 array) and moved to the device
  as a single tensor, already scaled to [0, 1], in channels_last memory format;
- batches are slices of that tensor taken in an order drawn on the device (torch.randperm);
- on CUDA the forward pass runs under bfloat16 autocast;
- losses and correct counts are summed on the device and read back once per epoch;
- large batches with Adam, which tolerates them better than plain SGD.
torch.compile can help on a GPU, but it compiles for a while first: it is an option, off by default.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from .modules import CifarNet


def load_split_to_device(root: str | Path, train: bool, device) -> tuple[torch.Tensor, torch.Tensor]:
    """One CIFAR10 split (``train`` picks the training or the test split) as two tensors on ``device``:
    images float32 (N, 3, 32, 32) in [0, 1] (the values ToTensor gives), channels_last; labels int64 (N,).

    Use torchvision's CIFAR10 (download=False) for reading, but take its ``data`` array (N, 32, 32, 3)
    uint8 and ``targets`` list as a whole instead of indexing item by item: the image bytes cross to the
    device in one uint8 copy, and the conversion to float happens there.
    """
    # TODO: send the split's raw bytes to the device in one copy, then make float [0, 1] channels_last images and int64 labels there.
    raise NotImplementedError("kata fast_training.load_split_to_device is not solved yet")


def _autocast(device: torch.device, amp: bool):
    return torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=amp)


def train_fast(
    model: nn.Module,
    images: torch.Tensor,
    labels: torch.Tensor,
    epochs: int,
    batch_size: int = 256,
    lr: float = 1e-3,
    amp: bool | None = None,
    optimizer: torch.optim.Optimizer | None = None,
) -> list[float]:
    """Train ``model`` on device-resident ``images``/``labels`` with Adam and CrossEntropyLoss.

    Pass ``optimizer`` to continue with an existing one: every step is then taken by it, so its state
    carries over between calls; by default a new Adam(model.parameters(), lr) is made.
    Moves the model to the images' device in channels_last format and puts it in training mode.
    Each epoch visits every sample once in a fresh order drawn with torch.randperm on the device, in
    batches of ``batch_size`` (the last one may be smaller): a batch is ``images[order[i:i + batch_size]]``,
    and each batch is one step (zero_grad, forward, loss, backward, step). ``amp`` (default: True on
    CUDA, False elsewhere) runs forward and loss under bfloat16 autocast. Never read a value back to the
    host inside the batch loop: add each batch's detached loss (times its size) to a device tensor and
    call ``.item()`` once per epoch (a loss that keeps its graph would keep every batch's graph alive).
    Returns the mean training loss of each epoch as Python floats: the mean over samples, so a
    smaller last batch weighs less.
    """
    # TODO: train on shuffled device-side batches without the host waiting inside the batch loop; return each epoch's mean loss.
    raise NotImplementedError("kata fast_training.train_fast is not solved yet")


def evaluate_fast(model: nn.Module, images: torch.Tensor, labels: torch.Tensor, batch_size: int = 1024, amp: bool | None = None) -> float:
    """Accuracy of ``model`` on device-resident data, as a Python float: the fraction of samples whose
    argmax over the class dimension (dim 1) equals the label.

    Eval mode, no autograd (torch.inference_mode() or torch.no_grad()), batches of ``batch_size``,
    ``amp`` as in train_fast; the correct counts are summed on the device and read back once.
    """
    # TODO: measure accuracy in evaluation mode without autograd, keeping the correct count on the device until the end.
    raise NotImplementedError("kata fast_training.evaluate_fast is not solved yet")


def run_fast_training(
    data_root: str | Path,
    epochs: int,
    device: str | torch.device = "cpu",
    batch_size: int = 256,
    lr: float = 1e-3,
    compile: bool = False,
) -> list[float]:
    """The fast path end to end; returns the test accuracy after each epoch (``epochs`` floats).

    Load both splits to ``device`` with load_split_to_device, once, before the first epoch. Make a
    fresh modules.CifarNet and one Adam(model.parameters(), lr) for the whole run. Each epoch is one
    train_fast call (epochs=1, ``batch_size``, the training split, that optimizer, so Adam's state
    carries over) followed by evaluate_fast on the test split.
    With ``compile``, the model goes through torch.compile (or its in-place form, model.compile())
    before training, and the compiled model is the one trained and evaluated; without it, nothing is
    compiled.
    """
    # TODO: load the data once, then train and evaluate one fresh network epoch by epoch with an optimizer that persists.
    raise NotImplementedError("kata fast_training.run_fast_training is not solved yet")
