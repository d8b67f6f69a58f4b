"""vgg16_replace_last_layer hard-codes CIFAR10's 10 classes instead of using num_classes."""

from torch import nn
from torchvision import models

from solutions.vgg import *  # noqa: F403


def vgg16_replace_last_layer(num_classes=10):
    model = models.vgg16(weights=None)
    model.classifier[6] = nn.Linear(4096, 10)
    return model
