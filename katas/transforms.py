"""Kata 5: torchvision transforms - Compose, ToTensor, ToPILImage, Normalize, Resize, RandomCrop.

From the note's section Transforms. A transform is an object built once with its settings and then
called on an image: ``transforms.Resize(16)(image)``, not ``transforms.Resize(image)``.

【中文】
练习 5：torchvision 的变换——Compose、ToTensor、ToPILImage、Normalize、Resize、RandomCrop。

对应笔记的“Transforms”一节。变换是一个对象：先用参数构造一次，再拿它去处理图像。
要写 ``transforms.Resize(16)(image)``，而不是 ``transforms.Resize(image)``。
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from PIL import Image
from torchvision import transforms


def resize_then_tensor(size: int | Sequence[int]):
    """Build one callable that resizes a PIL image to ``size`` and then turns it into a tensor.

    Returns a Compose object (transforms.Compose, or its transforms.v2 twin); its steps run in list order. The
    result on a PIL image equals Resize(size) followed by ToTensor(): the resizing happens on the PIL image.

    【中文】
    构造一个可调用对象：先把 PIL 图像缩放到 ``size``，再把它转换为张量。

    返回一个 Compose 对象（transforms.Compose，或 transforms.v2 中与之对应的 Compose），各步按列表顺序执行。
    它作用在 PIL 图像上的结果，等于先做 Resize(size) 再做 ToTensor()：缩放是在 PIL 图像上完成的。
    """
    # TODO: return one callable that resizes the PIL image first and turns it into a tensor last.
    # 待办：返回一个可调用对象：先缩放 PIL 图像，最后再转换为张量。
    raise NotImplementedError("kata transforms.resize_then_tensor is not solved yet")


def image_to_tensor(image) -> torch.Tensor:
    """Turn a PIL image or a numpy array into a tensor the way ToTensor does.

    A uint8 image of shape (H, W, C) - or a PIL image - becomes float32 of shape (C, H, W) with
    values divided by 255; a grayscale (H, W) image becomes (1, H, W). A float array is only
    transposed to (C, H, W), not rescaled. A tensor is not accepted (TypeError).

    【中文】
    像 ToTensor 那样，把 PIL 图像或 numpy 数组转换为张量。

    形状为 (H, W, C) 的 uint8 图像（或 PIL 图像）变成形状为 (C, H, W) 的 float32 张量，数值除以 255；
    灰度图 (H, W) 变成 (1, H, W)。浮点数组只会被转置成 (C, H, W)，数值不缩放。不接受张量（抛出 TypeError）。
    """
    # TODO: return the image as a (C, H, W) float tensor, uint8 values scaled into [0, 1].
    # 待办：把图像变成 (C, H, W) 的浮点张量返回，uint8 数值缩放到 [0, 1]。
    raise NotImplementedError("kata transforms.image_to_tensor is not solved yet")


def tensor_to_image(tensor: torch.Tensor) -> Image.Image:
    """Turn a (C, H, W) tensor (or an (H, W, C) uint8 array) back into a PIL image with ToPILImage.

    One channel gives a grayscale ("L") image, three an "RGB" one; the image's ``.size`` is (W, H). A float tensor
    in [0, 1] is multiplied by 255, so this exactly undoes image_to_tensor on a uint8 PIL image; uint8 values
    are kept as they are.

    【中文】
    用 ToPILImage 把 (C, H, W) 张量（或 (H, W, C) 的 uint8 数组）转回 PIL 图像。

    单通道得到灰度（"L"）图像，三通道得到 "RGB" 图像；图像的 ``.size`` 是 (W, H)。
    [0, 1] 内的浮点张量会先乘以 255，因此对 uint8 的 PIL 图像来说，它能把 image_to_tensor 的转换精确还原；
    uint8 数值则保持原样。
    """
    # TODO: return the PIL image that this tensor came from, exactly undoing image_to_tensor.
    # 待办：返回这个张量原本对应的 PIL 图像，精确还原 image_to_tensor 的转换。
    raise NotImplementedError("kata transforms.tensor_to_image is not solved yet")


def normalize(tensor: torch.Tensor, mean: Sequence[float], std: Sequence[float]) -> torch.Tensor:
    """Apply transforms.Normalize: ``(x - mean[c]) / std[c]`` for each channel c of a (C, H, W) tensor.

    A single mean and std apply to every channel. This is an affine map per channel: it gives mean 0 and
    std 1 only if mean and std are the data's own statistics (see channel_mean_std). It returns a new tensor
    and leaves the caller's tensor unchanged. It needs a tensor: a PIL image is a TypeError.

    【中文】
    应用 transforms.Normalize（标准化）：对 (C, H, W) 张量的每个通道 c 计算 ``(x - mean[c]) / std[c]``。

    只给一个 mean 和一个 std 时，所有通道共用它们。这只是逐通道的仿射变换：只有当 mean 和 std 正是数据自身的
    统计量时（见 channel_mean_std），结果才是均值 0、标准差 1。它返回一个新张量，调用者传入的张量保持不变。
    输入必须是张量：传入 PIL 图像会抛出 TypeError。
    """
    # TODO: return a new tensor where each channel is shifted by its mean and divided by its std; the input stays as it was.
    # 待办：返回一个新张量：每个通道减去各自的均值、再除以各自的标准差；输入张量保持原样。
    raise NotImplementedError("kata transforms.normalize is not solved yet")


def channel_mean_std(images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-channel mean and standard deviation of a batch of images (N, C, H, W).

    Each statistic is taken over every pixel of every image of that channel (dims N, H and W), giving
    two tensors of shape (C,): the numbers to hand to Normalize so that the data becomes mean 0, std 1.
    Use the population standard deviation (correction=0 / unbiased=False).

    【中文】
    求一批图像 (N, C, H, W) 每个通道的均值和标准差。

    每个统计量覆盖该通道在所有图像、所有像素上的值（即维度 N、H、W），得到两个形状为 (C,) 的张量：
    把它们交给 Normalize，数据就会变成均值 0、标准差 1。标准差取总体标准差（correction=0 / unbiased=False）。
    """
    # TODO: return the per-channel mean and population std, each of shape (C,), over every image and pixel.
    # 待办：在所有图像和所有像素上求每个通道的均值和总体标准差，二者形状都是 (C,)。
    raise NotImplementedError("kata transforms.channel_mean_std is not solved yet")


def resize(image, size: int | Sequence[int]):
    """Resize a PIL image or a (C, H, W) tensor with transforms.Resize.

    ``size`` as an int scales the *smaller* edge to that length and keeps the aspect ratio; a
    pair is (height, width). A PIL image's ``.size`` is (width, height): mind the order. The result is
    the same kind of image (PIL or tensor); a numpy array is not accepted (TypeError).

    【中文】
    用 transforms.Resize 缩放 PIL 图像或 (C, H, W) 张量。

    ``size`` 为一个 int 时，把*较短*的边缩放到这个长度，并保持宽高比；为两个数时，表示 (高, 宽)。
    PIL 图像的 ``.size`` 却是 (宽, 高)：注意顺序。结果与输入是同一类图像（PIL 图像或张量）；
    不接受 numpy 数组（抛出 TypeError）。
    """
    # TODO: return the same kind of image, resized: an int sets the smaller edge, a pair sets (height, width).
    # 待办：返回缩放后的同类图像：一个整数决定较短边的长度，两个数决定 (高, 宽)。
    raise NotImplementedError("kata transforms.resize is not solved yet")


def random_crop(image, size, padding=None, pad_if_needed: bool = False, fill=0):
    """Crop a random ``size`` window out of ``image`` (PIL image or (C, H, W) tensor) with transforms.RandomCrop.

    ``size`` is an int (a square) or (height, width); the result is the same kind of image. ``padding`` is
    added before cropping: an int pads every side; two values are (left/right, top/bottom); four are
    (left, top, right, bottom); any other count is a ValueError. ``pad_if_needed`` pads an image that is
    smaller than ``size``, which otherwise is a ValueError. ``fill`` is the padding's pixel value
    (an int, or one value per channel for PIL images). The window position comes from torch's global
    RNG, so torch.manual_seed makes it reproducible.

    【中文】
    用 transforms.RandomCrop 从 ``image``（PIL 图像或 (C, H, W) 张量）中随机裁剪出一块 ``size`` 大小的窗口。

    ``size`` 是一个 int（正方形）或 (高, 宽)；结果与输入是同一类图像。裁剪前先加上填充 ``padding``（笔记中的
    “间隔”指的就是填充）：一个 int 表示四边都填充；两个值表示 (左右, 上下)；四个值表示 (左, 上, 右, 下)；
    其他个数都会抛出 ValueError。``pad_if_needed`` 会给比 ``size`` 小的图像加填充，不开启时这种情况抛出
    ValueError。``fill`` 是填充像素的值（一个 int；PIL 图像也可以每个通道给一个值）。窗口位置由 torch 的
    全局随机数生成器决定，因此用 torch.manual_seed 设定随机种子即可复现。
    """
    # TODO: return a random window of the given size, after the padding that padding, pad_if_needed and fill ask for.
    # 待办：按 padding、pad_if_needed 和 fill 的要求先填充，再返回一块给定大小的随机窗口。
    raise NotImplementedError("kata transforms.random_crop is not solved yet")
