"""Kata 4: TensorBoard's SummaryWriter - scalars, images in CHW and HWC layout, and a model's graph.

From the note's section TensorBoard (import it with ``from torch.utils.tensorboard import SummaryWriter``;
the note misspells the name). The contract shared by every function here: each SummaryWriter it opens writes
into the given ``log_dir`` - never the default ./runs folder - and is closed before the function returns, so
that the event file on disk is complete when the caller reads it.

【中文】
练习 4：TensorBoard 的 SummaryWriter——标量、CHW 与 HWC 布局的图片，以及模型的计算图。

对应笔记的 TensorBoard 一节（导入写法是 ``from torch.utils.tensorboard import SummaryWriter``，笔记里把
类名拼错了）。本文件中所有函数共同遵守的约定：它打开的每个 SummaryWriter 都写入给定的 ``log_dir``——
绝不写到默认的 ./runs 文件夹——并且在函数返回之前已经关闭，这样调用方读取时，磁盘上的事件文件是完整的。
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn
from torch.utils.tensorboard import SummaryWriter


def log_scalars(log_dir: str, tag: str, values: Sequence[float]) -> None:
    """Log ``values`` as one scalar series under ``tag``, value i at global step i (0, 1, 2, ...).

    Read back with TensorBoard, ``log_dir`` holds exactly one scalar tag, the ``tag`` given (e.g. 'train/loss',
    kept as it is), whose (step, value) points are (0, values[0]), (1, values[1]), ... in order.

    【中文】
    把 ``values`` 作为 ``tag`` 下的一条标量序列写入日志，第 i 个值记在全局步数（global step）i 处
    （0, 1, 2, ...）。

    用 TensorBoard 读回时，``log_dir`` 里只有一个标量标签，就是传入的 ``tag``（例如 'train/loss'，原样
    使用），它的 (步数, 值) 依次为 (0, values[0])、(1, values[1])……顺序不变。
    """
    # The context manager closes (and so flushes) the writer.
    # 上下文管理器会关闭写入器（因而也会把内容刷新到磁盘）。
    with SummaryWriter(log_dir=log_dir) as writer:
        for step, value in enumerate(values):
            writer.add_scalar(tag, value, global_step=step)


def log_image_tensor(log_dir: str, tag: str, image: torch.Tensor, step: int = 0) -> None:
    """Log one image under ``tag`` at global step ``step``: a float tensor (C, H, W) in [0, 1] (ToTensor's output).

    TensorBoard then shows one image under ``tag``, W pixels wide and H high, at step ``step`` (0 when not given),
    whose pixel at row r, column c has the value image[:, r, c] * 255 (to within rounding). The lesson: this layout
    and value range are exactly what add_image assumes when told nothing else.

    【中文】
    在全局步数 ``step`` 处把一张图片记录到 ``tag`` 下：图片是取值在 [0, 1] 内的 (C, H, W) 浮点张量
    （即 ToTensor 的输出）。

    之后 TensorBoard 在 ``tag`` 下显示一张宽 W、高 H 的图片，位于步数 ``step``（不传时为 0）；第 r 行第 c 列
    像素的值是 image[:, r, c] * 255（允许舍入误差）。要点：这种布局和取值范围，恰好就是不加任何说明时
    add_image 默认假定的那一种。
    """
    with SummaryWriter(log_dir=log_dir) as writer:
        writer.add_image(tag, image, global_step=step)


def log_image_array(log_dir: str, tag: str, image: np.ndarray, step: int = 0) -> None:
    """Log one image under ``tag`` at global step ``step``: a uint8 array (H, W, C), what ``np.array(pil_image)`` gives.

    TensorBoard then shows one image under ``tag``, W pixels wide and H high, at step ``step`` (0 when not given),
    with exactly the array's pixel values (0..255, colours in the array's channel order, nothing rescaled). The
    lesson: channels-last is not add_image's default layout, so the data alone does not tell it how to read them.

    【中文】
    在全局步数 ``step`` 处把一张图片记录到 ``tag`` 下：图片是 (H, W, C) 的 uint8 数组，也就是
    ``np.array(pil_image)`` 得到的结果。

    之后 TensorBoard 在 ``tag`` 下显示一张宽 W、高 H 的图片，位于步数 ``step``（不传时为 0），像素值与数组
    完全相同（0..255，颜色按数组的通道顺序，不做任何缩放）。要点：通道在最后一维并不是 add_image 的默认
    布局，光凭数据本身，它无从知道该怎样解读。
    """
    with SummaryWriter(log_dir=log_dir) as writer:
        # np.array(PIL image) is height x width x channels, not add_image's default CHW.
        # np.array(PIL 图像) 的各维是 高 x 宽 x 通道，而不是 add_image 默认的 CHW。
        writer.add_image(tag, image, global_step=step, dataformats="HWC")


def log_graph(log_dir: str, model: nn.Module, example_input: torch.Tensor) -> None:
    """Log the graph of ``model``, traced by running it once on ``example_input``.

    TensorBoard then finds a graph in ``log_dir`` whose nodes name the model's layers and whose input has the
    shape of ``example_input``. The model is left as it was: the same weights and buffers, and every submodule in
    the train/eval mode it had before the call (train stays train, eval stays eval).

    【中文】
    把 ``model`` 的计算图写入日志：在 ``example_input`` 上运行一次模型，借此追踪（trace）出计算图。

    之后 TensorBoard 能在 ``log_dir`` 中找到一张计算图：节点名里出现模型各层的名字，输入的形状与
    ``example_input`` 相同。模型保持原样：权重和缓冲区不变，每个子模块也保持调用前的训练/评估模式
    （原来是训练模式的仍是训练模式，原来是评估模式的仍是评估模式）。
    """
    with SummaryWriter(log_dir=log_dir) as writer:
        writer.add_graph(model, example_input)
