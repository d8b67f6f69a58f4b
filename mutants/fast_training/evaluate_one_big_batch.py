"""evaluate_fast ignores batch_size and runs the whole split through the model at once."""

import torch

from solutions.fast_training import *  # noqa: F403


def evaluate_fast(model, images, labels, batch_size=1024, amp=None):
    device = images.device
    amp = device.type == "cuda" if amp is None else amp
    model.eval()
    correct = torch.zeros((), dtype=torch.int64, device=device)
    with torch.inference_mode(), torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=amp):
        outputs = model(images)
        correct += (outputs.argmax(dim=1) == labels).sum()
    return correct.item() / images.shape[0]
