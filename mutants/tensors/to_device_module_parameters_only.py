"""to_device moves a module's parameters one by one and forgets its buffers (BatchNorm's running statistics stay
behind on the old device)."""

from torch import nn

from solutions.tensors import *  # noqa: F403


def to_device(obj, device):
    if isinstance(obj, nn.Module):
        for module in obj.modules():
            for name, parameter in list(module.named_parameters(recurse=False)):
                setattr(module, name, nn.Parameter(parameter.detach().to(device), parameter.requires_grad))
        return obj
    return obj.to(device)
