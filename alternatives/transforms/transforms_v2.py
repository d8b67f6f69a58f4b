"""The katas where torchvision.transforms.v2 behaves like the classic classes, written with v2: Compose with
ToImage + ToDtype(scale=True) for ToTensor, ToPILImage, Normalize and RandomCrop."""

import torch
from torchvision.transforms import v2

from solutions.transforms import *  # noqa: F403


def resize_then_tensor(size):
    return v2.Compose([v2.Resize(size), v2.ToImage(), v2.ToDtype(torch.float32, scale=True)])


def tensor_to_image(tensor):
    return v2.ToPILImage()(tensor)


def normalize(tensor, mean, std):
    return v2.Normalize(mean, std)(tensor)


def random_crop(image, size, padding=None, pad_if_needed=False, fill=0):
    return v2.RandomCrop(size, padding=padding, pad_if_needed=pad_if_needed, fill=fill)(image)
