"""Kata 13: saving and loading models, both ways.

From the note's section 模型 · 保存/读取. Two ways:
1. the whole model object - pickled, so loading it runs the unpickler: it needs
   ``weights_only=False`` (the default became True in torch 2.6) and the model's class importable
   under the same module path. Only ever do this with files you trust: unpickling can run code.
2. the state_dict - a dict of tensors; loads with the safe ``weights_only=True`` into a model you
   build yourself. This is the recommended way.
The file's suffix (.pth, .pt, .pkl) changes nothing: torch.save always writes the same zip format.

【中文】
练习 13：保存与读取模型的两种方式。

对应笔记的“模型 · 保存/读取”一节。两种方式：
1. 保存整个模型对象——用 pickle 序列化，因此读取时要运行反序列化（unpickler）：需要
   ``weights_only=False``（torch 2.6 起默认值变成了 True），并且模型的类要能在原来的模块路径下导入。
   只对你信任的文件这样做：反序列化可能执行任意代码。
2. 保存状态字典（state_dict）——一个由张量组成的字典；用安全的 ``weights_only=True`` 读取，再载入
   你自己构建的模型。这是推荐的方式。
文件后缀（.pth、.pt、.pkl）不影响任何东西：torch.save 写出的始终是同一种 zip 格式。
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn


def save_whole_model(model: nn.Module, path: str | Path) -> None:
    """Save the model object itself (architecture and weights) to ``path`` with torch.save.

    ``path`` is a str or a pathlib.Path. Reading the file back needs
    ``torch.load(path, weights_only=False)``: since torch 2.6 the default, weights_only=True,
    refuses a pickled module.

    【中文】
    用 torch.save 把模型对象本身（结构和权重）保存到 ``path``。

    ``path`` 可以是 str 或 pathlib.Path。读回这个文件需要 ``torch.load(path, weights_only=False)``：
    从 torch 2.6 起，默认的 weights_only=True 会拒绝用 pickle 保存的模块。
    """
    # TODO: write the model object itself, architecture and weights, to path.
    # 待办：把模型对象本身（结构和权重）写入 path。
    raise NotImplementedError("kata checkpoint.save_whole_model is not solved yet")


def load_whole_model(path: str | Path) -> nn.Module:
    """Load a model saved by save_whole_model (``path``: a str or a pathlib.Path) and return it.

    Pass ``weights_only=False`` to torch.load explicitly: the default changed to True in torch 2.6,
    and True refuses a pickled module. Trusted files only: this unpickles arbitrary objects. The
    model's class must be importable under the module path it was saved from; if it is not (a
    class defined in a script that the loading program cannot import), loading raises
    (ImportError or AttributeError) - let that error through.

    【中文】
    读取由 save_whole_model 保存的模型（``path`` 为 str 或 pathlib.Path）并返回。

    显式地给 torch.load 传入 ``weights_only=False``：torch 2.6 起默认值改成了 True，而 True 会拒绝用
    pickle 保存的模块。只用于可信的文件：这样做会反序列化任意对象。模型的类必须能在保存时所在的模块
    路径下导入；如果不能（例如类定义在读取程序无法导入的脚本里），读取会抛出 ImportError 或
    AttributeError——让这个错误原样抛出。
    """
    # TODO: read the whole model back, allowing the full unpickling it needs (trusted files only).
    # 待办：读回整个模型，允许它所需的完整反序列化（仅限可信文件）。
    raise NotImplementedError("kata checkpoint.load_whole_model is not solved yet")


def save_state_dict(model: nn.Module, path: str | Path) -> None:
    """Save only the model's parameters and buffers (its state_dict) to ``path`` with torch.save.

    ``path`` is a str or a pathlib.Path; its suffix changes nothing. The file holds a dict from
    names to tensors - buffers such as BatchNorm's running statistics included - so it loads with
    ``torch.load(path, weights_only=True)``.

    【中文】
    用 torch.save 只把模型的参数和缓冲区（即它的状态字典 state_dict）保存到 ``path``。

    ``path`` 可以是 str 或 pathlib.Path，后缀不影响任何东西。文件里是一个从名称到张量的字典——包括
    BatchNorm 的运行统计量（running statistics）这类缓冲区——因此可以用
    ``torch.load(path, weights_only=True)`` 读取。
    """
    # TODO: write only the model's parameters and buffers to path, not the object.
    # 待办：只把模型的参数和缓冲区写入 path，而不是整个对象。
    raise NotImplementedError("kata checkpoint.save_state_dict is not solved yet")


def load_state_dict_into(model: nn.Module, path: str | Path) -> nn.Module:
    """Load a state_dict from ``path`` (a str or a pathlib.Path) into ``model`` and return the model.

    Pass ``weights_only=True`` to torch.load explicitly (the default before torch 2.6 was False): it
    refuses anything but tensors and plain containers, so a malicious file cannot run code - the
    load raises instead. load_state_dict takes the dict, not the path (a path is a TypeError).
    Keep load_state_dict strict (its default): a file that does not fit the model - a layer
    missing from it, a layer the model does not have, or a layer of another size - raises
    RuntimeError instead of loading only part of the weights.

    【中文】
    从 ``path``（str 或 pathlib.Path）读取状态字典，载入 ``model``，并返回该模型。

    显式地给 torch.load 传入 ``weights_only=True``（torch 2.6 之前默认是 False）：它只接受张量和普通
    容器，恶意文件无法借此执行代码——读取会直接抛出异常。load_state_dict 接收的是字典而不是路径（传
    路径会引发 TypeError）。保持 load_state_dict 的严格模式（它的默认值）：文件与模型不匹配时——文件
    里缺少某一层、含有模型没有的层，或者某层尺寸不同——抛出 RuntimeError，而不是只载入一部分权重。
    """
    # TODO: fill model with the weights stored in path, loading tensors only, and fail loudly on any mismatch.
    # 待办：用 path 中保存的权重填充 model，只加载张量，任何不匹配都要明确报错。
    raise NotImplementedError("kata checkpoint.load_state_dict_into is not solved yet")
