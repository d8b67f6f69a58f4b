"""train_fast with the shuffle made another way: random keys drawn on the data's device and sorted
(torch.rand(...).argsort()), the device chosen for the whole epoch with ``with torch.device(...)``, and the
batches cut with Tensor.split; the loss totals kept in a Python list of device tensors summed once."""

import torch
from torch import nn

from solutions.fast_training import *  # noqa: F403


def train_fast(model, images, labels, epochs, batch_size=256, lr=1e-3, amp=None, optimizer=None):
    device = images.device
    use_amp = (device.type == "cuda") if amp is None else bool(amp)
    model = model.to(device=device, memory_format=torch.channels_last)
    model.train()
    opt = optimizer if optimizer is not None else torch.optim.Adam(model.parameters(), lr=lr)
    n = len(images)
    means = []
    for _ in range(epochs):
        with torch.device(device):  # factory calls below land on the data's device
            order = torch.rand(n).argsort()
        parts = []
        for index in order.split(batch_size):
            opt.zero_grad()
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=use_amp):
                loss = nn.functional.cross_entropy(model(images[index]), labels[index])
            loss.backward()
            opt.step()
            parts.append(loss.detach().float() * len(index))
        means.append(torch.stack(parts).sum().item() / n)
    return means
