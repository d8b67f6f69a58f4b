"""Kata 15 (advanced): a fast training path - the whole dataset on the device, large batches, no host work per batch.

The tutorial loop spends most of its time outside the GPU: decoding images one by one, converting them in
Python, copying many small batches from host memory, and waiting for the GPU whenever it reads a loss.
This module keeps the data on the device from start to end and lets the host wait only once per epoch.
torch.compile can help on a GPU, but it compiles for a while first: it is an option, off by default.

【中文】
练习 15（进阶）：快速训练路径——整个数据集放在设备上、使用大批量、每一批都不需要主机做额外工作。

教程里的训练循环大部分时间花在 GPU 之外：逐张解码图像、用 Python 做转换、从主机内存复制一个个小批量，
而且每读一次损失都要等待 GPU。本模块让数据从头到尾都留在设备上，主机每轮只等待一次。
torch.compile 在 GPU 上可能有帮助，但要先花一段时间编译：它是一个选项，默认关闭。
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from .modules import CifarNet


def load_split_to_device(root: str | Path, train: bool, device) -> tuple[torch.Tensor, torch.Tensor]:
    """One CIFAR10 split as two tensors on ``device``: returns (images, labels).

    ``train`` picks the training split (True) or the test split (False). images: float32 (N, 3, 32, 32) on
    ``device``, in channels_last memory format, holding the values ToTensor gives for the same images (in
    [0, 1]); labels: int64 (N,) on ``device``, the split's targets in their order.

    Rules the tests check:
    - the split is read from ``root`` by torchvision's CIFAR10 class with download=False, and never indexed
      sample by sample (no ``dataset[i]``);
    - the image data crosses from the host to ``device`` exactly once, as the split's uint8 bytes
      (N x 32 x 32 x 3 values): the conversion to float happens on the device (the labels may cross as N
      values).
    The lesson: copy the compact raw data once, and do the per-pixel work where the data will be used.

    Checked only where a GPU is usable: with ``device`` "cuda", both tensors are on the GPU and the images are
    channels_last there too.

    【中文】
    把 CIFAR10 的一个划分作为 ``device`` 上的两个张量返回：(images, labels)。

    ``train`` 选择训练集（True）或测试集（False）。images：位于 ``device`` 上的 float32 张量，形状
    (N, 3, 32, 32)，采用 channels_last 内存格式，数值与 ToTensor 对同一批图像给出的值相同（在 [0, 1]
    之内）；labels：位于 ``device`` 上的 int64 张量，形状 (N,)，即该划分的 targets，顺序不变。

    测试检查的规则：
    - 用 torchvision 的 CIFAR10 类从 ``root`` 读取该划分，download=False，并且从不逐个样本地索引它
      （不出现 ``dataset[i]``）；
    - 图像数据从主机到 ``device`` 只传输一次，传的是该划分的 uint8 字节（N x 32 x 32 x 3 个值）：转换为
      浮点数的工作在设备上完成（标签可以作为 N 个值传过去）。
    要学的是：把紧凑的原始数据只复制一次，逐像素的工作放到数据将被使用的地方去做。

    只在有可用 GPU 的机器上检查：``device`` 为 "cuda" 时，两个张量都在 GPU 上，图像在那里同样是
    channels_last。
    """
    # TODO: send the split's raw bytes to the device in one copy, then make float [0, 1] channels_last images and int64 labels there.
    # 待办：把原始字节一次性复制到设备上，再在设备上得到 [0, 1] 的浮点 channels_last 图像和 int64 标签。
    raise NotImplementedError("kata fast_training.load_split_to_device is not solved yet")


def _autocast(device: torch.device, amp: bool):
    return torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=amp)


def train_fast(
    model: nn.Module,
    images: torch.Tensor,
    labels: torch.Tensor,
    epochs: int,
    batch_size: int = 256,
    lr: float = 1e-3,
    amp: bool | None = None,
    optimizer: torch.optim.Optimizer | None = None,
) -> list[float]:
    """Train ``model`` on ``images`` (N, C, H, W) and ``labels`` (int64, (N,)), both on the same device;
    return the mean training loss of each epoch.

    Returns a list of ``epochs`` Python floats: each is the cross-entropy loss averaged over the epoch's N
    samples, so a smaller last batch counts in proportion to its size, not like a full batch.

    Rules the tests check:
    - the optimizer: when ``optimizer`` is given, every step is taken by it (its state carries over from
      call to call); otherwise a new Adam over the model's parameters with learning rate ``lr``. Afterwards
      the parameters equal those of that optimizer taking one ordinary step per batch, each with the
      gradients of that batch alone, under CrossEntropyLoss;
    - the model ends in channels_last memory format and is in training mode at every forward call;
    - every epoch visits each sample exactly once, in batches of ``batch_size`` (the last may be smaller),
      in a new random order each epoch; the order is drawn on the data's device (never drawn on the host
      and then moved);
    - ``amp``: None means on for CUDA data and off elsewhere; on, the forward pass computes in bfloat16
      under autocast; off, in float32;
    - nothing is read back to the host inside the batch loop: at most one read-back (item, tolist, cpu,
      float, int) per epoch;
    - no batch's autograd graph stays alive once a later batch has run.
    The lesson: the host should only launch work; every time it reads a value it has to wait for the device.

    Checked only where a GPU is usable: with CUDA data the model is moved to the GPU, the order is drawn
    there, amp defaults to bfloat16 autocast, and the losses still come back as Python floats.

    【中文】
    在 ``images``（(N, C, H, W)）和 ``labels``（int64，(N,)）上训练 ``model``，两者位于同一设备上；返回
    每轮的平均训练损失。

    返回一个含 ``epochs`` 个 Python float 的列表：每个都是该轮 N 个样本的交叉熵损失的平均值，因此较小的
    最后一批按它的样本数计入，而不是和完整的一批同等看待。

    测试检查的规则：
    - 优化器：给出 ``optimizer`` 时，每一步都由它执行（其状态在多次调用之间延续）；否则新建一个作用于
      模型参数、学习率为 ``lr`` 的 Adam。训练之后，参数要等于该优化器在 CrossEntropyLoss 下对每一批各做
      一次普通更新的结果，每次只用这一批的梯度；
    - 模型最终采用 channels_last 内存格式，并且每次前向传播时都处于训练模式；
    - 每轮把每个样本恰好访问一次，批大小为 ``batch_size``（最后一批可以更小），每轮都是新的随机顺序；
      这个顺序在数据所在的设备上生成（不能先在主机上生成再搬过去）；
    - ``amp``：None 表示数据在 CUDA 上时开启、其他设备上关闭；开启时，前向传播在 autocast 下以 bfloat16
      计算；关闭时以 float32 计算；
    - 批循环内不把任何数值读回主机：每轮最多读回一次（item、tolist、cpu、float、int）；
    - 后面的批运行之后，前面任何一批的计算图都不再存活。
    要学的是：主机只应负责下发工作；它每读一次数值，就得等设备一次。

    只在有可用 GPU 的机器上检查：数据在 CUDA 上时，模型被移到 GPU，顺序在 GPU 上生成，amp 默认是
    bfloat16 的 autocast，返回的损失仍是 Python float。
    """
    # TODO: train on shuffled device-side batches without the host waiting inside the batch loop; return each epoch's mean loss.
    # 待办：在设备上按打乱的顺序分批训练，批循环内不让主机等待；返回每轮的平均损失。
    raise NotImplementedError("kata fast_training.train_fast is not solved yet")


def evaluate_fast(model: nn.Module, images: torch.Tensor, labels: torch.Tensor, batch_size: int = 1024, amp: bool | None = None) -> float:
    """Accuracy of ``model`` on ``images``/``labels`` (both on the same device), as a Python float: the
    fraction of the samples whose highest-scoring class (over dim 1) equals the label.

    Rules the tests check:
    - every forward runs in evaluation mode without autograd, so two calls on the same data agree even with
      Dropout in the model;
    - the model sees the samples in order, in batches of ``batch_size`` (the last may be smaller), and each
      sample counts once;
    - ``amp`` as in train_fast (None: on for CUDA data only; on: bfloat16 under autocast);
    - at most one read-back to the host for the whole call.
    The lesson: the same accuracy as before, counted on the device and read once.

    Checked only where a GPU is usable: with CUDA data, amp defaults to bfloat16 autocast and the result is
    still a Python float.

    【中文】
    以 Python float 返回 ``model`` 在 ``images``/``labels``（两者位于同一设备上）上的准确率：在 dim 1 上
    得分最高的类别等于标签的样本所占的比例。

    测试检查的规则：
    - 每次前向传播都在评估模式下、不使用 autograd 进行，因此即使模型里有 Dropout，对同一批数据调用两次
      也得到相同的结果；
    - 模型按顺序看到样本，批大小为 ``batch_size``（最后一批可以更小），每个样本只计一次；
    - ``amp`` 与 train_fast 相同（None：仅当数据在 CUDA 上时开启；开启：在 autocast 下以 bfloat16 计算）；
    - 整个调用最多向主机读回一次。
    要学的是：准确率还是原来的准确率，只是在设备上计数、最后读一次。

    只在有可用 GPU 的机器上检查：数据在 CUDA 上时，amp 默认是 bfloat16 的 autocast，结果仍是 Python
    float。
    """
    # TODO: measure accuracy in evaluation mode without autograd, keeping the correct count on the device until the end.
    # 待办：在评估模式下、不用 autograd 计算准确率，预测正确的计数一直留在设备上，直到最后。
    raise NotImplementedError("kata fast_training.evaluate_fast is not solved yet")


def run_fast_training(
    data_root: str | Path,
    epochs: int,
    device: str | torch.device = "cpu",
    batch_size: int = 256,
    lr: float = 1e-3,
    compile: bool = False,
) -> list[float]:
    """The fast path end to end on the CIFAR10 split files under ``data_root``; returns the test accuracy
    after each epoch (``epochs`` Python floats).

    Rules the tests check:
    - both splits are loaded onto ``device`` with this module's load_split_to_device, once each, before
      the first epoch;
    - one fresh modules.CifarNet and one Adam over its parameters with learning rate ``lr`` serve the whole
      run;
    - each epoch is one train_fast call (epochs=1, ``batch_size``, the training split as loaded, the run's
      model and its Adam) followed by one evaluate_fast call on the test split as loaded; the returned list
      holds the values evaluate_fast returned;
    - with ``compile``, the model is compiled once (torch.compile or Module.compile) before training, and
      the compiled model is the one trained and evaluated; without it, nothing is compiled;
    - on the CIFAR-10 stand-in, 2 epochs in batches of 32 reach the same accuracy bar as the plain loop.
    The lesson: load once, keep one optimizer for the run, so that its state carries across epochs.

    Checked only where a GPU is usable: on CUDA, the run reaches the accuracy bar (on the stand-in, or on real
    CIFAR10 when $CIFAR10_ROOT names it).

    【中文】
    在 ``data_root`` 下的 CIFAR10 划分文件上端到端运行快速路径；返回每轮结束后的测试准确率（``epochs``
    个 Python float）。

    测试检查的规则：
    - 在第一轮之前，用本模块的 load_split_to_device 把两个划分加载到 ``device`` 上，各加载一次；
    - 整个运行只用一个新建的 modules.CifarNet，以及一个作用于其参数、学习率为 ``lr`` 的 Adam；
    - 每轮先调用一次 train_fast（epochs=1、``batch_size``、加载得到的训练集、本次运行的模型和它的
      Adam），再在加载得到的测试集上调用一次 evaluate_fast；返回的列表就是 evaluate_fast 返回的那些值；
    - 指定 ``compile`` 时，在训练之前把模型编译一次（torch.compile 或 Module.compile），训练和评估的都是
      编译后的模型；不指定时，什么都不编译；
    - 在 CIFAR-10 替身数据上，以 32 为批大小训练 2 轮，要达到与普通训练循环相同的准确率门槛。
    要学的是：数据只加载一次，整个运行只用一个优化器，让它的状态跨轮延续。

    只在有可用 GPU 的机器上检查：在 CUDA 上，运行要达到准确率门槛（替身数据上，或 $CIFAR10_ROOT 指向真实
    CIFAR10 时在真实数据上）。
    """
    # TODO: load the data once, then train and evaluate one fresh network epoch by epoch with an optimizer that persists.
    # 待办：只加载一次数据，然后用一个贯穿始终的优化器，逐轮训练并评估一个新建的网络。
    raise NotImplementedError("kata fast_training.run_fast_training is not solved yet")
