"""vgg16_replace_last_layer's new head has no bias (bias=False): the right shapes and the right number of scores,
but num_classes parameters short of torchvision's layer, whose Linear layers all carry a bias."""

from torch import nn
from torchvision import models

from solutions.vgg import *  # noqa: F403


def vgg16_replace_last_layer(num_classes=10):
    model = models.vgg16(weights=None)
    model.classifier[6] = nn.Linear(4096, num_classes, bias=False)
    return model
