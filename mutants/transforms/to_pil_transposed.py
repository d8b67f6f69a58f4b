"""tensor_to_image moves the channels last with tensor.T, which gives (W, H, C): the image comes out transposed."""

import numpy as np
import torch
from PIL import Image

from solutions.transforms import *  # noqa: F403


def tensor_to_image(tensor):
    if isinstance(tensor, np.ndarray):
        return Image.fromarray(tensor)
    if tensor.is_floating_point():
        tensor = tensor.mul(255).to(torch.uint8)
    array = tensor.T.numpy()
    return Image.fromarray(array[:, :, 0] if array.shape[2] == 1 else array)
