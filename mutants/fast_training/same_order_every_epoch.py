"""train_fast draws one permutation before the epoch loop, so every epoch repeats the same order."""

import torch
from torch import nn

from solutions.fast_training import *  # noqa: F403


def train_fast(model, images, labels, epochs, batch_size=256, lr=1e-3, amp=None, optimizer=None):
    device = images.device
    model.to(device, memory_format=torch.channels_last).train()
    optimizer = optimizer or torch.optim.Adam(model.parameters(), lr=lr)
    order = torch.randperm(images.shape[0], device=device)
    losses = []
    for _ in range(epochs):
        total = torch.zeros((), device=device)
        for start in range(0, images.shape[0], batch_size):
            index = order[start : start + batch_size]
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(images[index]), labels[index])
            loss.backward()
            optimizer.step()
            total += loss.detach() * index.shape[0]
        losses.append(total.item() / images.shape[0])
    return losses
