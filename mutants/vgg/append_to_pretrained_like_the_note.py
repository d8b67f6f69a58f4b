"""vgg16_append_layer copies the note's vgg16(pretrained=True): the deprecated spelling, and a download."""

import warnings

from torch import nn
from torchvision import models

from solutions.vgg import *  # noqa: F403


def vgg16_append_layer(num_classes=10):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pretrained= is deprecated; the mistake is the download, not the warning
        model = models.vgg16(pretrained=True)
    model.classifier.add_module("add_linear", nn.Linear(1000, num_classes))
    return model
