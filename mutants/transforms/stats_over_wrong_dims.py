"""channel_mean_std reduces over N, C and H: a statistic per column instead of per channel."""

from solutions.transforms import *  # noqa: F403


def channel_mean_std(images):
    return images.mean(dim=(0, 1, 2)), images.std(dim=(0, 1, 2), unbiased=False)
