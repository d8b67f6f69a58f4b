"""Kata 12 (katas/vgg.py): torchvision's VGG16 adapted to a given number of classes.

VGG16 has 138M parameters: building it on the CPU takes seconds. Every test builds its models inside
``with torch.device("meta")`` instead - meta tensors have shapes and dtypes but no data, so a build
takes milliseconds and a forward pass still checks every shape. Downloading is made impossible.
"""

import pytest
import torch
from torch import nn

from kata_harness.testing import lesson, says, shape_of
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
        raise AssertionError(lesson("vgg.no_pretrained_weights"))

    def refuse_hub(*args, **kwargs):
        raise AssertionError(lesson("vgg.no_hub"))

    monkeypatch.setattr(torch.hub, "load_state_dict_from_url", refuse)
    monkeypatch.setattr(torch.hub, "load", refuse_hub)
    monkeypatch.setattr(torchvision.models._api.WeightsEnum, "get_state_dict", refuse, raising=False)

    def call(name, num_classes):
        called = f"{name}({num_classes})"
        refused = None
        with torch.device("meta"):
            try:
                model = getattr(vgg, name)(num_classes)
            except NotImplementedError as error:
                if "meta tensor" not in str(error):
                    raise  # the kata's own stub
                refused = str(error)  # torch cannot move a meta model to a real device
        if refused is not None:
            why = lesson("vgg.built_on_default_device_failed", error=refused[:80])
            pytest.fail(says(call=called, lesson=why), pytrace=False)
        assert isinstance(model, nn.Module), says(
            call=called, returned=shape_of(model), expected="nn.Module", lesson=lesson("vgg.returns_a_model")
        )
        devices = sorted({t.device.type for t in [*model.parameters(), *model.buffers()]})
        assert devices == ["meta"], says(call=called, lesson=lesson("vgg.built_on_default_device", devices=devices))
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
    assert isinstance(last, nn.Linear) and (last.in_features, last.out_features) == (4096, num_classes), says(
        call=f"vgg16_replace_last_layer({num_classes})", returned=f"classifier[6] = {describe(last)}",
        expected=f"Linear(4096, {num_classes})", lesson=lesson("vgg.replace_head_inputs"),
    )  # fmt: skip
    got = scores_shape(model, f"vgg16/{num_classes}")
    assert got == (2, num_classes), says(
        call=f"vgg16_replace_last_layer({num_classes})(torch.empty(2, 3, 32, 32))", returned=str(got),
        expected=str((2, num_classes)), lesson=lesson("vgg.scores_per_image", num_classes=num_classes),
    )  # fmt: skip


@pytest.mark.kata("vgg.vgg16_replace_last_layer")
def test_vgg16_replace_last_layer_keeps_the_rest(build):
    model = build("vgg16_replace_last_layer", 10)
    assert len(model.classifier) == 7, says(
        call="vgg16_replace_last_layer(10)", returned=f"len(model.classifier) == {len(model.classifier)}",
        expected="7", lesson=lesson("vgg.replace_keeps_layer_count"),
    )  # fmt: skip
    changed = unchanged_except(model, "classifier.6")
    assert not changed, says(
        call="vgg16_replace_last_layer(10)", lesson=lesson("vgg.differs_from_torchvision", changed=changed)
    )
    total = sum(p.numel() for p in model.parameters())
    expected = VGG16_PARAMETERS - (4096 * 1000 + 1000) + (4096 * 10 + 10)
    assert total == expected, says(
        call="sum(p.numel() for p in vgg16_replace_last_layer(10).parameters())", returned=str(total),
        expected=str(expected),
        lesson=lesson("vgg.replace_parameter_count", num_classes=10, expected=expected, vgg16=VGG16_PARAMETERS),
    )  # fmt: skip


# --- vgg16_append_layer ----------------------------------------------------------------------------


@pytest.mark.kata("vgg.vgg16_append_layer")
@pytest.mark.parametrize("num_classes", NUM_CLASSES)
def test_vgg16_append_layer_adds_a_named_layer_after_the_head(build, num_classes):
    model = build("vgg16_append_layer", num_classes)
    call = f"vgg16_append_layer({num_classes})"
    names = [name for name, _ in model.classifier.named_children()]
    expected_names = [str(i) for i in range(7)] + ["add_linear"]
    assert len(names) == 8 and names[-1] == "add_linear", says(
        call=call, returned=str(names), expected=str(expected_names), lesson=lesson("vgg.append_named_child")
    )
    head, added = model.classifier[6], model.classifier[7]
    assert isinstance(head, nn.Linear) and (head.in_features, head.out_features) == (4096, 1000), says(
        call=call, returned=f"classifier[6] = {describe(head)}", expected="Linear(4096, 1000)",
        lesson=lesson("vgg.append_keeps_head"),
    )  # fmt: skip
    assert isinstance(added, nn.Linear) and (added.in_features, added.out_features) == (1000, num_classes), says(
        call=call, returned=f"classifier[7] = {describe(added)}", expected=f"Linear(1000, {num_classes})",
        lesson=lesson("vgg.append_reads_scores"),
    )  # fmt: skip
    got = scores_shape(model, f"vgg16+linear/{num_classes}")
    assert got == (2, num_classes), says(
        call=f"{call}(torch.empty(2, 3, 32, 32))", returned=str(got), expected=str((2, num_classes)),
        lesson=lesson("vgg.append_in_forward", num_classes=num_classes),
    )  # fmt: skip


@pytest.mark.kata("vgg.vgg16_append_layer")
def test_vgg16_append_layer_keeps_the_rest(build):
    model = build("vgg16_append_layer", 10)
    changed = unchanged_except(model, "classifier.add_linear")
    assert not changed, says(
        call="vgg16_append_layer(10)", lesson=lesson("vgg.differs_from_torchvision", changed=changed)
    )
    total = sum(p.numel() for p in model.parameters())
    expected = VGG16_PARAMETERS + 1000 * 10 + 10
    assert total == expected, says(
        call="sum(p.numel() for p in vgg16_append_layer(10).parameters())", returned=str(total), expected=str(expected),
        lesson=lesson("vgg.append_parameter_count", num_classes=10, expected=expected, vgg16=VGG16_PARAMETERS),
    )  # fmt: skip
