"""move_batch moves the images but forgets the labels (fine on CPU, a device mismatch on a GPU)."""

from solutions.training import *  # noqa: F403


def move_batch(images, labels, device):
    return images.to(device), labels
