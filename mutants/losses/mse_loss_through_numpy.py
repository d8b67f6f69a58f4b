"""mse_loss computes the numbers in numpy and wraps the result in a new tensor: the values are right, but the
result is cut off from autograd, so backward() cannot reach the prediction."""

import torch

from solutions.losses import *  # noqa: F403


def mse_loss(prediction, target, reduction="mean"):
    squared = (prediction.detach().numpy() - target.detach().numpy()) ** 2
    if reduction == "none":
        return torch.from_numpy(squared)
    return torch.tensor(squared.sum() if reduction == "sum" else squared.mean())


