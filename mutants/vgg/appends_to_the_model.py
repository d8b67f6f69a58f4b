"""vgg16_append_layer calls add_module on the VGG itself: the layer is registered but forward() never uses it."""

from torch import nn
from torchvision import models

from solutions.vgg import *  # noqa: F403


def vgg16_append_layer(num_classes=10):
    model = models.vgg16(weights=None)
    model.add_module("add_linear", nn.Linear(1000, num_classes))
    return model
