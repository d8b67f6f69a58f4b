"""Kata 12: an existing network - torchvision's VGG16, adapted to CIFAR10's 10 classes.

From the note's section 现有网络. torchvision.models.vgg16 can build the architecture with random
weights and download nothing (the note's ``pretrained=`` is the deprecated spelling of the choice
of weights). Its classifier ends with Linear(4096, 1000) for ImageNet's 1000 classes; for CIFAR10's
10 classes (or any num_classes), either replace that layer or append one that maps 1000 to
num_classes. Thanks to its adaptive average pooling, it accepts 32x32 images.

The tests call these functions inside ``with torch.device("meta")`` (shapes without memory, so a
138M-parameter model builds in an instant): the model must come back on that default device.

【中文】
练习 12：使用现有网络——把 torchvision 的 VGG16 改成适用于 CIFAR10 的 10 个类别。

对应笔记的“现有网络”一节。torchvision.models.vgg16 可以只构建网络结构、随机初始化权重，不下载任何
东西（笔记里的 ``pretrained=`` 是选择权重的旧写法，已经弃用）。它的分类器（classifier）以
Linear(4096, 1000) 结尾，对应 ImageNet 的 1000 个类别；要用于 CIFAR10 的 10 个类别（或任意
num_classes），可以替换这一层，也可以在后面追加一层，把 1000 映射到 num_classes。得益于其中的
自适应平均池化，它也能接受 32x32 的图像。

测试会在 ``with torch.device("meta")`` 中调用这些函数（只有形状、不分配内存，因此有 1.38 亿参数的
模型也能瞬间建好）：返回的模型必须位于这个默认设备上。
"""

from __future__ import annotations

from torch import nn
from torchvision import models


def vgg16_replace_last_layer(num_classes: int = 10) -> nn.Module:
    """torchvision's VGG16, untrained, whose last classifier layer, classifier[6], is a Linear(4096, num_classes).

    The weights are random: nothing is downloaded or loaded. Everything else is as torchvision builds
    it - the same layers with the same parameter shapes, and a classifier of 7 layers - so the model
    has VGG16's parameters less the 1000-way head plus the new 4096 -> num_classes layer (bias
    included). It maps a batch of 32x32 RGB images (N, 3, 32, 32) to scores (N, num_classes). The
    model is built on the default device in effect when the function is called, and is not moved.

    【中文】
    返回未经训练的 torchvision VGG16，其分类器的最后一层 classifier[6] 是 Linear(4096, num_classes)。

    权重是随机的：不下载、也不加载任何东西。其余部分都与 torchvision 构建的一样——层相同、参数形状相同，
    分类器仍为 7 层——因此模型的参数量等于 VGG16 减去输出 1000 类的那一层，再加上新的 4096 -> num_classes
    层（含偏置）。模型把一批 32x32 的 RGB 图像 (N, 3, 32, 32) 映射为得分 (N, num_classes)。模型建在调用
    函数时生效的默认设备上，之后不再移动。
    """
    model = models.vgg16(weights=None)  # weights=None: random initialisation, nothing downloaded
    model.classifier[6] = nn.Linear(4096, num_classes)
    return model


def vgg16_append_layer(num_classes: int = 10) -> nn.Module:
    """torchvision's VGG16, untrained, with a Linear(1000, num_classes) named 'add_linear' appended to its classifier.

    The classifier's children are the 7 original ones followed by 'add_linear', which is therefore
    classifier[7]; the original Linear(4096, 1000) and everything else stay as torchvision builds them,
    so the model has VGG16's parameters plus the new layer's (bias included). The weights are random:
    nothing is downloaded or loaded. The new layer is the last step of the forward pass, so the model
    maps (N, 3, 32, 32) images to (N, num_classes) scores. The model is built on the default device in
    effect when the function is called, and is not moved.

    【中文】
    返回未经训练的 torchvision VGG16，并在其分类器末尾追加一层名为 'add_linear' 的 Linear(1000, num_classes)。

    分类器的子模块是原有的 7 个，后面跟着 'add_linear'，所以它就是 classifier[7]；原有的
    Linear(4096, 1000) 及其余部分都与 torchvision 构建的一样，因此模型的参数量等于 VGG16 的参数量加上
    新层的参数（含偏置）。权重是随机的：不下载、也不加载任何东西。新层是前向传播的最后一步，于是模型把
    (N, 3, 32, 32) 的图像映射为 (N, num_classes) 的得分。模型建在调用函数时生效的默认设备上，之后不再移动。
    """
    model = models.vgg16(weights=None)
    model.classifier.add_module("add_linear", nn.Linear(1000, num_classes))
    return model
