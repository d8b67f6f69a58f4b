"""wrap_model wraps the model in DDP first and moves the wrapper afterwards: DDP has registered the parameters on the wrong device."""

import torch
from torch.nn.parallel import DistributedDataParallel

from solutions.distributed import *  # noqa: F403


def wrap_model(model, device, lr):
    device = torch.device(device)
    wrapped = DistributedDataParallel(model).to(device)
    optimizer = torch.optim.SGD(wrapped.parameters(), lr=lr)
    return wrapped, optimizer
