"""embedding_by_hand stacks one row per index of indices.flatten(), and forgets to give the result the indices' shape."""

import torch

from solutions.layers import *  # noqa: F403


def embedding_by_hand(weight, indices):
    rows = []
    for i in indices.flatten().tolist():
        if not 0 <= i < weight.shape[0]:
            raise IndexError(f"index {i} out of range")
        rows.append(weight[i])
    return torch.stack(rows)
