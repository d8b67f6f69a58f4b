"""train_fast draws each epoch's order on the host (torch.randperm without a device) and moves it to the data's
device afterwards: on a GPU every epoch pays a host-to-device copy the fast path promised to avoid."""

import torch
from torch import nn

from solutions.fast_training import *  # noqa: F403


def train_fast(model, images, labels, epochs, batch_size=256, lr=1e-3, amp=None, optimizer=None):
    device = images.device
    amp = device.type == "cuda" if amp is None else amp
    model.to(device, memory_format=torch.channels_last).train()
    if optimizer is None:
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    count = images.shape[0]
    epoch_losses = []
    for _ in range(epochs):
        order = torch.randperm(count).to(device)  # drawn on the host, then copied
        total = torch.zeros((), device=device)
        for start in range(0, count, batch_size):
            index = order[start : start + batch_size]
            x, y = images[index], labels[index]
            optimizer.zero_grad(set_to_none=True)
            with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=amp):
                loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            total += loss.detach().float() * y.shape[0]
        epoch_losses.append(total.item() / count)
    return epoch_losses
