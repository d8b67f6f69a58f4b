"""resize_then_tensor reverses a pair size before handing it to Resize, taking PIL's (width, height) order for the
one Resize uses, so (12, 8) gives 8 rows and 12 columns."""

from torchvision import transforms

from solutions.transforms import *  # noqa: F403


def resize_then_tensor(size):
    if not isinstance(size, int):
        size = tuple(reversed(size))
    return transforms.Compose([transforms.Resize(size), transforms.ToTensor()])
