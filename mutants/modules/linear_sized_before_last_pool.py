"""CifarNet sizes its first Linear layer for 64x8x8 features (the size before the third pooling): 1024 features
arrive where Linear(4096, 64) expects 4096."""

from torch import nn

from solutions.modules import *  # noqa: F403
from solutions.modules import CifarNet as _Reference


class CifarNet(_Reference):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(64 * 8 * 8, 64)
        self.fc2 = nn.Linear(64, 10)
