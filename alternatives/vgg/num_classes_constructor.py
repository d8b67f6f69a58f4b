"""vgg16's own num_classes argument builds the 4096 -> num_classes head directly (the same architecture as replacing
classifier[6]); the appended layer is registered by assigning an attribute of the Sequential."""

from torch import nn
from torchvision import models

from solutions.vgg import *  # noqa: F403


def vgg16_replace_last_layer(num_classes=10):
    return models.vgg16(weights=None, num_classes=num_classes)


def vgg16_append_layer(num_classes=10):
    model = models.vgg16(weights=None)
    model.classifier.add_linear = nn.Linear(1000, num_classes)  # attribute assignment registers a child module
    return model
