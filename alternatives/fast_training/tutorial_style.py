"""The whole module in a plainer, tutorial-like style: explicit index loops, a running total built with
``total = total + loss.detach() * n``, float(...) for the one read-back, accuracy from a float mean of
the counts, nn.Module.compile() in place for ``compile``, and keyword arguments everywhere."""

import torch
from torch import nn
from torchvision import datasets

from solutions.fast_training import *  # noqa: F403
from solutions.modules import CifarNet


def load_split_to_device(root, train, device):
    dataset = datasets.CIFAR10(root=str(root), train=train, download=False)
    data = torch.from_numpy(dataset.data)  # (N, 32, 32, 3) uint8
    data = data.to(device)
    images = data.permute(0, 3, 1, 2).to(torch.float32) / 255
    images = images.contiguous(memory_format=torch.channels_last)
    labels = torch.tensor(dataset.targets, dtype=torch.long).to(device)
    return images, labels


def train_fast(model, images, labels, epochs, batch_size=256, lr=1e-3, amp=None, optimizer=None):
    device = images.device
    if amp is None:
        amp = device.type == "cuda"
    model.to(device)
    model.to(memory_format=torch.channels_last)
    model.train()
    if optimizer is None:
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.CrossEntropyLoss()
    n = images.shape[0]
    history = []
    for epoch in range(epochs):
        order = torch.randperm(n, device=device)
        total = torch.zeros(1, device=device)
        i = 0
        while i < n:
            batch = order[i : i + batch_size]
            inputs = images[batch]
            targets = labels[batch]
            optimizer.zero_grad()
            with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=amp):
                outputs = model(inputs)
                loss = criterion(outputs, targets)
            loss.backward()
            optimizer.step()
            total = total + loss.detach() * targets.shape[0]
            i += batch_size
        history.append(float(total) / n)
    return history


def evaluate_fast(model, images, labels, batch_size=1024, amp=None):
    device = images.device
    if amp is None:
        amp = device.type == "cuda"
    model.eval()
    hits = torch.zeros(1, device=device)
    with torch.inference_mode():
        for i in range(0, len(images), batch_size):
            with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=amp):
                predictions = model(images[i : i + batch_size]).argmax(dim=1)
            hits += (predictions == labels[i : i + batch_size]).float().sum()
    return float(hits) / len(images)


def run_fast_training(data_root, epochs, device="cpu", batch_size=256, lr=1e-3, compile=False):
    train_images, train_labels = load_split_to_device(root=data_root, train=True, device=device)
    test_images, test_labels = load_split_to_device(root=data_root, train=False, device=device)
    model = CifarNet()
    if compile:
        model.compile()  # in place: the module itself now runs compiled
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    accuracies = []
    for epoch in range(epochs):
        train_fast(model=model, images=train_images, labels=train_labels, epochs=1, batch_size=batch_size, optimizer=optimizer)
        accuracy = evaluate_fast(model=model, images=test_images, labels=test_labels)
        accuracies.append(accuracy)
    return accuracies
