"""Kata 12: an existing network - torchvision's VGG16, adapted to CIFAR10's 10 classes.

From the note's section 现有网络. ``torchvision.models.vgg16(weights=None)`` builds the architecture with
random weights and downloads nothing (``pretrained=`` is the deprecated spelling). Its classifier ends
with Linear(4096, 1000) for ImageNet's 1000 classes; for CIFAR10's 10 classes (or any num_classes),
either replace that layer or append one that maps 1000 to num_classes. Thanks to its
AdaptiveAvgPool2d(7), it accepts 32x32 images.

The tests call these functions inside ``with torch.device("meta")`` (shapes without memory, so a
138M-parameter model builds in an instant): build on the default device and do not move the model.

【中文】
练习 12：使用现有网络——把 torchvision 的 VGG16 改成适用于 CIFAR10 的 10 个类别。

对应笔记的“现有网络”一节。``torchvision.models.vgg16(weights=None)`` 构建网络结构并随机初始化权重，
不下载任何东西（``pretrained=`` 是已弃用的旧写法）。它的分类器（classifier）以 Linear(4096, 1000)
结尾，对应 ImageNet 的 1000 个类别；要用于 CIFAR10 的 10 个类别（或任意 num_classes），可以替换
这一层，也可以在后面追加一层，把 1000 映射到 num_classes。得益于其中的 AdaptiveAvgPool2d(7)，
它也能接受 32x32 的图像。

测试会在 ``with torch.device("meta")`` 中调用这些函数（只有形状、不分配内存，因此有 1.38 亿参数的
模型也能瞬间建好）：请在默认设备上构建，不要移动模型。
"""

from __future__ import annotations

from torch import nn
from torchvision import models


def vgg16_replace_last_layer(num_classes: int = 10) -> nn.Module:
    """VGG16 (weights=None) whose last classifier layer, classifier[6], is replaced by Linear(4096, num_classes).

    Everything else stays as torchvision builds it (the classifier keeps its 7 layers), and the
    model maps a batch of 32x32 RGB images (N, 3, 32, 32) to scores (N, num_classes).

    【中文】
    返回 VGG16（weights=None），其分类器的最后一层 classifier[6] 换成 Linear(4096, num_classes)。

    其余部分都保持 torchvision 构建时的样子（分类器仍为 7 层），模型把一批 32x32 的 RGB 图像
    (N, 3, 32, 32) 映射为得分 (N, num_classes)。
    """
    model = models.vgg16(weights=None)  # weights=None: random initialisation, nothing downloaded
    model.classifier[6] = nn.Linear(4096, num_classes)
    return model


def vgg16_append_layer(num_classes: int = 10) -> nn.Module:
    """VGG16 (weights=None) with a Linear(1000, num_classes) appended to its classifier under the name 'add_linear'.

    The original Linear(4096, 1000) and everything else stay as torchvision builds them; the new
    layer becomes classifier[7], so the model maps (N, 3, 32, 32) images to (N, num_classes) scores.

    【中文】
    返回 VGG16（weights=None），并在其分类器末尾以 'add_linear' 为名追加一层 Linear(1000, num_classes)。

    原有的 Linear(4096, 1000) 及其余部分都保持 torchvision 构建时的样子；新层成为 classifier[7]，
    于是模型把 (N, 3, 32, 32) 的图像映射为 (N, num_classes) 的得分。
    """
    model = models.vgg16(weights=None)
    model.classifier.add_module("add_linear", nn.Linear(1000, num_classes))
    return model
