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
    # TODO: build vgg16 without weights and replace classifier[6].
    raise NotImplementedError("kata vgg.vgg16_replace_last_layer is not solved yet")


def vgg16_append_layer() -> nn.Module:
    """VGG16 (weights=None) with a Linear(1000, 10) appended to its classifier under the name 'add_linear'.

    The original Linear(4096, 1000) stays; the new layer becomes classifier[7].
    """
    # TODO: build vgg16 without weights and add a module named 'add_linear' to its classifier.
    raise NotImplementedError("kata vgg.vgg16_append_layer is not solved yet")
