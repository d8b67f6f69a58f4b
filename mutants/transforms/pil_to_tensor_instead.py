"""image_to_tensor uses PILToTensor: uint8 values 0..255, not floats in [0, 1], and no numpy arrays."""

from torchvision import transforms

from solutions.transforms import *  # noqa: F403


def image_to_tensor(image):
    return transforms.PILToTensor()(image)
