"""channel_mean_std averages each image's own standard deviation instead of taking one over all images' pixels."""

from solutions.transforms import *  # noqa: F403


def channel_mean_std(images):
    return images.mean(dim=(0, 2, 3)), images.std(dim=(2, 3), unbiased=False).mean(dim=0)
