"""MSE, SmoothL1 and cross entropy written out from their formulas (log_softmax, gather, masks, torch.where);
l1_loss stays on nn.L1Loss (l1_written_out.py writes it out)."""

import torch

from solutions.losses import *  # noqa: F403


def _reduce(values, reduction):
    if reduction == "none":
        return values
    return values.sum() if reduction == "sum" else values.mean()


def mse_loss(prediction, target, reduction="mean"):
    return _reduce((prediction - target) ** 2, reduction)


def smooth_l1_loss(prediction, target, beta=1.0):
    d = (prediction - target).abs()
    if beta == 0:
        return d.mean()
    return torch.where(d < beta, 0.5 * d**2 / beta, d - 0.5 * beta).mean()


def cross_entropy(logits, target, weight=None, ignore_index=-100, label_smoothing=0.0):
    if logits.dim() == 1:  # (C,) with a 0-d target: a batch of one
        logits, target = logits.unsqueeze(0), target.unsqueeze(0)
    classes = logits.shape[1]
    log_probs = torch.log_softmax(logits, dim=1).movedim(1, -1).reshape(-1, classes)  # (items, C)
    w = torch.ones(classes) if weight is None else weight
    eps = label_smoothing
    if target.is_floating_point():  # class probabilities: the mean is over the items
        soft = (1 - eps) * target.movedim(1, -1).reshape(-1, classes) + eps / classes
        return -(soft * log_probs * w).sum(dim=1).mean()
    target = target.reshape(-1)
    keep = target != ignore_index
    safe = torch.where(keep, target, torch.zeros_like(target))
    picked = -log_probs.gather(1, safe.unsqueeze(1)).squeeze(1)
    w_items = w[safe] * keep
    smooth = -(log_probs * w).sum(dim=1) * keep
    return ((1 - eps) * (w_items * picked).sum() + eps / classes * smooth.sum()) / w_items.sum()
