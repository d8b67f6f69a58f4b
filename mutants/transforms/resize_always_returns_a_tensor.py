"""resize converts a PIL image to a tensor before resizing it, so a PIL image comes back as a tensor instead of the
same kind of image."""

from PIL import Image
from torchvision import transforms

from solutions.transforms import *  # noqa: F403
from solutions.transforms import resize as _reference


def resize(image, size):
    if isinstance(image, Image.Image):
        image = transforms.PILToTensor()(image)
    return _reference(image, size)
