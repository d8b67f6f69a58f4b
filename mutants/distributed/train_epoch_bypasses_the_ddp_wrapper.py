"""train_epoch runs the forward pass through the unwrapped module (model.module), so DDP never averages the gradients and the ranks' copies drift apart."""

from solutions.distributed import *  # noqa: F403


def train_epoch(model, loader, loss_fn, optimizer, device, epoch):
    loader.sampler.set_epoch(epoch)
    network = getattr(model, "module", model)  # "works with or without DDP" - but skips DDP's hooks
    network.train()
    losses = []
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = loss_fn(network(images), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
