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
    """One CIFAR10 split as two device tensors: images float32 (N, 3, 32, 32) in [0, 1], channels_last; labels int64 (N,).

    Use torchvision's CIFAR10 (download=False) for reading, but take its ``data`` array (N, 32, 32, 3)
    uint8 and ``targets`` list as a whole instead of indexing item by item: one copy to the device, then
    convert there.
    """
    # TODO: read CIFAR10 with torchvision, move dataset.data to the device once, convert to float channels_last there.
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
    """Train ``model`` on device-resident ``images``/``labels`` with Adam(lr) and CrossEntropyLoss.

    Pass ``optimizer`` to continue with an existing one (its state carries over between calls);
    by default a new Adam(model.parameters(), lr) is made.
    Moves the model to the images' device in channels_last format and puts it in training mode.
    Each epoch visits every sample once in a fresh order drawn with torch.randperm on the device; a
    batch is ``images[order[i:i + batch_size]]``. ``amp`` (default: True on CUDA, False elsewhere)
    runs forward and loss under bfloat16 autocast. Never read a value back to the host inside the
    batch loop: add each batch's loss (times its size) to a device tensor and call ``.item()`` once
    per epoch. Returns the mean training loss of each epoch.
    """
    # TODO: per epoch: randperm on the device, slice batches, autocast forward, accumulate the loss on the device, one .item() at the end.
    raise NotImplementedError("kata fast_training.train_fast is not solved yet")


def evaluate_fast(model: nn.Module, images: torch.Tensor, labels: torch.Tensor, batch_size: int = 1024, amp: bool | None = None) -> float:
    """Accuracy of ``model`` on device-resident data: eval mode, inference_mode, counts kept on the device."""
    # TODO: eval mode and inference_mode; count correct predictions on the device; one .item() at the end.
    raise NotImplementedError("kata fast_training.evaluate_fast is not solved yet")


def run_fast_training(
    data_root: str | Path,
    epochs: int,
    device: str | torch.device = "cpu",
    batch_size: int = 256,
    lr: float = 1e-3,
    compile: bool = False,
) -> list[float]:
    """The fast path end to end: both splits to ``device`` once, a fresh modules.CifarNet, ``epochs`` epochs
    of train_fast (one call per epoch), and the test accuracy after each epoch (evaluate_fast).

    With ``compile``, the model is wrapped in torch.compile before training.
    """
    # TODO: load both splits once, build CifarNet (compiled if asked) and one Adam, then train and evaluate epoch by epoch.
    raise NotImplementedError("kata fast_training.run_fast_training is not solved yet")
