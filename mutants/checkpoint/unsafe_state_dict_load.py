"""load_state_dict_into loads with weights_only=False, so a malicious checkpoint can run code."""

import torch

from solutions.checkpoint import *  # noqa: F403


def load_state_dict_into(model, path):
    state = torch.load(path, weights_only=False)
    model.load_state_dict({k: v for k, v in state.items() if isinstance(v, torch.Tensor)}, strict=False)
    return model
