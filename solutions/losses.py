"""Kata 10: loss functions - L1Loss, MSELoss, SmoothL1Loss and CrossEntropyLoss.

From the note's section 损失函数. A loss is a module: build it with its options (reduction, beta,
weight, ...) and then call it with (input, target). ``nn.L1Loss(input, target)`` would pass the
tensors as constructor options - a misuse. Prediction and target must have the same shape: a (3, 1)
prediction against a (3,) target broadcasts to (3, 3) with only a warning, and a wrong result.

【中文】
第 10 组练习：损失函数 L1Loss、MSELoss、SmoothL1Loss 和 CrossEntropyLoss。

对应笔记的“损失函数”一节。损失函数是一个模块：先用它的选项（reduction、beta、weight 等）构造，
再用 (input, target) 调用。写成 ``nn.L1Loss(input, target)`` 会把两个张量当作构造选项传进去，这是误用。
预测值和目标的形状必须相同：(3, 1) 的预测值与 (3,) 的目标会被广播成 (3, 3)，只给出一条警告，
结果却是错的。
"""

from __future__ import annotations

import torch
from torch import nn


def l1_loss(prediction: torch.Tensor, target: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    """Mean absolute error as nn.L1Loss computes it: |prediction - target| per element, then reduced.

    reduction: 'mean' (the default: the average over all elements), 'sum', or 'none' (the per-element
    tensor, shaped like the inputs); 'mean' and 'sum' give a 0-d tensor. The inputs are used as they
    come, and their shapes are not checked but broadcast, as nn.L1Loss does: a (3, 1) prediction against
    a (3,) target gives the mean of |i - j| over all 3 x 3 pairs - a wrong number, with at most a warning
    to tell you (torch's loss warns). The lesson: match the shapes before the loss, never inside it.

    【中文】
    按 nn.L1Loss 的算法计算平均绝对误差：先逐元素求 |prediction - target|，再做归约。

    reduction：'mean'（默认，对所有元素取平均）、'sum'，或 'none'（逐元素的张量，形状与输入相同）；
    'mean' 和 'sum' 得到 0 维张量。输入按传入时的原样使用，不检查两者的形状是否一致，而是像 nn.L1Loss
    那样直接广播：(3, 1) 的预测值与 (3,) 的目标得到的是全部 3 x 3 对 |i - j| 的平均值——一个错误的数值，
    最多只有一条警告提醒你（torch 的损失会发出警告）。要学到的是：在计算损失之前就把形状对齐，而不是在损失内部。
    """
    return nn.L1Loss(reduction=reduction)(prediction, target)


def mse_loss(prediction: torch.Tensor, target: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    """Mean squared error as nn.MSELoss computes it: (prediction - target)^2 per element, then reduced.

    reduction as in l1_loss ('mean' by default, 'sum', 'none'). The result is differentiable: backward()
    through the mean gives prediction the gradient 2 * (prediction - target) / number_of_elements.

    【中文】
    按 nn.MSELoss 的算法计算均方误差：先逐元素求 (prediction - target)^2，再做归约。

    reduction 与 l1_loss 相同（默认 'mean'，另有 'sum'、'none'）。结果可以求导：对平均值调用 backward() 后，
    prediction 得到的梯度是 2 * (prediction - target) / number_of_elements。
    """
    return nn.MSELoss(reduction=reduction)(prediction, target)


def smooth_l1_loss(prediction: torch.Tensor, target: torch.Tensor, beta: float = 1.0) -> torch.Tensor:
    """Smooth L1 as nn.SmoothL1Loss(beta=beta) computes it, averaged over all elements (a 0-d tensor).

    Per element, with d = prediction - target: 0.5 * d^2 / beta where |d| < beta, else |d| - 0.5 * beta.
    beta is where the loss turns from quadratic to linear - not always 1. beta = 0 makes it exactly the
    L1 loss. (nn.HuberLoss(delta=beta) is a different loss: beta times this one.)

    【中文】
    按 nn.SmoothL1Loss(beta=beta) 的算法计算 Smooth L1 损失，并对所有元素取平均（返回 0 维张量）。

    记 d = prediction - target，逐元素计算：|d| < beta 时为 0.5 * d^2 / beta，否则为 |d| - 0.5 * beta。
    beta 是损失从二次变为线性的分界点，不一定是 1。beta = 0 时它恰好就是 L1 损失。
    （nn.HuberLoss(delta=beta) 是另一种损失：等于这里的损失乘以 beta。）
    """
    return nn.SmoothL1Loss(beta=beta)(prediction, target)


def cross_entropy(logits: torch.Tensor, target: torch.Tensor, weight=None, ignore_index: int = -100, label_smoothing: float = 0.0) -> torch.Tensor:
    """Cross entropy as nn.CrossEntropyLoss computes it with these options, averaged (a 0-d tensor).

    ``logits`` are raw scores, not probabilities: the loss applies log_softmax itself, over the class
    dimension (dim 1; dim 0 for a (C,) input). An item's loss is -log_softmax(logits)[its class].
    Shapes: (N, C) logits with (N,) class indices; (N, C, d1, ...) with (N, d1, ...); (C,) with a 0-d
    target. An (N, C) float target holds class probabilities instead of indices: an item's loss is then
    -sum over c of target[c] * log_softmax(logits)[c].
    ``weight`` (C,) weighs each class; with class indices y the mean becomes sum(w[y] * loss) / sum(w[y]).
    Items whose class index is ``ignore_index`` count in neither sum (every item ignored: 0 / 0 = nan).
    ``label_smoothing`` eps replaces the one-hot target by (1 - eps) * one_hot + eps / C.

    【中文】
    按 nn.CrossEntropyLoss 在这些选项下的算法计算交叉熵，并取平均（返回 0 维张量）。

    ``logits`` 是原始分数，不是概率：损失函数会自己在类别维度上做 log_softmax（dim 1；输入为 (C,) 时
    是 dim 0）。每一项的损失是 -log_softmax(logits)[该项的类别]。
    形状：(N, C) 的 logits 配 (N,) 的类别索引；(N, C, d1, ...) 配 (N, d1, ...)；(C,) 配 0 维的目标。
    (N, C) 的浮点目标存放的是各类别的概率而不是索引：这时每一项的损失是对所有类别 c 求和的
    -target[c] * log_softmax(logits)[c]。
    ``weight`` (C,) 给每个类别加权；目标为类别索引 y 时，平均值变为 sum(w[y] * loss) / sum(w[y])。
    类别索引等于 ``ignore_index`` 的项在两个求和中都不计入（所有项都被忽略时：0 / 0 = nan）。
    ``label_smoothing`` eps 把 one-hot 目标替换为 (1 - eps) * one_hot + eps / C。
    """
    return nn.CrossEntropyLoss(weight=weight, ignore_index=ignore_index, label_smoothing=label_smoothing)(logits, target)
