"""tensor_to_image multiplies every tensor by 255, uint8 ones included (100 overflows to 156)."""

import numpy as np
import torch
from PIL import Image

from solutions.transforms import *  # noqa: F403


def tensor_to_image(tensor):
    if isinstance(tensor, np.ndarray):
        return Image.fromarray(tensor)
    array = tensor.mul(255).to(torch.uint8).permute(1, 2, 0).numpy()
    return Image.fromarray(array[:, :, 0] if array.shape[2] == 1 else array)
