"""train_one_epoch feeds each batch to the model where the DataLoader left it (on the CPU), never moving it to the device."""

from __future__ import annotations

import argparse  # noqa: F401
import sys  # noqa: F401
from pathlib import Path  # noqa: F401

import torch  # noqa: F401
from torch import nn  # noqa: F401

from solutions.modules import CifarNet  # noqa: F401
from solutions.training import *  # noqa: F403
from solutions.training import evaluate, move_batch  # noqa: F401


def train_one_epoch(model: nn.Module, batches: Iterable, loss_fn: nn.Module, optimizer: torch.optim.Optimizer, device) -> list[float]:
    model.train()
    losses = []
    for images, labels in batches:
        optimizer.zero_grad()  # gradients accumulate otherwise
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
