"""Kata 7 (katas/modules.py): the note's CIFAR10 network with nn.Module and with nn.Sequential."""

import copy

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from kata_harness.testing import assert_tensors_close, lesson, raises, says, shape_of
from kata_harness.testing.shapes import traced_forward
from kata_impl import modules

PARAMETERS = 145_578  # 2432 + 25632 + 51264 + 65600 + 650
CONVS = [(3, 32, (5, 5), (2, 2)), (32, 32, (5, 5), (2, 2)), (32, 64, (5, 5), (2, 2))]
LINEARS = [(1024, 64), (64, 10)]
SEQUENTIAL_TYPES = ["Conv2d", "MaxPool2d", "Conv2d", "MaxPool2d", "Conv2d", "MaxPool2d", "Flatten", "Linear", "Linear"]


def padding_of(conv):
    """padding='same' (stride 1, odd kernel) pads kernel // 2 on each side, like padding=2 for kernel 5."""
    return tuple(k // 2 for k in conv.kernel_size) if conv.padding == "same" else conv.padding


def layout(model):
    convs = [(m.in_channels, m.out_channels, m.kernel_size, padding_of(m)) for m in model.modules() if isinstance(m, nn.Conv2d)]
    linears = [(m.in_features, m.out_features) for m in model.modules() if isinstance(m, nn.Linear)]
    return convs, linears


def copy_parameters(source, target):
    with torch.no_grad():
        for to, frm in zip(target.parameters(), source.parameters(), strict=True):
            to.copy_(frm)


def notes_forward(model, x):
    """The note's forward pass written with functions, using the Conv2d and Linear layers of ``model``."""
    for conv in [m for m in model.modules() if isinstance(m, nn.Conv2d)]:
        x = F.max_pool2d(F.conv2d(x, conv.weight, conv.bias, padding=2), 2)
    x = torch.flatten(x, 1)
    for linear in [m for m in model.modules() if isinstance(m, nn.Linear)]:
        x = F.linear(x, linear.weight, linear.bias)
    return x


def registered_layers(model):
    """The lesson for a model whose registered (Conv2d, Linear) layers are not the note's."""
    convs, linears = layout(model)
    return lesson(
        "modules.registered_layers", convs=convs, linears=linears, expected_convs=CONVS, expected_linears=LINEARS
    )


# --- CifarNet --------------------------------------------------------------------------------------


@pytest.mark.kata("modules.CifarNet")
def test_cifar_net_is_a_module_with_the_notes_layers():
    model = modules.CifarNet()
    assert isinstance(model, nn.Module), says(
        call="CifarNet()", returned=type(model).__name__, expected="nn.Module",
        lesson=lesson("modules.subclasses_module"),
    )
    convs, linears = layout(model)
    assert convs or linears, says(call="CifarNet()", lesson=registered_layers(model))
    assert convs == CONVS, says(call="CifarNet()", lesson=lesson("modules.conv_layout", got=convs, expected=CONVS))
    assert linears == LINEARS, says(
        call="CifarNet()", lesson=lesson("modules.linear_layout", got=linears, expected=LINEARS)
    )


@pytest.mark.kata("modules.CifarNet")
def test_cifar_net_has_145578_parameters():
    model = modules.CifarNet()
    total = sum(p.numel() for p in model.parameters())
    assert total == PARAMETERS, says(
        call="sum(p.numel() for p in CifarNet().parameters())", returned=str(total), expected=str(PARAMETERS),
        lesson=registered_layers(model),
    )  # fmt: skip


@pytest.mark.kata("modules.CifarNet")
@pytest.mark.parametrize("batch", [1, 4])
def test_cifar_net_output_shape(batch):
    out = traced_forward(modules.CifarNet(), torch.rand(batch, 3, 32, 32), reference="cifarnet")
    assert tuple(out.shape) == (batch, 10), says(
        call=f"CifarNet()(torch.rand({batch}, 3, 32, 32))", returned=shape_of(out), expected=str((batch, 10)),
        lesson=lesson("modules.cifar_net_output_shape"),
    )  # fmt: skip


@pytest.mark.kata("modules.CifarNet")
def test_cifar_net_forward_is_the_notes_pipeline():
    model = modules.CifarNet()
    assert layout(model) == (CONVS, LINEARS), says(call="CifarNet()", lesson=registered_layers(model))
    x = torch.rand(2, 3, 32, 32)
    with torch.no_grad():
        expected = notes_forward(model, x)
        got = traced_forward(model, x, reference="cifarnet")
    assert_tensors_close(
        got, expected, call="CifarNet()(torch.rand(2, 3, 32, 32))", lesson=lesson("modules.forward_pipeline")
    )


@pytest.mark.kata("modules.CifarNet")
@pytest.mark.parametrize("size", [28, 64], ids=["28x28-576-features", "64x64-4096-features"])
def test_cifar_net_refuses_images_of_another_size(size):
    model = modules.CifarNet()
    x = torch.rand(2, 3, size, size)
    try:
        out = traced_forward(model, x, reference="cifarnet")
    except NotImplementedError:
        raise
    except (RuntimeError, ValueError):
        return  # torch's shape check (or the learner's own) refused the input: the lesson holds
    pytest.fail(
        says(
            call=f"CifarNet()(torch.rand(2, 3, {size}, {size}))", returned=shape_of(out),
            lesson=lesson("modules.refuses_other_sizes", size=size, side=size // 8, features=64 * (size // 8) ** 2),
        ),
        pytrace=False,
    )  # fmt: skip


@pytest.mark.kata("modules.CifarNet")
def test_cifar_net_works_in_channels_last():
    model = modules.CifarNet()
    x = torch.rand(2, 3, 32, 32)
    call = "CifarNet().to(memory_format=torch.channels_last)(x.to(memory_format=torch.channels_last))"
    with torch.no_grad():
        expected = model(x)
        fast = copy.deepcopy(model).to(memory_format=torch.channels_last)
        try:
            got = fast(x.to(memory_format=torch.channels_last))
        except NotImplementedError:
            raise
        except RuntimeError as error:
            error_text = f"{type(error).__name__}: {str(error)[:120]}"
            why = (
                lesson("modules.channels_last_view_raised", error=error_text)
                if "view" in str(error)
                else lesson("modules.channels_last_raised", error=error_text)
            )
            pytest.fail(says(call=call, lesson=why), pytrace=False)
    # channels_last convolutions add up in another order: allow float32 rounding of a few ulps
    assert_tensors_close(
        got, expected, rtol=1e-4, atol=1e-5, call=call, lesson=lesson("modules.channels_last_same_output")
    )


@pytest.mark.kata("modules.CifarNet")
def test_cifar_net_forward_uses_every_layer():
    model = modules.CifarNet()
    model(torch.rand(2, 3, 32, 32)).sum().backward()
    unused = [name for name, p in model.named_parameters() if p.grad is None or not p.grad.abs().sum() > 0]
    assert not unused, says(
        call="CifarNet()(torch.rand(2, 3, 32, 32)).sum().backward()",
        lesson=lesson("modules.every_layer_used", unused=unused),
    )  # fmt: skip


@pytest.mark.kata("modules.CifarNet")
def test_module_subclass_must_call_super_init_first():
    modules.CifarNet()

    class LayerBeforeSuper(nn.Module):
        def __init__(self):
            self.conv = nn.Conv2d(3, 8, 3)  # nn.Module's bookkeeping does not exist yet
            super().__init__()

    # The lesson: assigning a layer before super().__init__() is an AttributeError.
    with raises(AttributeError, call="LayerBeforeSuper()", lesson=lesson("modules.super_init_first")):
        LayerBeforeSuper()


# --- cifar_sequential ------------------------------------------------------------------------------


@pytest.mark.kata("modules.cifar_sequential")
def test_cifar_sequential_is_a_sequential_of_nine_layers():
    model = modules.cifar_sequential()
    assert isinstance(model, nn.Sequential), says(
        call="cifar_sequential()", returned=type(model).__name__, expected="nn.Sequential",
        lesson=lesson("modules.sequential_type"),
    )  # fmt: skip
    types = [type(layer).__name__ for layer in model]
    assert types == SEQUENTIAL_TYPES, says(
        call="cifar_sequential()", lesson=lesson("modules.sequential_layer_types", got=types, expected=SEQUENTIAL_TYPES)
    )
    assert layout(model) == (CONVS, LINEARS), says(
        call="cifar_sequential()",
        lesson=lesson("modules.sequential_layer_settings", got=layout(model), expected=(CONVS, LINEARS)),
    )  # fmt: skip


@pytest.mark.kata("modules.cifar_sequential")
def test_cifar_sequential_output_shape_and_parameters():
    model = modules.cifar_sequential()
    out = traced_forward(model, torch.rand(3, 3, 32, 32), reference="cifarnet")
    assert tuple(out.shape) == (3, 10), says(
        call="cifar_sequential()(torch.rand(3, 3, 32, 32))", returned=shape_of(out), expected="(3, 10)",
        lesson=lesson("modules.cifar_net_output_shape"),
    )  # fmt: skip
    total = sum(p.numel() for p in model.parameters())
    assert total == PARAMETERS, says(
        call="sum(p.numel() for p in cifar_sequential().parameters())", returned=str(total), expected=str(PARAMETERS),
        lesson=lesson("modules.sequential_parameters", expected=PARAMETERS),
    )  # fmt: skip


@pytest.mark.kata("modules.cifar_sequential")
def test_cifar_sequential_matches_cifar_net_reference_with_same_weights():
    # The reference network, written here, against the learner's Sequential with copied weights.
    reference = nn.Sequential(
        nn.Conv2d(3, 32, 5, padding=2), nn.MaxPool2d(2), nn.Conv2d(32, 32, 5, padding=2), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1024, 64), nn.Linear(64, 10),
    )  # fmt: skip
    model = modules.cifar_sequential()
    copy_parameters(reference, model)
    x = torch.rand(2, 3, 32, 32)
    with torch.no_grad():
        expected = reference(x)
        got = model(x)
    assert_tensors_close(
        got, expected,
        call="cifar_sequential()(torch.rand(2, 3, 32, 32))", lesson=lesson("modules.sequential_same_as_reference"),
    )  # fmt: skip


@pytest.mark.kata("modules.cifar_sequential")
def test_sequential_takes_instances_not_classes():
    modules.cifar_sequential()
    # The lesson: nn.Sequential refuses a layer class (nn.ReLU) with a TypeError; it needs nn.ReLU().
    with raises(
        TypeError,
        call="nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU)",
        lesson=lesson("modules.sequential_takes_instances"),
    ):
        nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU)


# --- count_parameters ------------------------------------------------------------------------------


def count_lesson(model, got, expected):
    """The most specific lesson for a wrong count: buffers counted as parameters, else the parameters' shapes."""
    buffers = {name: b.numel() for name, b in model.named_buffers()}
    if buffers and got == expected + sum(buffers.values()):
        return lesson(
            "modules.count_includes_buffers", got=got, expected=expected, buffers=sum(buffers.values()),
            buffer_names=", ".join(buffers),
        )  # fmt: skip
    shapes = ", ".join(f"{name} {tuple(p.shape)}" for name, p in model.named_parameters()) or "[]"
    return lesson("modules.count_every_element", shapes=shapes, expected=expected)


def type_lesson(value):
    """The lesson for a count that is not a Python int, naming the kind of value it is."""
    if isinstance(value, torch.Tensor):
        return lesson("modules.count_tensor")
    if type(value).__module__ == "numpy":
        return lesson("modules.count_numpy_integer", kind=type(value).__name__)
    return lesson("modules.count_python_int", kind=type(value).__name__)


@pytest.mark.kata("modules.count_parameters")
@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: nn.Linear(1024, 64), 65_600),
        (lambda: nn.Conv2d(3, 32, 5), 2_432),
        (lambda: nn.Conv2d(3, 32, 5, bias=False), 2_400),
        (lambda: nn.MaxPool2d(2), 0),
        (lambda: nn.BatchNorm2d(4), 8),  # weight and bias; running stats are buffers
    ],
    ids=["linear", "conv", "conv-no-bias", "pooling-has-none", "batchnorm-buffers-excluded"],
)
def test_count_parameters_counts_every_element(make, expected):
    model = make()
    call = f"count_parameters({model})"
    got = modules.count_parameters(model)
    assert got == expected, says(
        call=call, returned=repr(got), expected=str(expected), lesson=count_lesson(model, got, expected)
    )


@pytest.mark.kata("modules.count_parameters")
@pytest.mark.parametrize("trainable_only", [False, True])
def test_count_parameters_returns_a_python_int(trainable_only):
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.Linear(4, 2))
    call = f"count_parameters(nn.Sequential(nn.Conv2d(3, 4, 3), nn.Linear(4, 2)), trainable_only={trainable_only})"
    got = modules.count_parameters(model, trainable_only=trainable_only)
    returned = f"{got!r} ({type(got).__name__})"
    assert type(got) is int, says(call=call, returned=returned, expected="122 (int)", lesson=type_lesson(got))
    assert got == 122, says(call=call, returned=returned, expected="122 (int)", lesson=count_lesson(model, got, 122))


@pytest.mark.kata("modules.count_parameters")
def test_count_parameters_trainable_only():
    model = nn.Sequential(nn.Linear(10, 5), nn.Linear(5, 2))
    model[0].requires_grad_(False)
    got = modules.count_parameters(model)
    assert got == 67, says(
        call="count_parameters(model)", returned=repr(got), expected="67",
        lesson=lesson("modules.count_frozen_count_too"),
    )
    got = modules.count_parameters(model, trainable_only=True)
    assert got == 12, says(
        call="count_parameters(model, trainable_only=True)", returned=repr(got), expected="12",
        lesson=lesson("modules.count_trainable_only"),
    )  # fmt: skip


@pytest.mark.kata("modules.count_parameters")
@pytest.mark.parametrize("trainable_only", [False, True])
def test_count_parameters_counts_a_shared_layer_once(trainable_only):
    # The same Linear used twice (weight tying): its 4 x 4 weight and 4 biases are one set of parameters, 20 numbers.
    shared = nn.Linear(4, 4)
    model = nn.Sequential(shared, nn.ReLU(), shared)
    got = modules.count_parameters(model, trainable_only=trainable_only)
    assert got == 20, says(
        call=f"count_parameters(nn.Sequential(shared, nn.ReLU(), shared), trainable_only={trainable_only})",
        returned=repr(got), expected="20", lesson=lesson("modules.count_shared_once"),
    )  # fmt: skip
