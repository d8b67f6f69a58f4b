"""tensor_to_image casts a float tensor to uint8 without multiplying by 255: every [0, 1) value becomes 0."""

import numpy as np
import torch
from PIL import Image

from solutions.transforms import *  # noqa: F403


def tensor_to_image(tensor):
    if isinstance(tensor, np.ndarray):
        return Image.fromarray(tensor)
    array = tensor.to(torch.uint8).permute(1, 2, 0).numpy()
    return Image.fromarray(array[:, :, 0] if array.shape[2] == 1 else array)
