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
    # TODO: return the images and the labels, both now living on the given device.
    raise NotImplementedError("kata training.move_batch is not solved yet")


def train_one_epoch(model: nn.Module, batches: Iterable, loss_fn: nn.Module, optimizer: torch.optim.Optimizer, device) -> list[float]:
    """Train ``model`` (already on ``device``) for one pass over ``batches`` of (images, labels).

    Put the model in training mode; for every batch move it to the device, clear the gradients (before
    the backward: the model may arrive with stale ones), compute the loss, backpropagate and step.
    Return the loss of every step as a list of Python floats (not tensors).
    """
    # TODO: one pass in training mode where every batch makes exactly one clean update; return each step's loss as a float.
    raise NotImplementedError("kata training.train_one_epoch is not solved yet")


def evaluate(model: nn.Module, batches: Iterable, loss_fn: nn.Module, device) -> tuple[float, float]:
    """Return (accuracy, mean loss) of ``model`` over ``batches`` as two Python floats, without training it.

    Evaluation mode (Dropout off, BatchNorm on its running statistics) and torch.no_grad() (no graph is
    built; torch.inference_mode() does as well). The prediction is the argmax over the class dimension
    (dim 1). Both numbers are averages over samples, not over batches: a last, smaller batch weighs less.
    """
    # TODO: score the model in its inference behaviour, recording no graph; average accuracy and loss over samples, not batches.
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

    Load the training split (train=True) and the test split (train=False) with torchvision's CIFAR10
    and ToTensor (downloading only when ``download`` is True) and batch both with DataLoaders: the
    training set shuffled, in batches of ``batch_size`` (the test set in batches of any size). On
    ``device``, with one SGD optimizer over the model's parameters at learning rate ``lr`` and
    CrossEntropyLoss, each epoch trains on every training batch once, then evaluates on the test
    split. Return the test accuracies, one Python float per epoch.
    When ``log_dir`` is given, log through one SummaryWriter writing to ``log_dir``, closed before
    returning: the training loss of every step as 'train/loss' (global step = the number of steps taken
    before it: 0, 1, 2, ..., counting on across epochs) and the test accuracy of every epoch as
    'test/accuracy' (global step = epoch, from 1); without ``log_dir``, create no writer. Show a tqdm
    progress bar over each epoch's training batches on stderr when ``progress`` is True, or when it is
    None and stderr is a terminal.
    """
    # TODO: train CifarNet on CIFAR10 for `epochs` epochs, evaluating (and, with a log_dir, logging) each one; return the accuracies.
    raise NotImplementedError("kata training.run_training is not solved yet")


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m <package>.training --data DIR [--epochs N] [--batch-size N] [--lr LR]
    [--device D] [--log-dir DIR] [--download]``.

    Calls run_training with these options (defaults: 10 epochs, batch size 64, lr 0.01, no log, no
    download), prints one line per epoch on stdout, starting ``epoch N: test accuracy A`` (N from 1, A
    the accuracy as a fraction, e.g. 0.8125), and returns 0. --device defaults to cuda when
    torch.cuda.is_available() says so as main runs, else cpu. Bad arguments are usage errors (argparse's:
    a message on stderr, exit status 2, and no training): a missing --data, --epochs or --batch-size
    below 1, --lr not above 0, a --device torch cannot parse, and cuda on a machine without CUDA (say
    so in the message). A missing dataset (without --download) is reported on stderr with torchvision's
    reason, and main returns 1.
    """
    # TODO: turn the options into one run_training call, refusing bad values as usage errors; report one line per epoch.
    raise NotImplementedError("kata training.main is not solved yet")


if __name__ == "__main__":
    sys.exit(main())
