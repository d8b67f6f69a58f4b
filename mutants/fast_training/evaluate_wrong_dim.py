"""evaluate_fast takes the argmax over the batch dimension."""

import torch

from solutions.fast_training import *  # noqa: F403


def evaluate_fast(model, images, labels, batch_size=1024, amp=None):
    model.eval()
    correct = torch.zeros((), dtype=torch.int64, device=images.device)
    with torch.inference_mode():
        for start in range(0, images.shape[0], batch_size):
            outputs = model(images[start : start + batch_size])
            correct += (outputs.argmax(dim=0)[: outputs.shape[0]] == labels[start : start + batch_size][: outputs.shape[1]]).sum()
    return correct.item() / images.shape[0]
