"""conv2d_manual accepts only a batched 4-D input and refuses the unbatched (C, H, W) one that F.conv2d accepts."""

from solutions import conv as _reference
from solutions.conv import *  # noqa: F403


def conv2d_manual(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if x.dim() != 4:
        raise RuntimeError(f"expected a 4-D input, got {x.dim()}-D")
    return _reference.conv2d_manual(x, weight, bias, stride, padding, dilation, groups)
