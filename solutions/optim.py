"""Kata 11: backward() and the optimizer - gradients, zero_grad and SGD steps.

From the note's sections 反向传播 and 优化器. loss.backward() *adds* the gradient of the loss to each
parameter's ``.grad``, where it stays until something clears it (optimizer.zero_grad() or
model.zero_grad()). The optimizer's step() then updates the parameters from their ``.grad``.

【中文】
练习 11：backward() 与优化器——梯度、zero_grad 与 SGD 更新。

对应笔记的“反向传播”和“优化器”两节。loss.backward() 会把损失对每个参数的梯度*累加*到该参数的
``.grad`` 上，梯度会一直留在那里，直到被清除（optimizer.zero_grad() 或 model.zero_grad()）。
随后，优化器的 step() 根据各参数的 ``.grad`` 更新参数。
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch
from torch import nn


def gradient_of(fn: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """d fn(x) / d x, computed by autograd at the point ``x``; ``fn`` must return a scalar (a 0-d tensor).

    Work on a fresh leaf made from ``x`` (detached, requiring grad), so that the caller's ``x`` is left
    as it was: same values, same requires_grad, same ``.grad`` (even when it already has one). Each call
    returns only its own gradient: nothing accumulates from one call to the next. When fn(x) is not a
    scalar, backward needs an explicit gradient and raises RuntimeError: let that error through (do not
    sum the output to make it go away).

    【中文】
    用 autograd（自动求导）在点 ``x`` 处计算 d fn(x) / d x；``fn`` 必须返回标量（0 维张量）。

    在由 ``x`` 新建的叶子张量上计算（先 detach，再设为需要梯度），让调用者的 ``x`` 保持原样：值不变、
    requires_grad 不变、``.grad`` 也不变（即使它原本就有 ``.grad``）。每次调用只返回本次的梯度，多次
    调用之间不会累加。若 fn(x) 不是标量，backward 需要显式传入梯度参数，否则抛出 RuntimeError：让这个
    错误原样抛出（不要为了消除它而把输出求和）。
    """
    leaf = x.detach().clone().requires_grad_(True)
    fn(leaf).backward()  # backward needs a scalar (or an explicit gradient argument)
    return leaf.grad


def sgd_step_by_hand(params: list[torch.Tensor], lr: float, momentum: float = 0.0, buffers: list | None = None) -> list:
    """One step of torch.optim.SGD (lr and momentum; no dampening, Nesterov or weight decay), by hand.

    ``params`` are tensors whose ``.grad`` is set. Do the arithmetic yourself: no torch.optim.
    Without momentum: p <- p - lr * p.grad. With momentum m, each parameter has a velocity buffer b:
    on the first step (``buffers`` is None) b is a copy of p.grad, afterwards b <- m * b + p.grad; then
    p <- p - lr * b. Return the new buffers, one per parameter in order, for the caller to pass back as
    ``buffers`` next time (without momentum the return value is not used).
    Update each p in place - in its own storage, so that the model and every tensor sharing that storage
    see the new values - without autograd recording it (under torch.no_grad(), or through p.data): p
    stays a leaf that requires grad. Leave every ``.grad`` unchanged: backward may reuse the same tensor
    on the next step (after zero_grad(set_to_none=False)).

    【中文】
    手工实现 torch.optim.SGD 的一步更新（支持 lr 和 momentum；不含 dampening、Nesterov 和权重衰减）。

    ``params`` 中每个张量的 ``.grad`` 都已设置好。请自己完成计算，不要用 torch.optim。
    不带动量时：p <- p - lr * p.grad。带动量 m 时，每个参数有一个速度缓冲区 b：第一步（``buffers`` 为
    None）时 b 是 p.grad 的副本，之后 b <- m * b + p.grad；然后 p <- p - lr * b。按参数顺序返回新的
    缓冲区，每个参数一个，供调用者下次作为 ``buffers`` 传回（不带动量时返回值不会被使用）。
    原地更新每个 p——写进它自己的存储，让模型以及所有共享这块存储的张量都看到新值——并且不让 autograd
    记录这次更新（放在 torch.no_grad() 下，或者通过 p.data）：p 仍是需要梯度的叶子张量。不要改动任何
    ``.grad``：下一步的 backward 可能会复用同一个张量（在 zero_grad(set_to_none=False) 之后）。
    """
    new_buffers = []
    with torch.no_grad():
        for i, p in enumerate(params):
            step = p.grad
            if momentum:
                previous = None if buffers is None else buffers[i]
                step = p.grad.clone() if previous is None else momentum * previous + p.grad
                new_buffers.append(step)
            p -= lr * step  # in place: the tensor the model holds is the one updated
    return new_buffers if momentum else [None] * len(params)


def train_step(model: nn.Module, loss_fn: nn.Module, optimizer: torch.optim.Optimizer, inputs: torch.Tensor, targets: torch.Tensor) -> float:
    """One optimization step on one batch; return the loss measured before the update, as a Python float.

    Clear the old gradients, forward, loss, backward, then step the given optimizer once. Clear them
    before backward: the model may arrive with stale gradients in ``.grad``, and backward adds to
    whatever is there. Return the number with loss.item(), not a tensor - not even a 0-d one.

    【中文】
    在一批数据上做一次优化，返回更新之前算出的损失，类型为 Python float。

    依次清除旧梯度、前向传播、计算损失、反向传播，最后让传入的优化器更新一步。清除梯度必须在 backward
    之前：传进来的模型的 ``.grad`` 里可能还留着旧梯度，而 backward 会累加到已有的值上。用 loss.item()
    返回这个数，不要返回张量——0 维张量也不行。
    """
    optimizer.zero_grad()  # otherwise this batch's gradient is added to the previous ones
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
    return loss.item()


def fit(model: nn.Module, batches: Iterable[tuple[torch.Tensor, torch.Tensor]], lr: float, epochs: int) -> list[float]:
    """Train ``model`` with torch.optim.SGD(model.parameters(), lr=lr) and nn.CrossEntropyLoss, ``epochs`` passes.

    Put the model (every layer of it) in training mode first: each forward pass runs in train mode.
    The model may arrive with stale gradients: clear them before each backward. Plain SGD - no momentum.
    Return the loss of every step, in order, as Python floats (one per batch per epoch). ``batches`` can
    be iterated several times (a list or a DataLoader of (inputs, class indices) pairs).
    Training changes parameter values only: layer settings such as a Conv2d's kernel_size, and the
    shapes of the parameters, stay as they were.

    【中文】
    用 torch.optim.SGD(model.parameters(), lr=lr) 和 nn.CrossEntropyLoss 训练 ``model``，共 ``epochs`` 轮。

    先把模型（包括它的每一层）切换到训练模式：每次前向传播都在训练模式下进行。传进来的模型可能带着旧
    梯度：每次 backward 之前都要清除。使用普通 SGD，不加动量。按顺序返回每一步的损失，均为 Python
    float（每轮每批一个）。``batches`` 可以多次遍历（由 (inputs, 类别索引) 对组成的列表或 DataLoader）。
    训练只改变参数的值：层的设置（例如 Conv2d 的 kernel_size）以及参数的形状都保持不变。
    """
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    return [train_step(model, loss_fn, optimizer, x, y) for _ in range(epochs) for x, y in batches]
