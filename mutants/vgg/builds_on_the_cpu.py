"""vgg16_append_layer builds its model inside ``with torch.device("cpu")``, ignoring the default device the caller
chose: the model comes back on the CPU (and takes seconds to build instead of milliseconds on meta)."""

import torch
from torch import nn
from torchvision import models

from solutions.vgg import *  # noqa: F403


def vgg16_append_layer(num_classes=10):
    with torch.device("cpu"):
        model = models.vgg16(weights=None)
        model.classifier.add_module("add_linear", nn.Linear(1000, num_classes))
    return model
