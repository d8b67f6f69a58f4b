"""vgg16_append_layer hard-codes 10 outputs instead of num_classes."""

from torch import nn
from torchvision import models

from solutions.vgg import *  # noqa: F403


def vgg16_append_layer(num_classes=10):
    model = models.vgg16(weights=None)
    model.classifier.add_module("add_linear", nn.Linear(1000, 10))
    return model
