"""vgg16_append_layer uses Sequential.append, so the new layer is named '7' instead of 'add_linear'."""

from torch import nn
from torchvision import models

from solutions.vgg import *  # noqa: F403


def vgg16_append_layer(num_classes=10):
    model = models.vgg16(weights=None)
    model.classifier.append(nn.Linear(1000, num_classes))
    return model
