"""to_device calls .to() but returns the original object: right for a module, wrong for a tensor."""

from solutions.tensors import *  # noqa: F403


def to_device(obj, device):
    obj.to(device)
    return obj
