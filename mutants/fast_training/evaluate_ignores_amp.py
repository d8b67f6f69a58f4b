"""evaluate_fast never enters autocast, whatever amp says."""

import torch

from solutions.fast_training import *  # noqa: F403


def evaluate_fast(model, images, labels, batch_size=1024, amp=None):
    device = images.device
    amp = device.type == "cuda" if amp is None else amp
    model.eval()
    correct = torch.zeros((), dtype=torch.int64, device=device)
    with torch.inference_mode():
        for start in range(0, images.shape[0], batch_size):
            outputs = model(images[start : start + batch_size])
            correct += (outputs.argmax(dim=1) == labels[start : start + batch_size]).sum()
    return correct.item() / images.shape[0]
