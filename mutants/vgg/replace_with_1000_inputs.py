"""vgg16_replace_last_layer mixes up the two katas: the new last layer takes 1000 inputs instead of 4096."""

from torch import nn
from torchvision import models

from solutions.vgg import *  # noqa: F403


def vgg16_replace_last_layer(num_classes=10):
    model = models.vgg16(weights=None)
    model.classifier[6] = nn.Linear(1000, num_classes)
    return model
