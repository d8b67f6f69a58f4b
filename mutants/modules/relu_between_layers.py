"""CifarNet adds a ReLU after each convolution and after the first Linear, as most CNNs do - but the note's
network has no activation, and the kata asks for that network."""

import torch
import torch.nn.functional as F

from solutions.modules import *  # noqa: F403
from solutions.modules import CifarNet as _Reference


class CifarNet(_Reference):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool1(F.relu(self.conv1(x)))
        x = self.pool2(F.relu(self.conv2(x)))
        x = self.pool3(F.relu(self.conv3(x)))
        return self.fc2(F.relu(self.fc1(self.flatten(x))))
