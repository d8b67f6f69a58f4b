"""CifarNet flattens with x.view(-1, 64 * 4 * 4): on 64x64 images each sample's 4096 features are silently
regrouped into four rows of 1024, so the batch size changes instead of an error being raised."""

import torch

from solutions.modules import *  # noqa: F403
from solutions.modules import CifarNet as _Reference


class CifarNet(_Reference):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool1(self.conv1(x))
        x = self.pool2(self.conv2(x))
        x = self.pool3(self.conv3(x))
        return self.fc2(self.fc1(x.view(-1, 64 * 4 * 4)))
