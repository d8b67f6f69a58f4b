"""evaluate feeds each test batch to the model without moving it to the device (fine on a CPU, a crash on a GPU)."""

from __future__ import annotations

import argparse  # noqa: F401
import sys  # noqa: F401
from pathlib import Path  # noqa: F401

import torch  # noqa: F401
from torch import nn  # noqa: F401

from solutions.modules import CifarNet  # noqa: F401
from solutions.training import *  # noqa: F403
from solutions.training import move_batch, train_one_epoch  # noqa: F401


def evaluate(model: nn.Module, batches: Iterable, loss_fn: nn.Module, device) -> tuple[float, float]:
    model.eval()  # Dropout and BatchNorm switch to their inference behaviour
    correct, total, loss_sum = 0, 0, 0.0
    with torch.no_grad():  # no graph: faster, and less memory
        for images, labels in batches:
            outputs = model(images)
            loss_sum += loss_fn(outputs, labels).item() * labels.shape[0]
            correct += (outputs.argmax(dim=1) == labels).sum().item()
            total += labels.shape[0]
    return correct / total, loss_sum / total
