"""Kata 12: an existing network - torchvision's VGG16, adapted to CIFAR10's 10 classes.

From the note's section 现有网络. ``torchvision.models.vgg16(weights=None)`` builds the architecture with
random weights and downloads nothing (``pretrained=`` is the deprecated spelling). Its classifier ends
with Linear(4096, 1000) for ImageNet's 1000 classes; for CIFAR10's 10 classes (or any num_classes),
either replace that layer or append one that maps 1000 to num_classes. Thanks to its
AdaptiveAvgPool2d(7), it accepts 32x32 images.

The tests call these functions inside ``with torch.device("meta")`` (shapes without memory, so a
138M-parameter model builds in an instant): build on the default device and do not move the model.
"""

from __future__ import annotations

from torch import nn
from torchvision import models


def vgg16_replace_last_layer(num_classes: int = 10) -> nn.Module:
    """VGG16 (weights=None) whose last classifier layer, classifier[6], is replaced by Linear(4096, num_classes).

    Everything else stays as torchvision builds it (the classifier keeps its 7 layers), and the
    model maps a batch of 32x32 RGB images (N, 3, 32, 32) to scores (N, num_classes).
    """
    # TODO: build an untrained VGG16 whose final layer gives num_classes scores instead of 1000.
    raise NotImplementedError("kata vgg.vgg16_replace_last_layer is not solved yet")


def vgg16_append_layer(num_classes: int = 10) -> nn.Module:
    """VGG16 (weights=None) with a Linear(1000, num_classes) appended to its classifier under the name 'add_linear'.

    The original Linear(4096, 1000) and everything else stay as torchvision builds them; the new
    layer becomes classifier[7], so the model maps (N, 3, 32, 32) images to (N, num_classes) scores.
    """
    # TODO: build an untrained VGG16 whose classifier ends with one more layer, 'add_linear', from 1000 to num_classes.
    raise NotImplementedError("kata vgg.vgg16_append_layer is not solved yet")
