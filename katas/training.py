"""Kata 14: the whole training and testing loop on CIFAR10, on CPU or GPU, logged to TensorBoard.

From the note's sections 训练, 测试 and GPU training. The pieces:
- one epoch of training: model.train(), then per batch: move to the device, zero_grad, forward, loss,
  backward, step;
- evaluation: model.eval() and torch.no_grad(), accuracy (argmax over the class dimension) and mean loss;
- the pipeline: CIFAR10 through torchvision with ToTensor, the note's network (modules.CifarNet), SGD,
  CrossEntropyLoss, a TensorBoard log and, in a terminal, a progress bar;
- ``python -m <package>.training --help``: the same from the command line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

import torch
from torch import nn

from .modules import CifarNet


def move_batch(images: torch.Tensor, labels: torch.Tensor, device: torch.device | str) -> tuple[torch.Tensor, torch.Tensor]:
    """Move one batch - the images *and* the labels - to ``device``; return both."""
    # TODO: move images and labels to the device and return both.
    raise NotImplementedError("kata training.move_batch is not solved yet")


def train_one_epoch(model: nn.Module, batches: Iterable, loss_fn: nn.Module, optimizer: torch.optim.Optimizer, device) -> list[float]:
    """Train ``model`` (already on ``device``) for one pass over ``batches`` of (images, labels).

    Put the model in training mode; for every batch move it to the device, clear the gradients,
    compute the loss, backpropagate and step. Return the loss of every step as floats.
    """
    # TODO: train mode; per batch: move it, zero_grad, forward, loss, backward, step; collect loss.item().
    raise NotImplementedError("kata training.train_one_epoch is not solved yet")


def evaluate(model: nn.Module, batches: Iterable, loss_fn: nn.Module, device) -> tuple[float, float]:
    """Return (accuracy, mean loss) of ``model`` over ``batches``, without training it.

    Evaluation mode (Dropout off, BatchNorm on its running statistics) and torch.no_grad() (no graph is
    built). The prediction is the argmax over the class dimension (dim 1). Both numbers are averages
    over samples, not over batches: a last, smaller batch weighs less.
    """
    # TODO: eval mode and no_grad; sum correct predictions (argmax over dim 1) and loss * batch size; divide by the sample count.
    raise NotImplementedError("kata training.evaluate is not solved yet")


def run_training(
    data_root: str | Path,
    epochs: int,
    device: str | torch.device = "cpu",
    log_dir: str | Path | None = None,
    batch_size: int = 64,
    lr: float = 1e-2,
    download: bool = False,
    progress: bool | None = None,
) -> list[float]:
    """Train modules.CifarNet on CIFAR10 under ``data_root`` and return the test accuracy after each epoch.

    Load both splits with torchvision's CIFAR10 and ToTensor (downloading only when ``download`` is
    True), shuffle the training set, train with SGD(lr) and CrossEntropyLoss on ``device``. When
    ``log_dir`` is given, log the training loss of every step as 'train/loss' (global step = steps so
    far) and the test accuracy of every epoch as 'test/accuracy' (global step = epoch, from 1). Show a
    tqdm progress bar when ``progress`` is True, or when it is None and stderr is a terminal.
    """
    # TODO: build the datasets, loaders, CifarNet, SGD and loss; per epoch train, evaluate, log to TensorBoard; return the accuracies.
    raise NotImplementedError("kata training.run_training is not solved yet")


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m <package>.training --data DIR [--epochs N] [--device D] [--log-dir DIR] [--download]``.

    Prints the test accuracy after each epoch on stdout, one line per epoch, and returns 0. A missing
    dataset (without --download) is reported on stderr with exit status 1; bad arguments exit with
    status 2 (argparse's usage error). --device defaults to cuda when available, else cpu.
    """
    # TODO: parse the arguments, validate the device, call run_training, print one line per epoch.
    raise NotImplementedError("kata training.main is not solved yet")


if __name__ == "__main__":
    sys.exit(main())
