"""Datasets the DataLoader kata tests hand to worker processes.

They live in this plain module, which imports nothing but torch, because a DataLoader worker started
with ``spawn`` or ``forkserver`` (macOS, Windows, Python 3.14) unpickles the dataset by importing the
module that defines its class. Defined in a test module, that import would re-import the tests and
everything they import (pytest, ``kata_impl``); from here it costs only ``import torch``.
"""

from __future__ import annotations

import os

import torch
from torch.utils.data import Dataset


class Numbered(Dataset):
    """Sample i is (a (1, 2, 2) image filled with i, the int label i); indices outside 0..n-1 raise IndexError."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int):
        if not 0 <= i < self.n:
            raise IndexError(i)
        return torch.full((1, 2, 2), float(i)), i


class WhoLoadedMe(Numbered):
    """Sample i is (i, the id of the process that loaded it)."""

    def __getitem__(self, i: int):
        if not 0 <= i < self.n:
            raise IndexError(i)
        return i, os.getpid()
