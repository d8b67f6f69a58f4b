"""Batches by torch.split over the permutation and index_select, losses kept as a list of detached
device tensors summed once per epoch, evaluation under torch.no_grad() with torch.split, and the
images moved with torch.as_tensor(dataset.data, device=...)."""

import torch
from torch import nn
from torchvision import datasets

from solutions.fast_training import *  # noqa: F403


def load_split_to_device(root, train, device):
    dataset = datasets.CIFAR10(root, train=train, download=False)
    raw = torch.as_tensor(dataset.data, device=device)  # the uint8 array, copied once
    images = (raw.permute(0, 3, 1, 2) / 255.0).to(memory_format=torch.channels_last)
    return images, torch.as_tensor(dataset.targets, device=device).long()


def train_fast(model, images, labels, epochs, batch_size=256, lr=1e-3, amp=None, optimizer=None):
    device = images.device
    use_amp = (device.type == "cuda") if amp is None else bool(amp)
    model = model.to(device=device, memory_format=torch.channels_last)
    model.train()
    optimizer = optimizer if optimizer is not None else torch.optim.Adam(model.parameters(), lr)
    results = []
    for _ in range(epochs):
        parts = []
        for index in torch.randperm(len(images), device=device).split(batch_size):
            x, y = images.index_select(0, index), labels.index_select(0, index)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=use_amp):
                loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            parts.append(loss.detach().float() * len(index))
        results.append(torch.stack(parts).sum().item() / len(images))
    return results


def evaluate_fast(model, images, labels, batch_size=1024, amp=None):
    use_amp = (images.device.type == "cuda") if amp is None else amp
    model.eval()
    correct = torch.tensor(0, device=images.device)
    with torch.no_grad(), torch.autocast(images.device.type, dtype=torch.bfloat16, enabled=use_amp):
        for x, y in zip(images.split(batch_size), labels.split(batch_size)):
            correct += (model(x).argmax(1) == y).sum()
    return correct.item() / len(labels)
