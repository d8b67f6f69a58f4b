"""gradient_of copies x with x.clone() but does not detach it: when x requires grad the copy is not a leaf, the
gradient flows into the caller's x.grad, and the copy's own .grad stays None."""

from solutions.optim import *  # noqa: F403


def gradient_of(fn, x):
    leaf = x.clone().requires_grad_(True)
    fn(leaf).backward()
    return leaf.grad
