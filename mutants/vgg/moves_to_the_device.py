"""vgg16_replace_last_layer moves the model to pick_device() before returning it ("models belong on the GPU"): the
function must build on the default device in effect and leave the moving to its caller."""

from solutions.tensors import pick_device
from solutions.vgg import *  # noqa: F403
from solutions.vgg import vgg16_replace_last_layer as _reference


def vgg16_replace_last_layer(num_classes=10):
    return _reference(num_classes).to(pick_device())
