"""load_state_dict_into hands the file's path to load_state_dict instead of the dict torch.load returns."""

from solutions.checkpoint import *  # noqa: F403


def load_state_dict_into(model, path):
    model.load_state_dict(path)
    return model
