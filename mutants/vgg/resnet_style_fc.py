"""vgg16_replace_last_layer assigns model.fc as for a ResNet: VGG has no fc, so the new layer is never used."""

from torch import nn
from torchvision import models

from solutions.vgg import *  # noqa: F403


def vgg16_replace_last_layer(num_classes=10):
    model = models.vgg16(weights=None)
    model.fc = nn.Linear(4096, num_classes)
    return model
