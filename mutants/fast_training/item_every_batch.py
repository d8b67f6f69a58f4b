"""train_fast reads the loss back with .item() at every batch, forcing a host synchronisation per step."""

import torch
from torch import nn

from solutions.fast_training import *  # noqa: F403


def train_fast(model, images, labels, epochs, batch_size=256, lr=1e-3, amp=None, optimizer=None):
    device = images.device
    model.to(device, memory_format=torch.channels_last).train()
    optimizer = optimizer or torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        order, total = torch.randperm(images.shape[0], device=device), 0.0
        for start in range(0, images.shape[0], batch_size):
            index = order[start : start + batch_size]
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(images[index]), labels[index])
            loss.backward()
            optimizer.step()
            total += loss.item() * index.shape[0]
        losses.append(total / images.shape[0])
    return losses
