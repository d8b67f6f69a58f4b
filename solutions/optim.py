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
    """d fn(x) / d x at the point ``x``, computed by autograd; ``fn`` returns a scalar (a 0-d tensor).

    Returns a tensor shaped like ``x``. The caller's ``x`` is left exactly as it was: same values, same
    requires_grad, same ``.grad`` (even when it already holds one - that earlier gradient never counts in
    the result). Each call returns only its own gradient: calling twice on the same ``x`` gives the same
    answer twice, nothing accumulates. When fn(x) is not a scalar, backward needs an explicit gradient and
    raises RuntimeError: that error comes through (the output is not summed to make it go away).

    【中文】
    用 autograd（自动求导）计算 d fn(x) / d x 在点 ``x`` 处的值；``fn`` 返回标量（0 维张量）。

    返回与 ``x`` 形状相同的张量。调用者的 ``x`` 保持原样：值不变、requires_grad 不变、``.grad`` 也不变
    （即使它原本就有 ``.grad``——那个旧梯度绝不会计入结果）。每次调用只返回本次的梯度：对同一个 ``x``
    调用两次，两次结果相同，不会累加。若 fn(x) 不是标量，backward 需要显式传入梯度，并抛出
    RuntimeError：这个错误要原样抛出（不能为了消除它而把输出求和）。
    """
    leaf = x.detach().clone().requires_grad_(True)
    fn(leaf).backward()  # backward needs a scalar (or an explicit gradient argument)
    return leaf.grad


def sgd_step_by_hand(params: list[torch.Tensor], lr: float, momentum: float = 0.0, buffers: list | None = None) -> list:
    """One step of torch.optim.SGD with this lr and momentum (no dampening, Nesterov or weight decay), by hand.

    ``params`` are tensors whose ``.grad`` is set. After the call every parameter holds the values one
    step of torch.optim.SGD(params, lr, momentum) would give it; over several steps it keeps matching, as
    long as the caller passes back as ``buffers`` the list this function returned the step before (None on
    the first step). That list has one velocity tensor per parameter, in order, when momentum is set (on
    the first step each equals the parameter's gradient); without momentum it is not used.
    - By hand: neither torch.optim.SGD nor torch.optim's functional SGD (torch.optim.sgd.sgd) is used.
    - In place: each parameter stays the same tensor object with the same storage, so the model and every
      tensor sharing that storage see the new values; it is still a leaf that requires grad, and autograd
      records nothing of the update.
    - Every ``.grad`` is left unchanged, and no returned velocity is a ``.grad`` tensor itself: backward
      may write new gradients into the same ``.grad`` tensors next time (after zero_grad(set_to_none=False)).

    【中文】
    手工实现 torch.optim.SGD 在给定 lr 和 momentum 下的一步更新（不含 dampening、Nesterov 和权重衰减）。

    ``params`` 中每个张量的 ``.grad`` 都已设置好。调用之后，每个参数的值都与 torch.optim.SGD(params, lr,
    momentum) 走一步后的值相同；只要调用者把本函数上一步返回的列表作为 ``buffers`` 传回（第一步传
    None），连续多步也都保持一致。设置了 momentum 时，这个列表按参数顺序为每个参数放一个速度张量
    （第一步时它等于该参数的梯度）；不带动量时，返回值不会被使用。
    - 手工实现：既不用 torch.optim.SGD，也不用 torch.optim 中函数式的 SGD（torch.optim.sgd.sgd）。
    - 原地更新：每个参数仍是原来那个张量对象、使用原来的存储，所以模型以及所有共享这块存储的张量都能
      看到新值；它仍是需要梯度的叶子张量，autograd 不记录这次更新的任何操作。
    - 不改动任何 ``.grad``，返回的速度张量也不能就是某个 ``.grad`` 张量本身：下一次 backward 可能会把
      新梯度写进同一批 ``.grad`` 张量（在 zero_grad(set_to_none=False) 之后）。
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

    The loss is ``loss_fn`` of the model's output on ``inputs`` against ``targets``, and the given
    optimizer takes exactly one step on it. Afterwards the parameters are where one clean step would leave
    them - on this batch's gradient alone, even if the model arrives with stale gradients in ``.grad``
    (backward adds to whatever is there), and step after step when train_step is called repeatedly with
    the same optimizer. The returned value is a Python float, not a tensor - not even a 0-d one.

    【中文】
    在一批数据上做一次优化，返回更新之前算出的损失，类型为 Python float。

    损失是 ``loss_fn`` 在模型对 ``inputs`` 的输出与 ``targets`` 之间算出的值，传入的优化器在它上面
    恰好更新一步。之后参数的位置与一次“干净”的更新完全相同——只用这一批的梯度，即使传进来的模型
    ``.grad`` 里还留着旧梯度（backward 会累加到已有的值上）；用同一个优化器连续调用 train_step 时，
    每一步也都如此。返回值是 Python float，不是张量——0 维张量也不行。
    """
    optimizer.zero_grad()  # otherwise this batch's gradient is added to the previous ones
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
    return loss.item()


def fit(model: nn.Module, batches: Iterable[tuple[torch.Tensor, torch.Tensor]], lr: float, epochs: int) -> list[float]:
    """Train ``model`` itself for ``epochs`` passes over ``batches``: plain torch.optim.SGD with learning rate ``lr``
    (no momentum) on nn.CrossEntropyLoss.

    Returns the loss of every step, in order, as Python floats: one per batch per epoch, equal to those
    of a reference loop with that optimizer and that loss. ``batches`` can be iterated several times (a
    list or a DataLoader of (inputs, class indices) pairs). Every forward pass runs in training mode, even
    for a model handed over in eval mode, and every layer is still in training mode afterwards. Stale
    gradients the model arrives with do not count. The caller's model is the one trained: its parameter
    values change, while layer settings such as a Conv2d's kernel_size and the shapes of the parameters
    stay as they were.

    【中文】
    用普通的 torch.optim.SGD（学习率为 ``lr``，不加动量）和 nn.CrossEntropyLoss 训练 ``model`` 本身，
    在 ``batches`` 上共训练 ``epochs`` 轮。

    按顺序返回每一步的损失，均为 Python float：每轮每批一个，与使用同一优化器和同一损失函数的参考循环
    完全一致。``batches`` 可以多次遍历（由 (inputs, 类别索引) 对组成的列表或 DataLoader）。每次前向传播
    都在训练模式下进行，即使传进来的模型处于评估模式；训练结束后每一层也仍处于训练模式。模型带进来的
    旧梯度不能计入。被训练的就是调用者的模型：它的参数值会改变，而层的设置（例如 Conv2d 的
    kernel_size）和参数的形状都保持不变。
    """
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    return [train_step(model, loss_fn, optimizer, x, y) for _ in range(epochs) for x, y in batches]
