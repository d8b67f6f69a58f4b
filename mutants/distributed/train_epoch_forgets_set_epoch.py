"""train_epoch never calls loader.sampler.set_epoch, so every epoch repeats the first epoch's order."""

from solutions.distributed import *  # noqa: F403


def train_epoch(model, loader, loss_fn, optimizer, device, epoch):
    model.train()
    losses = []
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
