"""train_fast moves the model to the device but keeps its weights in the default memory format."""

import torch
from torch import nn

from solutions.fast_training import *  # noqa: F403


def train_fast(model, images, labels, epochs, batch_size=256, lr=1e-3, amp=None, optimizer=None):
    device = images.device
    amp = device.type == "cuda" if amp is None else amp
    model.to(device).train()
    if optimizer is None:
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    count = images.shape[0]
    epoch_losses = []
    for _ in range(epochs):
        order = torch.randperm(count, device=device)
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
