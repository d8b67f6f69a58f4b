"""Kata 15 (advanced): a fast training path - the whole dataset on the device, large batches, no host work per batch.

The tutorial loop spends most of its time outside the GPU: decoding PIL images, ToTensor in Python,
collating, copying every small batch from host memory, and calling ``loss.item()`` (which waits for
the GPU) at every step. The fast path removes all of that:
- the dataset is read once (torchvision's CIFAR10 keeps it as one uint8 array) and moved to the device
  as a single tensor, already scaled to [0, 1], in channels_last memory format;
- batches are slices of that tensor taken in an order drawn on the device (torch.randperm);
- on CUDA the forward pass runs under bfloat16 autocast;
- losses and correct counts are summed on the device and read back once per epoch;
- large batches with Adam, which tolerates them better than plain SGD.
torch.compile can help on a GPU, but it compiles for a while first: it is an option, off by default.

【中文】
练习 15（进阶）：快速训练路径——整个数据集放在设备上、使用大批量、每一批都不需要主机做额外工作。

教程里的训练循环大部分时间花在 GPU 之外：解码 PIL 图像、用 Python 执行 ToTensor、整理（collate）、
从主机内存逐个复制每个小批量，以及每一步都调用 ``loss.item()``（它要等待 GPU）。快速路径把这些
全部去掉：
- 数据集只读取一次（torchvision 的 CIFAR10 把它保存为一个 uint8 数组），并作为单个张量移到设备上，
  事先缩放到 [0, 1]，采用 channels_last 内存格式；
- 每一批都是该张量的切片，切片顺序在设备上生成（torch.randperm）；
- 在 CUDA 上，前向传播在 bfloat16 的 autocast（混合精度）下运行；
- 损失和预测正确的数量都在设备上累加，每轮只读回一次；
- 使用大批量配合 Adam，它比普通 SGD 更能适应大批量。
torch.compile 在 GPU 上可能有帮助，但要先花一段时间编译：它是一个选项，默认关闭。
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from .modules import CifarNet


def load_split_to_device(root: str | Path, train: bool, device) -> tuple[torch.Tensor, torch.Tensor]:
    """One CIFAR10 split (``train`` picks the training or the test split) as two tensors on ``device``:
    images float32 (N, 3, 32, 32) in [0, 1] (the values ToTensor gives), channels_last; labels int64 (N,).

    Use torchvision's CIFAR10 (download=False) for reading, but take its ``data`` array (N, 32, 32, 3)
    uint8 and ``targets`` list as a whole instead of indexing item by item: the image bytes cross to the
    device in one uint8 copy, and the conversion to float happens there.

    【中文】
    把 CIFAR10 的一个划分（由 ``train`` 选择训练集或测试集）作为 ``device`` 上的两个张量返回：图像为
    float32 (N, 3, 32, 32)，取值在 [0, 1]（与 ToTensor 给出的值相同），channels_last；标签为 int64 (N,)。

    用 torchvision 的 CIFAR10（download=False）读取，但要整体取出它的 ``data`` 数组（(N, 32, 32, 3)，
    uint8）和 ``targets`` 列表，而不是逐个样本索引：图像字节只经过一次 uint8 复制到达设备，转换为
    浮点数的工作在设备上完成。
    """
    from torchvision import datasets

    dataset = datasets.CIFAR10(str(root), train=train, download=False)
    raw = torch.from_numpy(dataset.data).to(device)  # one host-to-device copy of uint8 (N, H, W, C)
    # NHWC permuted to NCHW *is* the channels_last layout: no copy, just strides.
    images = raw.permute(0, 3, 1, 2).float().div_(255)
    images = images.contiguous(memory_format=torch.channels_last)
    labels = torch.as_tensor(dataset.targets, dtype=torch.int64, device=device)
    return images, labels


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
    """Train ``model`` on device-resident ``images``/``labels`` with Adam and CrossEntropyLoss.

    Pass ``optimizer`` to continue with an existing one: every step is then taken by it, so its state
    carries over between calls; by default a new Adam(model.parameters(), lr) is made.
    Moves the model to the images' device in channels_last format and puts it in training mode.
    Each epoch visits every sample once in a fresh order drawn with torch.randperm on the device, in
    batches of ``batch_size`` (the last one may be smaller): a batch is ``images[order[i:i + batch_size]]``,
    and each batch is one step (zero_grad, forward, loss, backward, step). ``amp`` (default: True on
    CUDA, False elsewhere) runs forward and loss under bfloat16 autocast. Never read a value back to the
    host inside the batch loop: add each batch's detached loss (times its size) to a device tensor and
    call ``.item()`` once per epoch (a loss that keeps its graph would keep every batch's graph alive).
    Returns the mean training loss of each epoch as Python floats: the mean over samples, so a
    smaller last batch weighs less.

    【中文】
    用 Adam 和 CrossEntropyLoss，在已位于设备上的 ``images``/``labels`` 上训练 ``model``。

    传入 ``optimizer`` 可以沿用已有的优化器：此后每一步都由它执行，其状态在多次调用之间延续；默认
    新建一个 Adam(model.parameters(), lr)。
    把模型以 channels_last 格式移到图像所在的设备上，并切换到训练模式。
    每轮按 torch.randperm 在设备上新生成的顺序把每个样本各访问一次，批大小为 ``batch_size``（最后一批
    可以更小）：一批就是 ``images[order[i:i + batch_size]]``，每批更新一步（zero_grad、前向传播、计算
    损失、反向传播、step）。``amp``（默认：CUDA 上为 True，其他设备上为 False）让前向传播和损失计算在
    bfloat16 的 autocast 下运行。批循环内绝不要把数值读回主机：把每批 detach 后的损失（乘以该批大小）
    累加到一个设备上的张量里，每轮只调用一次 ``.item()``（保留计算图的损失会让每一批的计算图都无法
    释放）。
    以 Python float 返回每轮的平均训练损失：按样本平均，因此较小的最后一批所占的权重也较小。
    """
    device = images.device
    amp = device.type == "cuda" if amp is None else amp
    model.to(device, memory_format=torch.channels_last).train()
    if optimizer is None:
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    count = images.shape[0]
    epoch_losses = []
    for _ in range(epochs):
        order = torch.randperm(count, device=device)  # drawn on the device: no host round trip
        total = torch.zeros((), device=device)
        for start in range(0, count, batch_size):
            index = order[start : start + batch_size]
            x, y = images[index], labels[index]
            optimizer.zero_grad(set_to_none=True)
            with _autocast(device, amp):
                loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            total += loss.detach().float() * y.shape[0]  # stays on the device
        epoch_losses.append(total.item() / count)  # the one synchronisation of the epoch
    return epoch_losses


def evaluate_fast(model: nn.Module, images: torch.Tensor, labels: torch.Tensor, batch_size: int = 1024, amp: bool | None = None) -> float:
    """Accuracy of ``model`` on device-resident data, as a Python float: the fraction of samples whose
    argmax over the class dimension (dim 1) equals the label.

    Eval mode, no autograd (torch.inference_mode() or torch.no_grad()), batches of ``batch_size``,
    ``amp`` as in train_fast; the correct counts are summed on the device and read back once.

    【中文】
    以 Python float 返回 ``model`` 对已位于设备上的数据的准确率：在类别维度（dim 1）上取 argmax 后
    等于标签的样本所占的比例。

    使用评估模式，不用 autograd（torch.inference_mode() 或 torch.no_grad()），批大小为 ``batch_size``，
    ``amp`` 与 train_fast 相同；预测正确的数量在设备上累加，最后只读回一次。
    """
    device = images.device
    amp = device.type == "cuda" if amp is None else amp
    model.eval()
    correct = torch.zeros((), dtype=torch.int64, device=device)
    with torch.inference_mode(), _autocast(device, amp):
        for start in range(0, images.shape[0], batch_size):
            outputs = model(images[start : start + batch_size])
            correct += (outputs.argmax(dim=1) == labels[start : start + batch_size]).sum()
    return correct.item() / images.shape[0]


def run_fast_training(
    data_root: str | Path,
    epochs: int,
    device: str | torch.device = "cpu",
    batch_size: int = 256,
    lr: float = 1e-3,
    compile: bool = False,
) -> list[float]:
    """The fast path end to end; returns the test accuracy after each epoch (``epochs`` floats).

    Load both splits to ``device`` with load_split_to_device, once, before the first epoch. Make a
    fresh modules.CifarNet and one Adam(model.parameters(), lr) for the whole run. Each epoch is one
    train_fast call (epochs=1, ``batch_size``, the training split, that optimizer, so Adam's state
    carries over) followed by evaluate_fast on the test split.
    With ``compile``, the model goes through torch.compile (or its in-place form, model.compile())
    before training, and the compiled model is the one trained and evaluated; without it, nothing is
    compiled.

    【中文】
    端到端运行快速路径；返回每轮结束后的测试准确率（``epochs`` 个 float）。

    在第一轮之前，用 load_split_to_device 把两个划分加载到 ``device`` 上，只加载一次。新建一个
    modules.CifarNet，并为整个运行只创建一个 Adam(model.parameters(), lr)。每轮先调用一次 train_fast
    （epochs=1、``batch_size``、训练集、这个优化器，从而 Adam 的状态得以延续），再在测试集上调用
    evaluate_fast。
    指定 ``compile`` 时，模型在训练前要经过 torch.compile（或其原地形式 model.compile()），训练和评估的
    都是编译后的模型；不指定时，什么都不编译。
    """
    device = torch.device(device)
    train_images, train_labels = load_split_to_device(data_root, True, device)
    test_images, test_labels = load_split_to_device(data_root, False, device)
    model = CifarNet().to(device, memory_format=torch.channels_last)
    trained = torch.compile(model) if compile else model
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)  # one optimizer: Adam's state spans the epochs
    accuracies = []
    for _ in range(epochs):
        train_fast(trained, train_images, train_labels, 1, batch_size, lr, optimizer=optimizer)
        accuracies.append(evaluate_fast(trained, test_images, test_labels))
    return accuracies
