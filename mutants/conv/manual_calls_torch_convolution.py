"""conv2d_manual hands the work to torch.convolution, PyTorch's general convolution under another name: the kata
forbids every PyTorch convolution, not only the ones called conv2d."""

import torch

from solutions.conv import *  # noqa: F403
from solutions.conv import _pair


def conv2d_manual(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if x.dim() not in (3, 4):
        raise RuntimeError("expected a 3-D or 4-D input")
    batched = x if x.dim() == 4 else x.unsqueeze(0)
    out = torch.convolution(
        batched, weight, bias, _pair(stride), _pair(padding), _pair(dilation), False, (0, 0), groups
    )
    return out if x.dim() == 4 else out[0]
