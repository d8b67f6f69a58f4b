"""run_training calls on_epoch for every epoch only after the last one: a caller cannot report while training goes on."""

from solutions import training as _reference
from solutions.training import *  # noqa: F403


def run_training(data_root, epochs, device="cpu", log_dir=None, batch_size=64, lr=1e-2, download=False, progress=None, on_epoch=None):
    accuracies = _reference.run_training(data_root, epochs, device, log_dir, batch_size, lr, download, progress)
    if on_epoch is not None:
        for epoch, accuracy in enumerate(accuracies, start=1):
            on_epoch(epoch, accuracy)
    return accuracies
