"""Kata 12 (katas/vgg.py): torchvision's VGG16 adapted to a given number of classes.

VGG16 has 138M parameters: building it on the CPU takes seconds. Every test builds its models inside
``with torch.device("meta")`` instead - meta tensors have shapes and dtypes but no data, so a build
takes milliseconds and a forward pass still checks every shape. Downloading is made impossible.
"""

import pytest
import torch
from torch import nn

from kata_harness.testing.shapes import traced_forward
from kata_impl import vgg

VGG16_PARAMETERS = 138_357_544  # with the ImageNet head Linear(4096, 1000)
NUM_CLASSES = [10, 3]  # 10 for CIFAR10, 3 to make sure the argument is used


@pytest.fixture
def build(monkeypatch):
    """Call a kata on the meta device, with downloading made impossible; return the model it built."""
    import torch.hub
    import torchvision.models._api

    def refuse(*args, **kwargs):
        raise AssertionError(
            "building VGG16 tried to load pretrained weights (a download): use weights=None, the tests are offline"
        )

    def refuse_hub(*args, **kwargs):
        raise AssertionError("torch.hub.load fetches code from the internet: build the model with torchvision.models")

    monkeypatch.setattr(torch.hub, "load_state_dict_from_url", refuse)
    monkeypatch.setattr(torch.hub, "load", refuse_hub)
    monkeypatch.setattr(torchvision.models._api.WeightsEnum, "get_state_dict", refuse, raising=False)

    def call(name, num_classes):
        moved = (
            f"Called {name}({num_classes}) with the default device set to meta (shapes without data). The model "
            "must be built on the default device in effect and not moved: a build that moves it elsewhere "
        )
        refused = None
        with torch.device("meta"):
            try:
                model = getattr(vgg, name)(num_classes)
            except NotImplementedError as error:
                if "meta tensor" not in str(error):
                    raise  # the kata's own stub
                refused = str(error)  # torch cannot move a meta model to a real device
        if refused is not None:
            pytest.fail(f"{moved}fails here, as this one did: {refused[:80]}")
        assert isinstance(model, nn.Module), f"Called {name}({num_classes}). It returned {model!r}, not a model."
        devices = sorted({t.device.type for t in [*model.parameters(), *model.buffers()]})
        assert devices == ["meta"], f"{moved}leaves parameters on {devices}, but the tests expected ['meta']."
        return model

    return call


def reference_vgg16():
    from torchvision import models

    with torch.device("meta"):
        return models.vgg16(weights=None)


def scores_shape(model, reference):
    """The shape of the model's scores for 2 CIFAR-sized images; a failing test shows the layer-by-layer trace
    against ``reference`` (kata_harness/testing/reference_shapes.json)."""
    images = torch.empty(2, 3, 32, 32, device="meta")
    with torch.no_grad():
        return tuple(traced_forward(model.eval(), images, reference=reference).shape)


def unchanged_except(model, changed):
    """Names of the modules of VGG16 that the model lost or changed, other than ``changed`` (compared by type and
    parameter shapes)."""

    def layout(module):
        return {
            name: (type(m).__name__, tuple((p, tuple(t.shape)) for p, t in m.named_parameters(recurse=False)))
            for name, m in module.named_modules()
        }

    ours, reference = layout(model), layout(reference_vgg16())
    return [name for name in reference if name != changed and ours.get(name) != reference[name]]


def describe(linear):
    if isinstance(linear, nn.Linear):
        return f"Linear({linear.in_features}, {linear.out_features})"
    return repr(linear)


# --- vgg16_replace_last_layer ----------------------------------------------------------------------


@pytest.mark.kata("vgg.vgg16_replace_last_layer")
@pytest.mark.parametrize("num_classes", NUM_CLASSES)
def test_vgg16_replace_last_layer_outputs_num_classes_on_cifar_images(build, num_classes):
    model = build("vgg16_replace_last_layer", num_classes)
    last = model.classifier[6]
    assert isinstance(last, nn.Linear) and (last.in_features, last.out_features) == (4096, num_classes), (
        f"Called vgg16_replace_last_layer({num_classes}). Its classifier[6] is {describe(last)}, but the tests "
        f"expected Linear(4096, {num_classes}): the new layer takes the 4096 features the old one took."
    )
    got = scores_shape(model, f"vgg16/{num_classes}")
    assert got == (2, num_classes), (
        f"Called vgg16_replace_last_layer({num_classes}) and fed it images (2, 3, 32, 32). It returned scores of "
        f"shape {got}, but the tests expected (2, {num_classes})."
    )


@pytest.mark.kata("vgg.vgg16_replace_last_layer")
def test_vgg16_replace_last_layer_keeps_the_rest(build):
    model = build("vgg16_replace_last_layer", 10)
    assert len(model.classifier) == 7, (
        f"Called vgg16_replace_last_layer(10). Its classifier has {len(model.classifier)} layers, but the tests "
        "expected 7: replacing a layer neither adds nor removes one."
    )
    changed = unchanged_except(model, "classifier.6")
    assert not changed, (
        f"Called vgg16_replace_last_layer(10). These parts of VGG16 differ from torchvision's: {changed}."
    )
    total = sum(p.numel() for p in model.parameters())
    expected = VGG16_PARAMETERS - (4096 * 1000 + 1000) + (4096 * 10 + 10)
    assert total == expected, (
        f"Called vgg16_replace_last_layer(10). The model has {total} parameters, but VGG16 with a 4096 -> 10 head "
        f"has {expected}."
    )


# --- vgg16_append_layer ----------------------------------------------------------------------------


@pytest.mark.kata("vgg.vgg16_append_layer")
@pytest.mark.parametrize("num_classes", NUM_CLASSES)
def test_vgg16_append_layer_adds_a_named_layer_after_the_head(build, num_classes):
    model = build("vgg16_append_layer", num_classes)
    names = [name for name, _ in model.classifier.named_children()]
    assert len(names) == 8 and names[-1] == "add_linear", (
        f"Called vgg16_append_layer({num_classes}). The classifier's children are named {names}, but the tests "
        "expected the 7 original ones followed by 'add_linear' (Sequential.add_module names what it appends)."
    )
    head, added = model.classifier[6], model.classifier[7]
    assert isinstance(head, nn.Linear) and (head.in_features, head.out_features) == (4096, 1000), (
        f"Called vgg16_append_layer({num_classes}). classifier[6] is {describe(head)}: the original "
        "Linear(4096, 1000) must stay."
    )
    assert isinstance(added, nn.Linear) and (added.in_features, added.out_features) == (1000, num_classes), (
        f"Called vgg16_append_layer({num_classes}). The appended layer is {describe(added)}, but the tests expected "
        f"Linear(1000, {num_classes}): it reads the 1000 ImageNet scores."
    )
    got = scores_shape(model, f"vgg16+linear/{num_classes}")
    assert got == (2, num_classes), (
        f"Called vgg16_append_layer({num_classes}) and fed it images (2, 3, 32, 32). It returned scores of shape "
        f"{got}, but the tests expected (2, {num_classes}): the layer must sit where forward() uses it."
    )


@pytest.mark.kata("vgg.vgg16_append_layer")
def test_vgg16_append_layer_keeps_the_rest(build):
    model = build("vgg16_append_layer", 10)
    changed = unchanged_except(model, "classifier.add_linear")
    assert not changed, f"Called vgg16_append_layer(10). These parts of VGG16 differ from torchvision's: {changed}."
    total = sum(p.numel() for p in model.parameters())
    expected = VGG16_PARAMETERS + 1000 * 10 + 10
    assert total == expected, (
        f"Called vgg16_append_layer(10). The model has {total} parameters, but VGG16 plus a 1000 -> 10 layer has "
        f"{expected}."
    )
