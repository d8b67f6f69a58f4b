"""Kata 12: an existing network - torchvision's VGG16, adapted to CIFAR10's 10 classes.

From the note's section 现有网络. ``torchvision.models.vgg16(weights=None)`` builds the architecture with
random weights and downloads nothing (``pretrained=`` is the deprecated spelling). Its classifier ends
with Linear(4096, 1000) for ImageNet's 1000 classes; for 10 classes, either replace that layer or
append one that maps 1000 to 10. Thanks to its AdaptiveAvgPool2d(7), it accepts 32x32 images.
"""

from __future__ import annotations

from torch import nn
from torchvision import models


def vgg16_replace_last_layer() -> nn.Module:
    """VGG16 (weights=None) whose last classifier layer, classifier[6], is replaced by Linear(4096, 10)."""
    model = models.vgg16(weights=None)  # weights=None: random initialisation, nothing downloaded
    model.classifier[6] = nn.Linear(4096, 10)
    return model


def vgg16_append_layer() -> nn.Module:
    """VGG16 (weights=None) with a Linear(1000, 10) appended to its classifier under the name 'add_linear'.

    The original Linear(4096, 1000) stays; the new layer becomes classifier[7].
    """
    model = models.vgg16(weights=None)
    model.classifier.add_module("add_linear", nn.Linear(1000, 10))
    return model
