"""train_fast sums each batch's loss with a second, detached reduction="sum" cross-entropy over the
logits (instead of mean times size) and slices the permutation with narrow(); evaluate_fast counts with
torch.eq and reads the accuracy back as a float64 division; run_fast_training wraps the model with
torch.compile only when asked and builds Adam from the compiled wrapper's parameters (the same tensors)."""

import torch
from torch import nn

from solutions.fast_training import *  # noqa: F403
from solutions.modules import CifarNet


def train_fast(model, images, labels, epochs, batch_size=256, lr=1e-3, amp=None, optimizer=None):
    device = images.device
    amp = device.type == "cuda" if amp is None else amp
    model.to(device, memory_format=torch.channels_last).train()
    optimizer = optimizer or torch.optim.Adam(model.parameters(), lr=lr)
    count = len(labels)
    losses = []
    for _ in range(epochs):
        order = torch.randperm(count, device=device)
        summed = torch.zeros((), dtype=torch.float32, device=device)
        for start in range(0, count, batch_size):
            index = order.narrow(0, start, min(batch_size, count - start))
            optimizer.zero_grad(set_to_none=True)
            with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=amp):
                logits = model(images[index])
                loss = nn.functional.cross_entropy(logits, labels[index])
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                summed += nn.functional.cross_entropy(logits.float(), labels[index], reduction="sum")
        losses.append(summed.item() / count)
    return losses


def evaluate_fast(model, images, labels, batch_size=1024, amp=None):
    amp = images.device.type == "cuda" if amp is None else amp
    model.eval()
    correct = torch.zeros((), dtype=torch.int64, device=images.device)
    with torch.inference_mode():
        for start in range(0, len(images), batch_size):
            with torch.autocast(device_type=images.device.type, dtype=torch.bfloat16, enabled=amp):
                logits = model(images[start : start + batch_size])
            correct += torch.eq(logits.argmax(dim=1), labels[start : start + batch_size]).sum()
    return (correct.double() / len(images)).item()


def run_fast_training(data_root, epochs, device="cpu", batch_size=256, lr=1e-3, compile=False):
    train_split = load_split_to_device(data_root, True, device)
    test_split = load_split_to_device(data_root, False, device)
    net = CifarNet()
    if compile:
        net = torch.compile(net)
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    return [
        (train_fast(net, *train_split, 1, batch_size, optimizer=optimizer), evaluate_fast(net, *test_split))[1]
        for _ in range(epochs)
    ]
