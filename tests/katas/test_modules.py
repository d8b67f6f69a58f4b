"""Kata 7 (katas/modules.py): the note's CIFAR10 network with nn.Module and with nn.Sequential."""

import copy

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from kata_harness.testing import assert_tensors_close, raises, shape_of
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


# --- CifarNet --------------------------------------------------------------------------------------


@pytest.mark.kata("modules.CifarNet")
def test_cifar_net_is_a_module_with_the_notes_layers():
    model = modules.CifarNet()
    assert isinstance(model, nn.Module), f"CifarNet() is a {type(model).__name__}; it must subclass nn.Module"
    convs, linears = layout(model)
    assert convs == CONVS, (
        f"Called CifarNet(). Its Conv2d layers (in, out, kernel, padding) are {convs}; expected {CONVS}"
    )
    assert linears == LINEARS, (
        f"Called CifarNet(). Its Linear layers (in, out) are {linears}; expected {LINEARS}: the first Linear takes "
        "what the third pooling leaves, 64 x 4 x 4 = 1024 features per image"
    )


@pytest.mark.kata("modules.CifarNet")
def test_cifar_net_has_145578_parameters():
    total = sum(p.numel() for p in modules.CifarNet().parameters())
    assert total == PARAMETERS, (
        f"CifarNet().parameters() hold {total} numbers; expected {PARAMETERS}. Layers count only when they are "
        "nn.Module attributes (or inside one), created once in __init__: not in a plain list, not in forward."
    )


@pytest.mark.kata("modules.CifarNet")
@pytest.mark.parametrize("batch", [1, 4])
def test_cifar_net_output_shape(batch):
    out = traced_forward(modules.CifarNet(), torch.rand(batch, 3, 32, 32), reference="cifarnet")
    assert tuple(out.shape) == (batch, 10), (
        f"Called CifarNet()(images ({batch}, 3, 32, 32)). It gave {shape_of(out)}; expected ({batch}, 10)"
    )


@pytest.mark.kata("modules.CifarNet")
def test_cifar_net_forward_is_the_notes_pipeline():
    model = modules.CifarNet()
    assert layout(model) == (CONVS, LINEARS), (
        f"Called CifarNet(). Its registered (Conv2d, Linear) layers are {layout(model)}; expected {(CONVS, LINEARS)}: "
        "layers count only as nn.Module attributes (or inside an nn.Sequential/nn.ModuleList), not in a plain list"
    )
    x = torch.rand(2, 3, 32, 32)
    with torch.no_grad():
        got, expected = traced_forward(model, x, reference="cifarnet"), notes_forward(model, x)
    assert_tensors_close(
        got, expected,
        call="CifarNet()(x) on (2, 3, 32, 32) images",
        lesson="The output must equal (conv, max-pool 2) x3 -> flatten -> linear -> linear computed with CifarNet's "
        "own layers: forward applies the nine steps in order, nothing in between (no activation in the note's "
        "network).",
    )  # fmt: skip


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
        f"Called CifarNet()(images (2, 3, {size}, {size})). It returned {shape_of(out)}, but the tests expected an "
        f"error: after three poolings each image has 64*{size // 8}*{size // 8} = {64 * (size // 8) ** 2} features, not "
        "1024. Flatten each sample (nn.Flatten, torch.flatten(x, 1)); x.view(-1, 1024) silently regroups them into "
        "a different number of rows."
    )


@pytest.mark.kata("modules.CifarNet")
def test_cifar_net_works_in_channels_last():
    model = modules.CifarNet()
    x = torch.rand(2, 3, 32, 32)
    with torch.no_grad():
        expected = model(x)
        fast = copy.deepcopy(model).to(memory_format=torch.channels_last)
        try:
            got = fast(x.to(memory_format=torch.channels_last))
        except RuntimeError as error:
            pytest.fail(
                "Called CifarNet()(x) with the model and x in torch.channels_last. It raised "
                f"{type(error).__name__}: {str(error)[:120]}. view needs a contiguous layout; nn.Flatten, "
                "torch.flatten(x, 1) or x.reshape(len(x), -1) flatten any layout."
            )
    # channels_last convolutions add up in another order: allow float32 rounding of a few ulps
    assert_tensors_close(
        got, expected, rtol=1e-4, atol=1e-5,
        call="CifarNet()(x) with the model and x in torch.channels_last",
        lesson="forward must work on a channels_last model and input and give the same output as in the default "
        "layout: nn.Flatten, torch.flatten and reshape handle any memory layout.",
    )  # fmt: skip


@pytest.mark.kata("modules.CifarNet")
def test_cifar_net_forward_uses_every_layer():
    model = modules.CifarNet()
    model(torch.rand(2, 3, 32, 32)).sum().backward()
    unused = [name for name, p in model.named_parameters() if p.grad is None or not p.grad.abs().sum() > 0]
    assert not unused, f"these parameters got no gradient, so forward never used them: {unused}"


@pytest.mark.kata("modules.CifarNet")
def test_module_subclass_must_call_super_init_first():
    modules.CifarNet()

    class LayerBeforeSuper(nn.Module):
        def __init__(self):
            self.conv = nn.Conv2d(3, 8, 3)  # nn.Module's bookkeeping does not exist yet
            super().__init__()

    # The lesson: assigning a layer before super().__init__() is an AttributeError.
    with raises(
        AttributeError,
        call="LayerBeforeSuper(), an nn.Module whose __init__ assigns a Conv2d before calling super().__init__()",
        lesson="nn.Module must set up its bookkeeping before a layer can be assigned, so __init__ calls "
        "super().__init__() first.",
    ):
        LayerBeforeSuper()


# --- cifar_sequential ------------------------------------------------------------------------------


@pytest.mark.kata("modules.cifar_sequential")
def test_cifar_sequential_is_a_sequential_of_nine_layers():
    model = modules.cifar_sequential()
    assert isinstance(model, nn.Sequential), f"Called cifar_sequential(). It returned {type(model).__name__}"
    types = [type(layer).__name__ for layer in model]
    assert types == SEQUENTIAL_TYPES, (
        f"Called cifar_sequential(). Its layers are {types}; expected {SEQUENTIAL_TYPES}"
    )
    assert layout(model) == (CONVS, LINEARS), f"layer settings are {layout(model)}"


@pytest.mark.kata("modules.cifar_sequential")
def test_cifar_sequential_output_shape_and_parameters():
    model = modules.cifar_sequential()
    out = traced_forward(model, torch.rand(3, 3, 32, 32), reference="cifarnet")
    assert tuple(out.shape) == (3, 10), (
        f"Called cifar_sequential()(images (3, 3, 32, 32)). It gave {shape_of(out)}; expected (3, 10)"
    )
    total = sum(p.numel() for p in model.parameters())
    assert total == PARAMETERS, f"cifar_sequential() holds {total} parameters; expected {PARAMETERS}"


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
    assert_tensors_close(
        model(x), reference(x),
        call="cifar_sequential()(x) on (2, 3, 32, 32) images, with the reference network's weights copied in",
        lesson="The same network with the same weights must give the same outputs: nine layers, in the same order "
        "as CifarNet's.",
    )  # fmt: skip


@pytest.mark.kata("modules.cifar_sequential")
def test_sequential_takes_instances_not_classes():
    modules.cifar_sequential()
    # The lesson: nn.Sequential refuses a layer class (nn.ReLU) with a TypeError; it needs nn.ReLU().
    with raises(
        TypeError,
        call="nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU)",
        lesson="nn.Sequential takes layer instances (nn.ReLU()), not classes (nn.ReLU).",
    ):
        nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU)


# --- count_parameters ------------------------------------------------------------------------------


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
    got = modules.count_parameters(model)
    assert got == expected, f"count_parameters({model}) returned {got}; expected {expected}"


@pytest.mark.kata("modules.count_parameters")
@pytest.mark.parametrize("trainable_only", [False, True])
def test_count_parameters_returns_a_python_int(trainable_only):
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.Linear(4, 2))
    got = modules.count_parameters(model, trainable_only=trainable_only)
    assert type(got) is int and got == 122, (
        f"Called count_parameters(model, trainable_only={trainable_only}). It returned {got!r} "
        f"({type(got).__name__}), but the tests expected the Python int 122: p.numel() is an int already "
        "(np.prod gives a numpy integer, a tensor sum a tensor)."
    )


@pytest.mark.kata("modules.count_parameters")
def test_count_parameters_trainable_only():
    model = nn.Sequential(nn.Linear(10, 5), nn.Linear(5, 2))
    model[0].requires_grad_(False)
    assert modules.count_parameters(model) == 67, "without trainable_only, frozen parameters count too"
    assert modules.count_parameters(model, trainable_only=True) == 12, "only the second layer (10 + 2) is trainable"


@pytest.mark.kata("modules.count_parameters")
@pytest.mark.parametrize("trainable_only", [False, True])
def test_count_parameters_counts_a_shared_layer_once(trainable_only):
    # The same Linear used twice (weight tying): its 4 x 4 weight and 4 biases are one set of parameters, 20 numbers.
    shared = nn.Linear(4, 4)
    model = nn.Sequential(shared, nn.ReLU(), shared)
    got = modules.count_parameters(model, trainable_only=trainable_only)
    assert got == 20, (
        f"Called count_parameters(nn.Sequential(shared, nn.ReLU(), shared), trainable_only={trainable_only}) with "
        f"shared = nn.Linear(4, 4). It returned {got!r}, but the tests expected 20: a parameter used in two places "
        "is still one parameter, counted once (model.parameters() yields it once; state_dict lists it under two names)."
    )
