"""resize_then_tensor returns the list of steps itself instead of wrapping it in transforms.Compose."""

from torchvision import transforms

from solutions.transforms import *  # noqa: F403


def resize_then_tensor(size):
    return [transforms.Resize(size), transforms.ToTensor()]
