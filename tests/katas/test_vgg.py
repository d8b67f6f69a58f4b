"""Kata 12 (katas/vgg.py): torchvision's VGG16 adapted to 10 classes. Few tests: it has 138M parameters.

Each model is built once per module and only read afterwards (eval forward passes under no_grad).
"""

import pytest
import torch
from torch import nn

from kata_harness.testing import shape_of
from kata_impl import vgg

VGG16_PARAMETERS = 138_357_544  # with the ImageNet head Linear(4096, 1000)


@pytest.fixture(scope="module")
def built():
    """Build both variants with downloading made impossible, and record how they were built."""
    import torch.hub
    import torchvision.models._api

    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args[:1])
        raise AssertionError("VGG16 must be built with weights=None: the tests are offline")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(torch.hub, "load_state_dict_from_url", refuse)
        patch.setattr(torchvision.models._api.WeightsEnum, "get_state_dict", refuse, raising=False)
        cache = {}

        def get(name):
            if name not in cache:
                torch.manual_seed(0)
                cache[name] = getattr(vgg, name)().eval()
            return cache[name]

        yield get, attempts


@pytest.fixture(scope="module")
def images():
    return torch.rand(2, 3, 32, 32, generator=torch.Generator().manual_seed(0))


@pytest.mark.kata("vgg.vgg16_replace_last_layer")
def test_vgg16_replace_last_layer_outputs_ten_classes_on_cifar_images(built, images):
    get, attempts = built
    model = get("vgg16_replace_last_layer")
    last = model.classifier[6]
    assert isinstance(last, nn.Linear) and (last.in_features, last.out_features) == (4096, 10), f"classifier[6] is {last}"
    with torch.no_grad():
        out = model(images)
    assert tuple(out.shape) == (2, 10), f"the model maps (2, 3, 32, 32) to {shape_of(out)}; expected (2, 10)"
    assert not attempts, "building VGG16 tried to download weights"


@pytest.mark.kata("vgg.vgg16_replace_last_layer")
def test_vgg16_replace_last_layer_keeps_the_rest(built):
    model = built[0]("vgg16_replace_last_layer")
    total = sum(p.numel() for p in model.parameters())
    expected = VGG16_PARAMETERS - (4096 * 1000 + 1000) + (4096 * 10 + 10)
    assert total == expected, f"the model has {total} parameters; VGG16 with a 4096 -> 10 head has {expected}"
    assert len(model.classifier) == 7, "replacing a layer keeps the classifier at 7 modules"


@pytest.mark.kata("vgg.vgg16_append_layer")
def test_vgg16_append_layer_adds_a_named_layer_after_the_head(built, images):
    get, attempts = built
    model = get("vgg16_append_layer")
    names = [name for name, _ in model.classifier.named_children()]
    assert names[-1] == "add_linear" and len(names) == 8, f"classifier children are {names}; expected 'add_linear' last"
    head, added = model.classifier[6], model.classifier[7]
    assert (head.in_features, head.out_features) == (4096, 1000), "the original 4096 -> 1000 layer must stay"
    assert (added.in_features, added.out_features) == (1000, 10), f"the appended layer is {added}"
    with torch.no_grad():
        assert tuple(model(images).shape) == (2, 10)
    assert not attempts, "building VGG16 tried to download weights"
