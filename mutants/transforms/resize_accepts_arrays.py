"""resize "helpfully" turns a numpy array into a PIL image first, instead of refusing it with TypeError as Resize
does."""

import numpy as np
from PIL import Image

from solutions.transforms import *  # noqa: F403
from solutions.transforms import resize as _reference


def resize(image, size):
    if isinstance(image, np.ndarray):
        image = Image.fromarray(image)
    return _reference(image, size)
