"""wrap_model creates the optimizer before moving the model, against torch.optim's documentation (on a GPU it may hold the old tensors)."""

import torch
from torch.nn.parallel import DistributedDataParallel

from solutions.distributed import *  # noqa: F403


def wrap_model(model, device, lr):
    device = torch.device(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    model = model.to(device)
    wrapped = DistributedDataParallel(model, device_ids=[device] if device.type == "cuda" else None)
    return wrapped, optimizer
