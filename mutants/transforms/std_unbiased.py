"""channel_mean_std uses the sample (unbiased) standard deviation instead of the population one."""

from solutions.transforms import *  # noqa: F403


def channel_mean_std(images):
    return images.mean(dim=(0, 2, 3)), images.std(dim=(0, 2, 3))
