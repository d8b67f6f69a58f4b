"""Kata 10: loss functions - L1Loss, MSELoss, SmoothL1Loss and CrossEntropyLoss.

From the note's section 损失函数. Each kata returns what the torch loss of the same name returns for the
same options and inputs. A torch loss is a module: its options belong to its construction, the tensors to
its call - ``nn.L1Loss(input, target)`` hands the tensors over as options, a misuse. Prediction and
target must have the same shape: a (3, 1) prediction against a (3,) target broadcasts to (3, 3), with at
most a warning and a wrong result.

【中文】
第 10 组练习：损失函数 L1Loss、MSELoss、SmoothL1Loss 和 CrossEntropyLoss。

对应笔记的“损失函数”一节。每道练习在相同的选项和输入下，返回与 torch 中同名损失函数相同的结果。
torch 的损失函数是模块：选项在构造时给出，张量在调用时传入——写成 ``nn.L1Loss(input, target)``
就把两个张量当成了选项，这是误用。预测值和目标的形状必须一致：(3, 1) 的预测值配 (3,) 的目标会被
广播成 (3, 3)，最多给一条警告，算出来的却是错误的数值。
"""

from __future__ import annotations

import torch
from torch import nn


def l1_loss(prediction: torch.Tensor, target: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    """The mean absolute error: what nn.L1Loss with this reduction returns for (prediction, target).

    Returns a tensor. reduction is 'mean' (the default: one 0-d value, the average over all elements),
    'sum' (one 0-d value) or 'none' (the per-element losses, shaped like the inputs). The inputs are used
    exactly as they come: their shapes are not checked, they broadcast as they do in nn.L1Loss, so a (3, 1)
    prediction against a (3,) target gives 8/9 for [1, 2, 3] against [1, 2, 3] (where equal shapes give 0).
    Whether a warning is shown is not checked. The lesson: match the shapes before the loss, never inside it.

    【中文】
    平均绝对误差：在 (prediction, target) 上返回与采用同一 reduction 的 nn.L1Loss 相同的结果。

    返回张量。reduction 可取 'mean'（默认：一个 0 维张量，即所有元素的平均值）、'sum'（一个 0 维张量）
    或 'none'（逐元素的损失，形状与输入相同）。输入按传入时的原样使用：不检查形状，而是像在 nn.L1Loss
    中那样广播，因此 [1, 2, 3] 作为 (3, 1) 的预测值、[1, 2, 3] 作为 (3,) 的目标时，结果是 8/9（形状一致时
    结果为 0）。是否给出警告不在检查范围内。要学到的是：在算损失之前就把形状对齐，而不是在损失里面补救。
    """
    # TODO: return the mean absolute error under the chosen reduction, on the inputs exactly as they come.
    # 待办：按所选的 reduction 返回平均绝对误差，输入保持传入时的原样。
    raise NotImplementedError("kata losses.l1_loss is not solved yet")


def mse_loss(prediction: torch.Tensor, target: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    """The mean squared error: what nn.MSELoss with this reduction returns for (prediction, target).

    reduction as in l1_loss: 'mean' by default (0-d), 'sum' (0-d) or 'none' (shaped like the inputs). The
    result is differentiable: backward() through it reaches prediction and gives it torch's gradient
    (computing through numpy or Python floats would cut it off).

    【中文】
    均方误差：在 (prediction, target) 上返回与采用同一 reduction 的 nn.MSELoss 相同的结果。

    reduction 与 l1_loss 相同：默认 'mean'（0 维），另有 'sum'（0 维）和 'none'（形状与输入相同）。
    结果可以求导：对它调用 backward() 时，梯度会传回 prediction，并与 torch 算出的梯度一致
    （经由 numpy 或 Python 浮点数计算会把梯度截断）。
    """
    # TODO: return torch's squared-error loss under the chosen reduction, so that gradients flow back to prediction.
    # 待办：按所选的 reduction 返回 torch 计算的平方误差损失，并让梯度能传回 prediction。
    raise NotImplementedError("kata losses.mse_loss is not solved yet")


def smooth_l1_loss(prediction: torch.Tensor, target: torch.Tensor, beta: float = 1.0) -> torch.Tensor:
    """Smooth L1: what nn.SmoothL1Loss with this beta returns for (prediction, target), averaged (0-d).

    The loss is quadratic for small differences and linear for large ones, and beta is where it switches -
    not always 1: the result must match torch for every beta (beta = 0 gives exactly the L1 loss, the mean
    of |prediction - target|). Any finite difference is legal, however large: a difference of 1e20 gives a
    finite loss, never inf or nan.

    【中文】
    Smooth L1 损失：在 (prediction, target) 上返回与采用同一 beta 的 nn.SmoothL1Loss 相同的平均值（0 维）。

    差值小时损失是二次的，差值大时是线性的，beta 是两者的分界点——不一定是 1：对每个 beta，结果都要与
    torch 一致（beta = 0 时恰好就是 L1 损失，即 |prediction - target| 的平均值）。任何有限的差值都是合法
    输入，无论多大：差值为 1e20 时损失也是有限值，绝不会是 inf 或 nan。
    """
    # TODO: return the mean smooth-L1 loss whose quadratic-to-linear switch sits at the given beta (not always 1).
    # 待办：返回 Smooth L1 损失的平均值，它从二次转为线性的分界点在给定的 beta 处（不一定是 1）。
    raise NotImplementedError("kata losses.smooth_l1_loss is not solved yet")


def cross_entropy(logits: torch.Tensor, target: torch.Tensor, weight=None, ignore_index: int = -100, label_smoothing: float = 0.0) -> torch.Tensor:
    """Cross entropy: what nn.CrossEntropyLoss with these options returns for (logits, target), averaged.

    The result is a 0-d tensor in the logits' dtype, equal to torch's for every combination of weight,
    ignore_index and label_smoothing.

    ``logits`` are raw scores, not probabilities: the loss normalizes them itself (softmax first gives
    another, wrong number). Any finite logits are legal, however large: [1000, 0, -1000] with class 1 gives
    1000, never inf or nan. Shapes: (N, C) logits with (N,) class indices; (N, C, d1, ...) with
    (N, d1, ...), the mean then taken over every position of the whole batch; (C,) with a 0-d target; an
    (N, C) float target holds class probabilities instead of indices. The classes are along dim 1 (dim 0
    for a (C,) input), and C is the size of that dimension: a class with no item in the batch is legal.
    - ``weight`` (C,): each item counts with its class's weight, in the sum and in the total it is divided by.
    - ``ignore_index``: items with that class index count nowhere (every item ignored: nan, as in torch).
    - ``label_smoothing`` eps: a share eps of each target is spread evenly over all C classes.

    【中文】
    交叉熵：在 (logits, target) 上返回与采用同样选项的 nn.CrossEntropyLoss 相同的平均值。

    结果是 0 维张量，数据类型与 logits 相同；weight、ignore_index 和 label_smoothing 任意组合时，都与 torch 的结果一致。

    ``logits`` 是原始分数而不是概率：损失函数会自己做归一化（先做 softmax 会得到另一个错误的数值）。任何
    有限的 logits 都是合法输入，无论多大：[1000, 0, -1000] 配类别 1 得到 1000，绝不会是 inf 或 nan。
    形状：(N, C) 的 logits 配 (N,) 的类别索引；(N, C, d1, ...) 配 (N, d1, ...)，此时对整批数据的所有位置
    统一取平均；(C,) 配 0 维的目标；(N, C) 的浮点目标存放的是各类别的概率而不是索引。类别位于 dim 1
    （输入为 (C,) 时位于 dim 0），类别数 C 就是这个维度的大小：某个类别在这一批里一项都没有也是合法的。
    - ``weight`` (C,)：每一项按其类别的权重计入，分子的求和与作为分母的总量都如此。
    - ``ignore_index``：类别索引等于它的项完全不计入（所有项都被忽略时结果为 nan，与 torch 相同）。
    - ``label_smoothing`` eps：把每个目标中 eps 的份额平均分给全部 C 个类别。
    """
    # TODO: return the averaged cross entropy of the raw scores, honouring class weights, ignored items and label smoothing.
    # 待办：返回原始分数的平均交叉熵，并正确处理类别权重、被忽略的项和标签平滑。
    raise NotImplementedError("kata losses.cross_entropy is not solved yet")
