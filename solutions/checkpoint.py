"""Kata 13: saving and loading models, both ways.

From the note's section 模型 · 保存/读取. Two ways, two different promises:
1. the whole model object: the file is a pickle of the object, so reading it back runs the unpickler. It only
   works where the model's class can be imported under the module path it was saved from, and only with
   ``weights_only=False`` (since torch 2.6 torch.load defaults to True, which refuses it). Trusted files only:
   unpickling can run code.
2. the state_dict: a dict of tensors that the safe ``weights_only=True`` reads, loaded into a model your own code
   builds. This is the recommended way.
Whatever the suffix (.pth, .pt, .pkl, ...), the file is the same zip archive.

【中文】
练习 13：保存与读取模型的两种方式。

对应笔记的“模型 · 保存/读取”一节。两种方式，各有不同的约定：
1. 保存整个模型对象：文件是这个对象的 pickle 序列化结果，读回时要运行反序列化（unpickler）。只有在模型
   的类能按保存时的模块路径导入时才行得通，而且必须用 ``weights_only=False``（torch 2.6 起 torch.load 的
   默认值是 True，会拒绝这种文件）。只用于可信的文件：反序列化可能执行任意代码。
2. 保存状态字典（state_dict）：一个由张量组成的字典，用安全的 ``weights_only=True`` 就能读取，再载入由你
   自己的代码构建的模型。这是推荐的方式。
不论后缀是什么（.pth、.pt、.pkl……），文件都是同一种 zip 归档。
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn


def save_whole_model(model: nn.Module, path: str | Path) -> None:
    """Save the model object itself (architecture and weights) to ``path`` with torch.save.

    ``path`` is a str or a pathlib.Path. ``torch.load(path, weights_only=False)`` gives back an object of the
    model's class that computes what the saved model computed (parameters and buffers, such as BatchNorm's
    running statistics, included). The lesson: such a file is refused by ``weights_only=True``, which is
    torch.load's default since torch 2.6.

    【中文】
    用 torch.save 把模型对象本身（结构和权重）保存到 ``path``。

    ``path`` 可以是 str 或 pathlib.Path。``torch.load(path, weights_only=False)`` 读回的是同一个类的对象，
    计算结果与保存时的模型相同（参数和缓冲区都包括在内，例如 BatchNorm 的运行统计量）。要点：
    ``weights_only=True`` 会拒绝这样的文件，而它从 torch 2.6 起就是 torch.load 的默认值。
    """
    torch.save(model, path)


def load_whole_model(path: str | Path) -> nn.Module:
    """Load a model saved by save_whole_model (``path``: a str or a pathlib.Path) and return it.

    The returned object is of the saved model's class, computes what the saved model computed, and is in the
    train/eval mode it was saved in; it loads in a fresh Python process as well. Every torch.load call passes
    ``weights_only=False`` explicitly: the default differs between torch versions (False before 2.6, True since,
    and True refuses a pickled module). When the model's class is no longer importable under the module path it
    was saved from (its module or the class itself is gone), the ImportError or AttributeError that loading raises
    goes through to the caller. Trusted files only: loading unpickles arbitrary objects.

    【中文】
    读取由 save_whole_model 保存的模型（``path`` 为 str 或 pathlib.Path）并返回。

    返回的对象属于所保存模型的类，计算结果与保存时相同，训练/评估模式也与保存时一致；在一个全新的
    Python 进程里同样能读取。每次调用 torch.load 都要显式传入 ``weights_only=False``：不同版本的 torch
    默认值不同（2.6 之前为 False，之后为 True，而 True 会拒绝用 pickle 保存的模块）。如果模型的类已经无法
    按保存时的模块路径导入（模块或类本身不见了），读取时抛出的 ImportError 或 AttributeError 要原样交给
    调用方。只用于可信的文件：读取会反序列化任意对象。
    """
    # The whole object is a pickle of the class, not only tensors: weights_only must be False.
    # 整个对象是该类的 pickle，不只是张量：weights_only 必须为 False。
    return torch.load(path, weights_only=False)


def save_state_dict(model: nn.Module, path: str | Path) -> None:
    """Save only the model's state_dict - its parameters and buffers - to ``path`` with torch.save.

    ``path`` is a str or a pathlib.Path, with any suffix (the file is a zip archive whatever it is).
    ``torch.load(path, weights_only=True)`` reads the file back as a dict with exactly the keys of
    ``model.state_dict()``, in the same order (buffers such as BatchNorm's running statistics included), each
    holding the same values as the model.

    【中文】
    用 torch.save 只把模型的状态字典（state_dict）——即参数和缓冲区——保存到 ``path``。

    ``path`` 可以是 str 或 pathlib.Path，后缀任意（不论后缀是什么，文件都是 zip 归档）。
    ``torch.load(path, weights_only=True)`` 读回的是一个字典：键与 ``model.state_dict()`` 完全相同、顺序
    一致（包括 BatchNorm 运行统计量这类缓冲区），每个键对应的值也与模型中的相同。
    """
    torch.save(model.state_dict(), path)


def load_state_dict_into(model: nn.Module, path: str | Path) -> nn.Module:
    """Load a state_dict from ``path`` (a str or a pathlib.Path) into ``model`` and return that same model object.

    Afterwards the model holds the file's parameters and buffers, so it computes what the saved model computed.
    Errors:
    - a file that does not fit the model - a layer missing from the file, a layer the model does not have, or a
      layer of another size - raises RuntimeError; nothing is loaded silently in part;
    - a file holding anything but tensors and plain containers (an untrusted file with a pickled object in it)
      raises (pickle.UnpicklingError or RuntimeError) and none of its code runs, even where torch.load's default
      has been made unsafe: pass ``weights_only=True`` to torch.load explicitly.
    The lesson: reading the file and filling the model are two separate steps; the model's loading method takes
    the dict that was read, not the path.

    【中文】
    从 ``path``（str 或 pathlib.Path）读取状态字典，载入 ``model``，并返回这个模型对象本身。

    载入之后，模型持有文件里的参数和缓冲区，因此计算结果与保存时的模型相同。错误情况：
    - 文件与模型不匹配——文件里缺少某一层、含有模型没有的层，或者某层尺寸不同——抛出 RuntimeError，
      绝不悄悄地只载入一部分；
    - 文件里除了张量和普通容器还有别的东西（例如藏着 pickle 对象的不可信文件）时，抛出
      pickle.UnpicklingError 或 RuntimeError，其中的代码一行也不执行——即使 torch.load 的默认值被改成了
      不安全的那一种：所以要显式地给 torch.load 传入 ``weights_only=True``。
    要点：读取文件和填充模型是两个独立的步骤；模型的加载方法接收的是读出来的字典，而不是路径。
    """
    state = torch.load(path, weights_only=True, map_location="cpu")
    model.load_state_dict(state)  # strict (the default): a file that does not fit raises
    return model
