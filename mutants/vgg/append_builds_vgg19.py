"""vgg16_append_layer builds vgg19: the same classifier, but three more convolutions than VGG16."""

from torch import nn
from torchvision import models

from solutions.vgg import *  # noqa: F403


def vgg16_append_layer(num_classes=10):
    model = models.vgg19(weights=None)
    model.classifier.add_module("add_linear", nn.Linear(1000, num_classes))
    return model
