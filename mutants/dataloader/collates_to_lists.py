"""batched_loader collates a batch into a tuple of lists (what the note describes) instead of stacked tensors."""

from torch.utils.data import DataLoader

from solutions.dataloader import *  # noqa: F403


def batched_loader(dataset, batch_size, drop_last=False):
    def to_lists(samples):
        return tuple(map(list, zip(*samples)))

    return DataLoader(dataset, batch_size=batch_size, drop_last=drop_last, collate_fn=to_lists)
