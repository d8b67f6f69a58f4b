"""image_to_tensor is written by hand and divides every array by 255, float arrays included."""

import numpy as np
import torch

from solutions.transforms import *  # noqa: F403


def image_to_tensor(image):
    if isinstance(image, torch.Tensor):
        raise TypeError("expected a PIL image or a numpy array")
    array = np.array(image)
    if array.ndim == 2:
        array = array[:, :, None]
    return torch.from_numpy(array).permute(2, 0, 1).float() / 255
