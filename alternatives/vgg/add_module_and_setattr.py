"""add_module('6', ...) replaces the child named '6' in place; setattr appends 'add_linear'; the model comes from
torchvision.models.get_model."""

from torch import nn
from torchvision import models

from solutions.vgg import *  # noqa: F403


def vgg16_replace_last_layer(num_classes=10):
    model = models.get_model("vgg16", weights=None)
    model.classifier.add_module("6", nn.Linear(4096, num_classes))
    return model


def vgg16_append_layer(num_classes=10):
    model = models.get_model("vgg16", weights=None)
    setattr(model.classifier, "add_linear", nn.Linear(1000, num_classes))
    return model
