"""run_fast_training lets train_fast make a new Adam every epoch, so Adam's running averages restart each epoch."""

import torch

from solutions.fast_training import *  # noqa: F403
from solutions.modules import CifarNet


def run_fast_training(data_root, epochs, device="cpu", batch_size=256, lr=1e-3, compile=False):
    device = torch.device(device)
    train_images, train_labels = load_split_to_device(data_root, True, device)
    test_images, test_labels = load_split_to_device(data_root, False, device)
    model = CifarNet().to(device, memory_format=torch.channels_last)
    trained = torch.compile(model) if compile else model
    accuracies = []
    for _ in range(epochs):
        train_fast(trained, train_images, train_labels, 1, batch_size, lr)
        accuracies.append(evaluate_fast(trained, test_images, test_labels))
    return accuracies
