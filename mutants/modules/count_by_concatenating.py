"""count_parameters concatenates every parameter into one long vector and takes its length: right for most models,
but torch.cat refuses an empty list, so a model without parameters (a pooling layer) raises instead of giving 0."""

import torch

from solutions.modules import *  # noqa: F403


def count_parameters(model, trainable_only=False):
    kept = [p.detach().flatten() for p in model.parameters() if p.requires_grad or not trainable_only]
    return torch.cat(kept).numel()
