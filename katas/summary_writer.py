"""Kata 4: TensorBoard's SummaryWriter - scalars, images in CHW and HWC layout, and a model's graph.

From the note's section TensorBoard. The import is ``from torch.utils.tensorboard import SummaryWriter``.
Every function here opens its SummaryWriter on the given ``log_dir`` (never the default runs/ folder) and
closes it (``writer.close()`` or a ``with`` block) before returning, so that the event file is complete on disk.

【中文】
练习 4：TensorBoard 的 SummaryWriter——标量、CHW 与 HWC 布局的图片，以及模型的计算图。

对应笔记的 TensorBoard 一节。导入语句是 ``from torch.utils.tensorboard import SummaryWriter``。
这里的每个函数都在给定的 ``log_dir`` 上打开自己的 SummaryWriter（绝不用默认的 runs/ 文件夹），并在
返回前将它关闭（``writer.close()`` 或 ``with`` 块），使磁盘上的事件文件完整。
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn
from torch.utils.tensorboard import SummaryWriter


def log_scalars(log_dir: str, tag: str, values: Sequence[float]) -> None:
    """Log ``values`` as one scalar series under ``tag``, value i at global step i (0, 1, 2, ...).

    【中文】
    把 ``values`` 作为 ``tag`` 下的一条标量序列写入日志，第 i 个值记在全局步数（global step）i 处
    （0, 1, 2, ...）。
    """
    # TODO: store the values as one series under tag, value i at step i, in a complete event file in log_dir.
    # 待办：把这些值存成 tag 下的一条序列，第 i 个值在第 i 步，并在 log_dir 中留下完整的事件文件。
    raise NotImplementedError("kata summary_writer.log_scalars is not solved yet")


def log_image_tensor(log_dir: str, tag: str, image: torch.Tensor, step: int = 0) -> None:
    """Log one image under ``tag`` at global step ``step``: a float tensor (C, H, W) in [0, 1] (ToTensor's output).

    (C, H, W) and [0, 1] are add_image's default layout and value range: TensorBoard shows value v as pixel v * 255.

    【中文】
    在全局步数 ``step`` 处把一张图片记录到 ``tag`` 下：图片是取值在 [0, 1] 内的 (C, H, W) 浮点张量
    （即 ToTensor 的输出）。

    (C, H, W) 和 [0, 1] 正是 add_image 默认的布局和取值范围：TensorBoard 把值 v 显示为像素值 v * 255。
    """
    # TODO: store the (C, H, W) image under tag at the given step, leaving a complete event file in log_dir.
    # 待办：在给定步数把 (C, H, W) 图片存到 tag 下，并在 log_dir 中留下完整的事件文件。
    raise NotImplementedError("kata summary_writer.log_image_tensor is not solved yet")


def log_image_array(log_dir: str, tag: str, image: np.ndarray, step: int = 0) -> None:
    """Log one image under ``tag`` at global step ``step``: a uint8 array (H, W, C), what ``np.array(pil_image)`` gives.

    That layout is not add_image's default; say which layout the data has. The pixel values (0..255) are shown as
    they are.

    【中文】
    在全局步数 ``step`` 处把一张图片记录到 ``tag`` 下：图片是 (H, W, C) 的 uint8 数组，也就是
    ``np.array(pil_image)`` 得到的结果。

    这种布局不是 add_image 的默认布局，要说明数据采用的是哪种布局。像素值（0..255）按原样显示。
    """
    # TODO: store the (H, W, C) uint8 array under tag at the given step so that TensorBoard reads its channels right.
    # 待办：在给定步数把 (H, W, C) 的 uint8 数组存到 tag 下，让 TensorBoard 正确识别它的通道。
    raise NotImplementedError("kata summary_writer.log_image_array is not solved yet")


def log_graph(log_dir: str, model: nn.Module, example_input: torch.Tensor) -> None:
    """Log the graph of ``model``: TensorBoard traces it by running it once on ``example_input``.

    The model is left as it was: same weights, same train/eval mode.

    【中文】
    把 ``model`` 的计算图写入日志：TensorBoard 在 ``example_input`` 上运行一次模型，
    借此追踪（trace）出计算图。

    模型保持原样：权重不变，训练/评估模式也不变。
    """
    # TODO: record the model's graph in log_dir, leaving its weights and its train/eval mode as they were.
    # 待办：把模型的计算图记录到 log_dir，并让它的权重和训练/评估模式保持原样。
    raise NotImplementedError("kata summary_writer.log_graph is not solved yet")
