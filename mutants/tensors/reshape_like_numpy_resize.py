"""reshape uses Tensor.resize_ (numpy's resize habit), which grows or shrinks instead of refusing a wrong count."""

import math

from solutions.tensors import *  # noqa: F403


def reshape(x, shape):
    known = math.prod(s for s in shape if s != -1)
    shape = tuple(x.numel() // known if s == -1 else s for s in shape)
    return x.clone().resize_(shape)
