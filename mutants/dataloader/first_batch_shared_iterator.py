"""first_batch keeps one iterator per loader and reuses it, so a second call returns the second batch."""

from solutions.dataloader import *  # noqa: F403

_ITERATORS = {}


def first_batch(loader):
    if id(loader) not in _ITERATORS:
        _ITERATORS[id(loader)] = iter(loader)
    return next(_ITERATORS[id(loader)])
