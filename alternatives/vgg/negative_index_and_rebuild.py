"""classifier[-1] with in_features read from the old layer; the append rebuilds the classifier from its named
children plus ('add_linear', ...) in an OrderedDict."""

from collections import OrderedDict

from torch import nn
from torchvision import models

from solutions.vgg import *  # noqa: F403


def vgg16_replace_last_layer(num_classes=10):
    model = models.vgg16(weights=None, progress=False)
    model.classifier[-1] = nn.Linear(model.classifier[-1].in_features, num_classes)
    return model


def vgg16_append_layer(num_classes=10):
    model = models.vgg16(weights=None)
    layers = OrderedDict(model.classifier.named_children())
    layers["add_linear"] = nn.Linear(model.classifier[-1].out_features, num_classes)
    model.classifier = nn.Sequential(layers)
    return model
