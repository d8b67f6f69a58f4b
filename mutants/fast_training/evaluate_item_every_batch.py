"""evaluate_fast reads the correct count of every batch back to the host with .item()."""

import torch

from solutions.fast_training import *  # noqa: F403


def evaluate_fast(model, images, labels, batch_size=1024, amp=None):
    device = images.device
    amp = device.type == "cuda" if amp is None else amp
    model.eval()
    correct = 0
    with torch.inference_mode(), torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=amp):
        for start in range(0, images.shape[0], batch_size):
            outputs = model(images[start : start + batch_size])
            correct += (outputs.argmax(dim=1) == labels[start : start + batch_size]).sum().item()
    return correct / images.shape[0]
