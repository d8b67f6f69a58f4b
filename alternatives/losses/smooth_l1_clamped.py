"""smooth_l1_loss without a branch: with m = min(|d|, beta), the loss is 0.5 * m^2 / beta + (|d| - m) - quadratic
up to beta, then linear; a huge difference never gets squared, so nothing overflows."""

from solutions.losses import *  # noqa: F403


def smooth_l1_loss(prediction, target, beta=1.0):
    d = (prediction - target).abs()
    if beta == 0:
        return d.mean()
    m = d.clamp(max=beta)
    return (0.5 * m * m / beta + (d - m)).mean()
