"""Kata 5: torchvision transforms - Compose, ToTensor, ToPILImage, Normalize, Resize, RandomCrop.

From the note's section Transforms. A transform is an object built once with its settings and then
called on an image: ``transforms.Resize(16)(image)``, not ``transforms.Resize(image)``.
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
    """
    # TODO: return one callable that resizes the PIL image first and turns it into a tensor last.
    raise NotImplementedError("kata transforms.resize_then_tensor is not solved yet")


def image_to_tensor(image) -> torch.Tensor:
    """Turn a PIL image or a numpy array into a tensor the way ToTensor does.

    A uint8 image of shape (H, W, C) - or a PIL image - becomes float32 of shape (C, H, W) with
    values divided by 255; a grayscale (H, W) image becomes (1, H, W). A float array is only
    transposed to (C, H, W), not rescaled. A tensor is not accepted (TypeError).
    """
    # TODO: return the image as a (C, H, W) float tensor, uint8 values scaled into [0, 1].
    raise NotImplementedError("kata transforms.image_to_tensor is not solved yet")


def tensor_to_image(tensor: torch.Tensor) -> Image.Image:
    """Turn a (C, H, W) tensor (or an (H, W, C) uint8 array) back into a PIL image with ToPILImage.

    One channel gives a grayscale ("L") image, three an "RGB" one; the image's ``.size`` is (W, H). A float tensor
    in [0, 1] is multiplied by 255, so this exactly undoes image_to_tensor on a uint8 PIL image; uint8 values
    are kept as they are.
    """
    # TODO: return the PIL image that this tensor came from, exactly undoing image_to_tensor.
    raise NotImplementedError("kata transforms.tensor_to_image is not solved yet")


def normalize(tensor: torch.Tensor, mean: Sequence[float], std: Sequence[float]) -> torch.Tensor:
    """Apply transforms.Normalize: ``(x - mean[c]) / std[c]`` for each channel c of a (C, H, W) tensor.

    A single mean and std apply to every channel. This is an affine map per channel: it gives mean 0 and
    std 1 only if mean and std are the data's own statistics (see channel_mean_std). It returns a new tensor
    and leaves the caller's tensor unchanged. It needs a tensor: a PIL image is a TypeError.
    """
    # TODO: return a new tensor where each channel is shifted by its mean and divided by its std; the input stays as it was.
    raise NotImplementedError("kata transforms.normalize is not solved yet")


def channel_mean_std(images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-channel mean and standard deviation of a batch of images (N, C, H, W).

    Each statistic is taken over every pixel of every image of that channel (dims N, H and W), giving
    two tensors of shape (C,): the numbers to hand to Normalize so that the data becomes mean 0, std 1.
    Use the population standard deviation (correction=0 / unbiased=False).
    """
    # TODO: return the per-channel mean and population std, each of shape (C,), over every image and pixel.
    raise NotImplementedError("kata transforms.channel_mean_std is not solved yet")


def resize(image, size: int | Sequence[int]):
    """Resize a PIL image or a (C, H, W) tensor with transforms.Resize.

    ``size`` as an int scales the *smaller* edge to that length and keeps the aspect ratio; a
    pair is (height, width). A PIL image's ``.size`` is (width, height): mind the order. The result is
    the same kind of image (PIL or tensor); a numpy array is not accepted (TypeError).
    """
    # TODO: return the same kind of image, resized: an int sets the smaller edge, a pair sets (height, width).
    raise NotImplementedError("kata transforms.resize is not solved yet")


def random_crop(image, size, padding=None, pad_if_needed: bool = False, fill=0):
    """Crop a random ``size`` window out of ``image`` (PIL image or (C, H, W) tensor) with transforms.RandomCrop.

    ``size`` is an int (a square) or (height, width); the result is the same kind of image. ``padding`` is
    added before cropping: an int pads every side; two values are (left/right, top/bottom); four are
    (left, top, right, bottom); any other count is a ValueError. ``pad_if_needed`` pads an image that is
    smaller than ``size``, which otherwise is a ValueError. ``fill`` is the padding's pixel value
    (an int, or one value per channel for PIL images). The window position comes from torch's global
    RNG, so torch.manual_seed makes it reproducible.
    """
    # TODO: return a random window of the given size, after the padding that padding, pad_if_needed and fill ask for.
    raise NotImplementedError("kata transforms.random_crop is not solved yet")
