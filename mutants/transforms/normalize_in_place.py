"""normalize uses Normalize(inplace=True), silently overwriting the caller's tensor."""

from torchvision import transforms

from solutions.transforms import *  # noqa: F403


def normalize(tensor, mean, std):
    return transforms.Normalize(mean, std, inplace=True)(tensor)
