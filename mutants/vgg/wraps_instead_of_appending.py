"""vgg16_append_layer wraps the classifier in a new Sequential instead of adding a named module to it."""

from torch import nn
from torchvision import models

from solutions.vgg import *  # noqa: F403


def vgg16_append_layer(num_classes=10):
    model = models.vgg16(weights=None)
    model.classifier = nn.Sequential(model.classifier, nn.Linear(1000, num_classes))
    return model
