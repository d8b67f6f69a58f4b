"""Kata 1: where tensors live and how torch.reshape rearranges them.

From the note's opening sections: 配置 (setting PyTorch up, and whether CUDA is usable) and
常用操作 torch.reshape().

【中文】
练习 1：张量放在哪个设备上，以及 torch.reshape 如何重排张量。

对应笔记开头的两节：配置（安装配置 PyTorch，以及 CUDA 能否使用）和常用操作 torch.reshape()。
"""

from __future__ import annotations

import torch
from torch import nn


def pick_device() -> torch.device:
    """Return the device to compute on: ``cuda`` when PyTorch can use a GPU, otherwise ``cpu``.

    The answer follows ``torch.cuda.is_available()`` at the moment of the call, not at import time: the
    same process may get another answer later (the tests switch it between calls). Whether CUDA is
    usable depends on a CUDA build of torch, a driver and a GPU - not on which interpreter or virtual
    environment runs the code.

    Returns:
        a torch.device (not a string) of type ``cuda`` or ``cpu``.

    【中文】
    返回用来计算的设备：PyTorch 能使用 GPU 时为 ``cuda``，否则为 ``cpu``。

    结果取决于调用那一刻 ``torch.cuda.is_available()`` 的回答，而不是导入模块时的回答：同一个进程里，
    稍后再调用可能得到不同的结果（测试会在两次调用之间切换它）。CUDA 能否使用取决于支持 CUDA 的 torch
    构建版本、显卡驱动和 GPU 这三样东西，与运行代码的是哪个解释器、是否处在虚拟环境中无关。

    返回：
        一个 torch.device（不是字符串），类型为 ``cuda`` 或 ``cpu``。
    """
    # Ask torch at call time: the answer depends on the build, the driver and the hardware.
    # 在调用时询问 torch：答案取决于构建版本、驱动和硬件。
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def to_device(obj: torch.Tensor | nn.Module, device: torch.device | str) -> torch.Tensor | nn.Module:
    """Move a tensor or a module to ``device`` and return the object the caller must use from now on.

    A tensor does not move in place: the result is a tensor on ``device`` with the same shape, dtype and
    values, and the original stays on the device it was on. A module does move in place: every
    parameter and every buffer ends up on ``device``, and the same module object comes back (not a copy).
    The lesson: the two kinds of object move differently, so always go on with what the move returns.

    Args:
        obj: a tensor or an nn.Module.
        device: a torch.device or a string such as "cpu", "cuda" or "meta".
    Returns:
        the tensor on ``device``, or the same module object, moved.

    Checked only where a GPU is usable: a tensor moved to "cuda" is on the GPU and, brought back to the
    CPU, has the original's shape, dtype and values.

    【中文】
    把张量或模块移到 ``device`` 上，并返回调用者此后应当使用的对象。

    张量不会原地移动：结果是位于 ``device`` 上、形状、数据类型和数值都不变的张量，原张量仍留在原来的设备上。
    模块则是原地移动：它的每个参数和每个缓冲区（buffer）都会到 ``device`` 上，返回的是同一个模块对象
    （而不是副本）。要点在于：这两类对象的移动方式不同，所以之后一律使用移动操作返回的那个对象。

    参数：
        obj：一个张量或一个 nn.Module。
        device：torch.device，或 "cpu"、"cuda"、"meta" 这样的字符串。
    返回：
        位于 ``device`` 上的张量，或者已经移过去的同一个模块对象。

    只在有可用 GPU 的机器上检查：移到 "cuda" 的张量位于 GPU 上，再取回 CPU 后，形状、数据类型和数值都与原张量相同。
    """
    # Both have .to(); the tensor's result must be returned because the original is not moved.
    # 两者都有 .to()；张量必须返回其结果，因为原张量并没有被移动。
    return obj.to(device)


def reshape(x: torch.Tensor, shape: tuple[int, ...]) -> torch.Tensor:
    """Return ``x`` rearranged into ``shape`` with torch.reshape.

    Elements keep their row-major (C) order. One entry of ``shape`` may be -1: its size is inferred
    from the number of elements. A shape whose element count differs from ``x.numel()`` (or a -1
    that cannot be inferred) raises RuntimeError: nothing is padded, dropped or repeated.
    torch.reshape accepts any tensor, contiguous or not. Whenever the new shape can be expressed over
    x's memory - always for a contiguous ``x``, and for some non-contiguous ones, such as a slice of
    columns - the result is a view that shares x's memory, so writing into it changes ``x``; otherwise
    (e.g. flattening a transposed ``x``, which Tensor.view refuses) it is a copy.

    Args:
        x: any tensor, contiguous or not.
        shape: the new shape, e.g. (2, 3) or (-1, 4).
    Returns:
        a tensor of the requested shape holding x's elements in the same order, with x's dtype and
        device.

    Checked only where a GPU is usable: a float16 tensor on the GPU gives a result that is still on
    the GPU and still float16.

    【中文】
    用 torch.reshape 把 ``x`` 重排成 ``shape`` 形状并返回。

    元素保持行优先（C 顺序）的次序。``shape`` 中可以有一项为 -1，它的大小由元素总数推断出来。新形状的
    元素个数与 ``x.numel()`` 不相等（或 -1 无法推断）时抛出 RuntimeError：不会补齐、丢弃或重复任何元素。
    torch.reshape 接受任何张量，连续与否都行。只要新形状能在 ``x`` 的内存上表示出来——``x`` 连续时总是
    可以，某些不连续的张量（例如切出若干列的切片）也可以——结果就是与 ``x`` 共享内存的视图，往里写入会
    改变 ``x``；否则（例如把转置过的 ``x`` 展平，Tensor.view 会拒绝这样做）结果是一份副本。

    参数：
        x：任意张量，连续或不连续均可。
        shape：新形状，例如 (2, 3) 或 (-1, 4)。
    返回：
        所要求形状的张量，按原来的顺序存放 ``x`` 的元素，数据类型和设备都与 ``x`` 相同。

    只在有可用 GPU 的机器上检查：GPU 上的 float16 张量重排后，结果仍在 GPU 上，仍是 float16。
    """
    return torch.reshape(x, shape)


def flatten_per_sample(batch: torch.Tensor) -> torch.Tensor:
    """Flatten every sample of a batch into one row: (N, d1, d2, ...) -> (N, d1*d2*...).

    This is the step between the convolutional part of a network and its first Linear layer, so the
    number of rows is N for every N (1 included) and every sample size, and no row ever mixes the
    elements of two samples.

    Args:
        batch: a tensor of shape (N, ...) with at least two dimensions; N may be 1, and ``batch``
            may be non-contiguous (e.g. permuted to channels-last).
    Returns:
        a tensor of shape (N, product of the other dimensions), with batch's dtype, whose row i holds
        batch[i]'s elements in row-major order.

    【中文】
    把一批数据中的每个样本展平成一行：(N, d1, d2, ...) -> (N, d1*d2*...)。

    网络的卷积部分与第一个 Linear 层之间做的正是这一步，所以无论 N 是多少（包括 1）、每个样本有多大，
    结果都恰好有 N 行，并且任何一行都不会混入两个样本的元素。

    参数：
        batch：形状为 (N, ...)、至少有两维的张量；N 可以是 1，``batch`` 也可以是不连续的
            （例如经 permute 变成 channels-last）。
    返回：
        形状为 (N, 其余各维之积) 的张量，数据类型与 batch 相同，第 i 行按行优先顺序存放 batch[i] 的元素。
    """
    # Keep N explicit and let -1 infer the rest: correct for any N, including N == 1.
    # 明确保留 N，让 -1 推断其余部分：对任何 N 都正确，包括 N == 1。
    return torch.reshape(batch, (batch.shape[0], -1))


def reshape_shares_storage(x: torch.Tensor, shape: tuple[int, ...]) -> bool:
    """Tell whether reshaping ``x`` into ``shape`` with torch.reshape gives a view of x's memory or a copy.

    torch.reshape gives a view (no copy) whenever the new shape can be expressed with strides over x's
    memory - always for a contiguous tensor, and for some non-contiguous ones - and a copy otherwise.
    So being non-contiguous does not decide the answer on its own. Asking must not change what is
    asked about: ``x`` keeps its values.

    Args:
        x: any tensor.
        shape: the new shape.
    Returns:
        a Python bool (not a tensor): True when the reshaped result shares storage with ``x``, False
        when it is a copy.

    【中文】
    判断用 torch.reshape 把 ``x`` 重排成 ``shape`` 形状时，得到的是 ``x`` 内存上的视图还是一份副本。

    只要新形状能用 ``x`` 内存上的步长（stride）表示出来，torch.reshape 就返回视图（不复制）——连续张量总是
    可以，某些不连续的张量也可以；否则返回副本。因此，仅凭张量不连续并不能得出答案。查明答案的过程
    不能改动 ``x``：判断完成后，``x`` 的值必须与调用前完全相同。

    参数：
        x：任意张量。
        shape：新形状。
    返回：
        一个 Python bool（不是张量）：重排的结果与 ``x`` 共享存储时为 True，是副本时为 False。
    """
    y = torch.reshape(x, shape)
    # A view points into the same storage; a copy has storage of its own.
    # 视图指向同一块存储；副本拥有自己的存储。
    return y.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()
