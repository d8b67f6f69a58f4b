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

    ``size`` is what transforms.Resize accepts (an int for the smaller edge, or (height, width)). The
    result is a Compose object (transforms.Compose, or its transforms.v2 twin). Called on a PIL image it
    returns a float32 tensor (C, H, W) in [0, 1], equal to what Resize(size) and then ToTensor() give:
    the resizing happens on the PIL image, before the conversion (a 40x20 image with size 10 gives
    (3, 10, 20)).

    The lesson: Compose chains transforms into one, and the order of its steps matters.

    【中文】
    构造一个可调用对象：先把 PIL 图像缩放到 ``size``，再把它转换为张量。

    ``size`` 取 transforms.Resize 能接受的值（一个 int 表示较短边，或 (高, 宽)）。返回值是一个 Compose
    对象（transforms.Compose，或 transforms.v2 中与之对应的 Compose）。把它作用在 PIL 图像上，得到 [0, 1]
    内的 float32 张量 (C, H, W)，与先做 Resize(size) 再做 ToTensor() 的结果相等：缩放发生在 PIL 图像上，
    在格式转换之前（宽 40、高 20 的图像配 size 10，得到 (3, 10, 20)）。

    要点：Compose 把多个变换串成一个，而且各步的顺序很重要。
    """
    # TODO: return one callable that resizes the PIL image first and turns it into a tensor last.
    # 待办：返回一个可调用对象：先缩放 PIL 图像，最后再转换为张量。
    raise NotImplementedError("kata transforms.resize_then_tensor is not solved yet")


def image_to_tensor(image) -> torch.Tensor:
    """Turn a PIL image or a numpy array into a tensor, the way transforms.ToTensor does.

    A uint8 image of shape (H, W, C) - or a PIL image - becomes float32 of shape (C, H, W) with its
    values divided by 255, so 0..255 becomes 0..1; a grayscale image (PIL mode L, or an (H, W) array)
    becomes (1, H, W). A float array keeps its values: it is only rearranged to (C, H, W), not rescaled.
    A tensor is not accepted: TypeError.

    The lesson: ToTensor changes both the axis order (channels first) and, for uint8 data only, the value
    range.

    【中文】
    像 transforms.ToTensor 那样，把 PIL 图像或 numpy 数组转换为张量。

    形状为 (H, W, C) 的 uint8 图像（或 PIL 图像）变成形状为 (C, H, W) 的 float32 张量，数值除以 255，
    即 0..255 变成 0..1；灰度图（PIL 的 L 模式，或 (H, W) 数组）变成 (1, H, W)。浮点数组的数值保持不变：
    只把维度重排成 (C, H, W)，不做缩放。不接受张量：抛出 TypeError。

    要点：ToTensor 既改变维度顺序（通道移到最前），又改变取值范围——后者只针对 uint8 数据。
    """
    # TODO: return the image as a (C, H, W) float tensor, uint8 values scaled into [0, 1].
    # 待办：把图像变成 (C, H, W) 的浮点张量返回，uint8 数值缩放到 [0, 1]。
    raise NotImplementedError("kata transforms.image_to_tensor is not solved yet")


def tensor_to_image(tensor: torch.Tensor) -> Image.Image:
    """Turn a (C, H, W) tensor (or an (H, W, C) uint8 array) back into a PIL image, like transforms.ToPILImage.

    One channel gives a grayscale ("L") image, three an "RGB" one; the image's ``.size`` is (W, H). A
    float tensor in [0, 1] is scaled back to 0..255, so this exactly undoes image_to_tensor on a uint8 PIL
    image (same mode, size and pixels); uint8 values are kept as they are. An (H, W, C) uint8 numpy array
    is read as height, width, channels and keeps its pixels.

    The lesson: ToPILImage is the way back from ToTensor, and PIL reports sizes as (width, height).

    【中文】
    像 transforms.ToPILImage 那样，把 (C, H, W) 张量（或 (H, W, C) 的 uint8 数组）转回 PIL 图像。

    单通道得到灰度（"L"）图像，三通道得到 "RGB" 图像；图像的 ``.size`` 是 (宽, 高)。[0, 1] 内的浮点张量
    会被还原到 0..255，因此对 uint8 的 PIL 图像来说，它能精确还原 image_to_tensor 的结果（模式、尺寸和像素
    都相同）；uint8 数值保持原样。(H, W, C) 的 uint8 numpy 数组按 高、宽、通道 解读，像素保持不变。

    要点：ToPILImage 是 ToTensor 的逆向操作，而 PIL 报告尺寸时用的是 (宽, 高)。
    """
    # TODO: return the PIL image that this tensor came from, exactly undoing image_to_tensor.
    # 待办：返回这个张量原本对应的 PIL 图像，精确还原 image_to_tensor 的转换。
    raise NotImplementedError("kata transforms.tensor_to_image is not solved yet")


def normalize(tensor: torch.Tensor, mean: Sequence[float], std: Sequence[float]) -> torch.Tensor:
    """Normalize a (C, H, W) tensor per channel like transforms.Normalize: channel c becomes ``(x - mean[c]) / std[c]``.

    ``mean`` and ``std`` hold one value per channel; a single value applies to every channel. The result
    is a new tensor of the same shape, and the caller's tensor is left unchanged. The result has mean 0
    and std 1 only when mean and std are the data's own statistics (see channel_mean_std): data in
    [0.7, 0.9] normalized with 0.5 and 0.5 has mean about 0.6. A PIL image is not accepted: TypeError.

    The lesson: Normalize is an affine map per channel, not a guarantee of a standard normal distribution.

    【中文】
    像 transforms.Normalize（标准化）那样逐通道处理 (C, H, W) 张量：通道 c 变成 ``(x - mean[c]) / std[c]``。

    ``mean`` 和 ``std`` 每个通道各一个值；只给一个值时，所有通道共用。结果是一个形状相同的新张量，调用者
    传入的张量保持不变。只有当 mean 和 std 正是数据自身的统计量时（见 channel_mean_std），结果才是
    均值 0、标准差 1：取值在 [0.7, 0.9] 的数据用 0.5 和 0.5 标准化后，均值约为 0.6。不接受 PIL 图像：
    抛出 TypeError。

    要点：Normalize 只是逐通道的仿射变换，并不保证得到标准正态分布。
    """
    # TODO: return a new tensor with each channel normalized by its own mean and std; the input stays as it was.
    # 待办：返回一个新张量：每个通道减去各自的均值、再除以各自的标准差；输入张量保持原样。
    raise NotImplementedError("kata transforms.normalize is not solved yet")


def channel_mean_std(images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-channel mean and standard deviation of a batch of images (N, C, H, W).

    Returns two tensors of shape (C,). Each channel's statistic covers every pixel of every image in that
    channel (dims N, H and W together), and the standard deviation is the population one, not the sample
    one. Handed to Normalize, these numbers make every channel of the data mean 0 and (population) std 1.

    The lesson: Normalize's mean and std are statistics of the data, one pair per channel.

    【中文】
    求一批图像 (N, C, H, W) 每个通道的均值和标准差。

    返回两个形状为 (C,) 的张量。每个通道的统计量覆盖该通道在所有图像、所有像素上的值（即维度 N、H、W
    合在一起），标准差取总体标准差，而不是样本标准差。把这两个结果交给 Normalize，数据的每个通道都会变成
    均值 0、（总体）标准差 1。

    要点：Normalize 用的 mean 和 std 是数据的统计量，每个通道一对。
    """
    # TODO: return the per-channel mean and population std, each of shape (C,), over every image and pixel.
    # 待办：在所有图像和所有像素上求每个通道的均值和总体标准差，二者形状都是 (C,)。
    raise NotImplementedError("kata transforms.channel_mean_std is not solved yet")


def resize(image, size: int | Sequence[int]):
    """Resize a PIL image or a (C, H, W) tensor, as transforms.Resize does.

    ``size`` as an int sets the *smaller* edge to that length and keeps the aspect ratio (a 30x20 image,
    width by height, with 10 becomes 15x10); a pair is (height, width). A PIL image's ``.size`` is
    (width, height): mind the order. The result is the same kind of image as the input (PIL or tensor);
    a PIL image and its tensor give nearly the same pixels. A numpy array is not accepted: TypeError.

    The lesson: one number and two numbers mean different things to Resize, and (H, W) is not PIL's
    (W, H).

    【中文】
    像 transforms.Resize 那样缩放 PIL 图像或 (C, H, W) 张量。

    ``size`` 为一个 int 时，把*较短*的边缩放到这个长度，并保持宽高比（宽 30、高 20 的图像配 10，变成
    宽 15、高 10）；为两个数时，表示 (高, 宽)。PIL 图像的 ``.size`` 却是 (宽, 高)：注意顺序。结果与输入
    是同一类图像（PIL 图像或张量）；同一张图的 PIL 形式和张量形式缩放后像素几乎相同。不接受 numpy 数组：
    抛出 TypeError。

    要点：给 Resize 一个数和两个数含义不同，而且 (H, W) 不是 PIL 的 (W, H)。
    """
    # TODO: return the same kind of image, resized: an int sets the smaller edge, a pair sets (height, width).
    # 待办：返回缩放后的同类图像：一个整数决定较短边的长度，两个数决定 (高, 宽)。
    raise NotImplementedError("kata transforms.resize is not solved yet")


def random_crop(image, size, padding=None, pad_if_needed: bool = False, fill=0):
    """Crop a random ``size`` window out of ``image`` (PIL image or (C, H, W) tensor), like transforms.RandomCrop.

    ``size`` is an int (a square) or (height, width); the result is the same kind of image, a window cut
    out of the (padded) image, not resampled. ``padding`` is added on the sides before cropping: an int
    pads every side; two values are (left/right, top/bottom); four are (left, top, right, bottom) - not the
    order the note gives; any other count raises ValueError. ``pad_if_needed=True`` pads an image smaller
    than ``size`` up to it; without it such an image raises ValueError. ``fill`` is the padding's pixel
    value: an int, or one value per channel for a PIL image; the image inside the padding is unchanged.
    The window position is drawn from torch's global random generator, so the same torch.manual_seed
    gives the same window, and different seeds move it.

    The lesson: RandomCrop's options are settings of the transform; the randomness happens only when it
    is called.

    【中文】
    像 transforms.RandomCrop 那样，从 ``image``（PIL 图像或 (C, H, W) 张量）中随机裁剪出一块 ``size`` 大小的窗口。

    ``size`` 是一个 int（正方形）或 (高, 宽)；结果与输入是同一类图像，是从（填充后的）图像中原样切下的
    窗口，不做重采样。裁剪前先在四周加上填充 ``padding``（笔记中的“间隔”指的就是填充）：一个 int 表示
    四边都填充；两个值表示 (左右, 上下)；四个值表示 (左, 上, 右, 下)——与笔记给出的顺序不同；其他个数都会
    抛出 ValueError。``pad_if_needed=True`` 会把比 ``size`` 小的图像填充到这个尺寸；不开启时这种图像会
    抛出 ValueError。``fill`` 是填充像素的值：一个 int；PIL 图像也可以每个通道给一个值；填充区域内的原图
    保持不变。窗口位置取自 torch 的全局随机数生成器，因此相同的 torch.manual_seed 得到相同的窗口，不同的
    种子会让窗口移动。

    要点：RandomCrop 的各种选项都是变换的设置；随机性只在调用它时才发生。
    """
    # TODO: return a random window of the given size, after the padding that padding, pad_if_needed and fill ask for.
    # 待办：按 padding、pad_if_needed 和 fill 的要求先填充，再返回一块给定大小的随机窗口。
    raise NotImplementedError("kata transforms.random_crop is not solved yet")
