"""Every kata written with torchvision.transforms.functional instead of transform classes: the Compose holds two
functions, and random_crop draws its window with RandomCrop.get_params (torch's RNG) and crops with F.crop."""

from torchvision import transforms
from torchvision.transforms import functional as F

from solutions.transforms import *  # noqa: F403


def resize_then_tensor(size):
    return transforms.Compose([lambda image: F.resize(image, size), F.to_tensor])


def image_to_tensor(image):
    return F.to_tensor(image)


def tensor_to_image(tensor):
    return F.to_pil_image(tensor)


def normalize(tensor, mean, std):
    return F.normalize(tensor, mean, std)


def resize(image, size):
    return F.resize(image, size)


def random_crop(image, size, padding=None, pad_if_needed=False, fill=0):
    height, width = (size, size) if isinstance(size, int) else size
    if padding is not None:
        image = F.pad(image, padding, fill=fill)
    _, image_height, image_width = F.get_dimensions(image)
    if pad_if_needed and image_width < width:
        image = F.pad(image, [width - image_width, 0], fill=fill)
    if pad_if_needed and image_height < height:
        image = F.pad(image, [0, height - image_height], fill=fill)
    top, left, height, width = transforms.RandomCrop.get_params(image, (height, width))
    return F.crop(image, top, left, height, width)
