"""relu_inplace wraps the in-place clamp in torch.no_grad() to silence autograd, so a leaf that requires grad is
overwritten behind autograd's back instead of being refused."""

import torch

from solutions.layers import *  # noqa: F403


def relu_inplace(x):
    with torch.no_grad():
        return x.clamp_(min=0)
