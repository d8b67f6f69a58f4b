"""resize_then_tensor puts ToTensor before Resize: the steps run in the wrong order."""

from torchvision import transforms

from solutions.transforms import *  # noqa: F403


def resize_then_tensor(size):
    return transforms.Compose([transforms.ToTensor(), transforms.Resize(size)])
