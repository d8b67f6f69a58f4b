"""Kata 7 (katas/modules.py): the note's CIFAR10 network with nn.Module and with nn.Sequential."""

import pytest
import torch
from torch import nn
from torch.testing import assert_close

from kata_harness.testing import raises, shape_of
from kata_impl import modules

PARAMETERS = 145_578  # 2432 + 25632 + 51264 + 65600 + 650
CONVS = [(3, 32, (5, 5), (2, 2)), (32, 32, (5, 5), (2, 2)), (32, 64, (5, 5), (2, 2))]
LINEARS = [(1024, 64), (64, 10)]
SEQUENTIAL_TYPES = ["Conv2d", "MaxPool2d", "Conv2d", "MaxPool2d", "Conv2d", "MaxPool2d", "Flatten", "Linear", "Linear"]


def layout(model):
    convs = [(m.in_channels, m.out_channels, m.kernel_size, m.padding) for m in model.modules() if isinstance(m, nn.Conv2d)]
    linears = [(m.in_features, m.out_features) for m in model.modules() if isinstance(m, nn.Linear)]
    return convs, linears


def copy_parameters(source, target):
    with torch.no_grad():
        for to, frm in zip(target.parameters(), source.parameters(), strict=True):
            to.copy_(frm)


# --- CifarNet --------------------------------------------------------------------------------------


@pytest.mark.kata("modules.CifarNet")
def test_cifar_net_is_a_module_with_the_notes_layers():
    model = modules.CifarNet()
    assert isinstance(model, nn.Module), f"CifarNet() is a {type(model).__name__}; it must subclass nn.Module"
    convs, linears = layout(model)
    assert convs == CONVS, f"CifarNet's Conv2d layers (in, out, kernel, padding) are {convs}; expected {CONVS}"
    assert linears == LINEARS, f"CifarNet's Linear layers (in, out) are {linears}; expected {LINEARS}"


@pytest.mark.kata("modules.CifarNet")
def test_cifar_net_has_145578_parameters():
    total = sum(p.numel() for p in modules.CifarNet().parameters())
    assert total == PARAMETERS, f"CifarNet has {total} parameters; expected {PARAMETERS} (were layers registered?)"


@pytest.mark.kata("modules.CifarNet")
@pytest.mark.parametrize("batch", [1, 4])
def test_cifar_net_output_shape(batch):
    out = modules.CifarNet()(torch.rand(batch, 3, 32, 32))
    assert tuple(out.shape) == (batch, 10), f"CifarNet()(images ({batch}, 3, 32, 32)) gave {shape_of(out)}"


@pytest.mark.kata("modules.CifarNet")
def test_cifar_net_rejects_images_of_another_size():
    model = modules.CifarNet()
    with raises(RuntimeError, match="mat1 and mat2 shapes cannot be multiplied"):
        model(torch.rand(2, 3, 28, 28))  # 28 -> 14 -> 7 -> 3: 64*3*3 = 576 features, not 1024


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

    with raises(AttributeError, match="before Module.__init__"):
        LayerBeforeSuper()


# --- cifar_sequential ------------------------------------------------------------------------------


@pytest.mark.kata("modules.cifar_sequential")
def test_cifar_sequential_is_a_sequential_of_nine_layers():
    model = modules.cifar_sequential()
    assert isinstance(model, nn.Sequential), f"cifar_sequential() returned {type(model).__name__}"
    types = [type(layer).__name__ for layer in model]
    assert types == SEQUENTIAL_TYPES, f"the layers are {types}; expected {SEQUENTIAL_TYPES}"
    assert layout(model) == (CONVS, LINEARS), f"layer settings are {layout(model)}"


@pytest.mark.kata("modules.cifar_sequential")
def test_cifar_sequential_output_shape_and_parameters():
    model = modules.cifar_sequential()
    out = model(torch.rand(3, 3, 32, 32))
    assert tuple(out.shape) == (3, 10), f"cifar_sequential()(images (3, 3, 32, 32)) gave {shape_of(out)}"
    assert sum(p.numel() for p in model.parameters()) == PARAMETERS


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
    assert_close(model(x), reference(x), msg=lambda m: f"same weights must give the same outputs:\n{m}")


@pytest.mark.kata("modules.cifar_sequential")
def test_sequential_takes_instances_not_classes():
    modules.cifar_sequential()
    with raises(TypeError, match="is not a Module subclass"):
        nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU)  # the class, not an instance


@pytest.mark.kata("modules.CifarNet")
def test_cifar_net_and_sequential_agree_with_same_weights():
    net, seq = modules.CifarNet(), modules.cifar_sequential()
    copy_parameters(net, seq)
    x = torch.rand(2, 3, 32, 32)
    assert_close(net(x), seq(x), msg=lambda m: f"CifarNet and cifar_sequential differ with identical weights:\n{m}")


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
def test_count_parameters_trainable_only():
    model = nn.Sequential(nn.Linear(10, 5), nn.Linear(5, 2))
    model[0].requires_grad_(False)
    assert modules.count_parameters(model) == 67
    assert modules.count_parameters(model, trainable_only=True) == 12, "only the second layer (10 + 2) is trainable"
