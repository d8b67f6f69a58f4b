"""Kata 9 (katas/layers.py): every layer's output shape, and how the layers without weights behave."""

import pytest
import torch
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from torch import nn

from kata_harness.testing import (
    assert_tensors_close,
    assert_tensors_equal,
    describe_call,
    raises,
    raises_from,
    shape_of,
)
from kata_impl import layers

F = torch.nn.functional
# Phase.explain would list the library lines run only by failing cases: noise for a learner.
fast_examples = settings(
    max_examples=80, deadline=None, derandomize=True, database=None, phases=[p for p in Phase if p.name != "explain"]
)

pair_or_int = st.one_of(st.integers(1, 4), st.tuples(st.integers(1, 4), st.integers(1, 4)))


def as_pair(value):
    return (value, value) if isinstance(value, int) else value


def real_hw(layer, height, width):
    return tuple(layer(torch.zeros(1, 1, height, width)).shape[-2:])


def assert_tuple_of_ints(got, call):
    """The shape functions promise plain Python ints: 3.0 == 3 and tensor(3) == 3, but neither is an int."""
    assert isinstance(got, tuple) and all(type(v) is int for v in got), (
        f"Called {call}; it returned {got!r}, but the tests expected a tuple of Python ints (got "
        f"{type(got).__name__} of {', '.join(type(v).__name__ for v in got)}): use // or math.floor/ceil on ints, "
        "and return a tuple, not a list, a float or a tensor."
    )


# --- shapes: Conv2d --------------------------------------------------------------------------------


@st.composite
def conv_settings(draw):
    kernel = draw(pair_or_int)
    stride = draw(pair_or_int)
    padding = draw(st.one_of(st.integers(0, 3), st.tuples(st.integers(0, 3), st.integers(0, 3))))
    dilation = draw(st.one_of(st.integers(1, 2), st.tuples(st.integers(1, 2), st.integers(1, 2))))
    k, p, d = as_pair(kernel), as_pair(padding), as_pair(dilation)
    height = draw(st.integers(max(1, d[0] * (k[0] - 1) + 1 - 2 * p[0]), 40))
    width = draw(st.integers(max(1, d[1] * (k[1] - 1) + 1 - 2 * p[1]), 40))
    return height, width, kernel, stride, padding, dilation


@pytest.mark.kata("layers.conv2d_output_size")
@fast_examples
@given(case=conv_settings())
def test_conv2d_output_size_matches_conv2d(case):
    height, width, kernel, stride, padding, dilation = case
    expected = real_hw(nn.Conv2d(1, 1, kernel, stride, padding, dilation), height, width)
    got = layers.conv2d_output_size(height, width, kernel, stride, padding, dilation)
    assert_tuple_of_ints(got, f"conv2d_output_size({height}, {width}, {kernel}, {stride}, {padding}, {dilation})")
    assert tuple(got) == expected, (
        f"Called conv2d_output_size({height}, {width}, kernel_size={kernel}, stride={stride}, padding={padding}, "
        f"dilation={dilation}); returned {got}, but nn.Conv2d gives {expected}."
    )


@pytest.mark.kata("layers.conv2d_output_size")
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((32, 32, 5, 1, 2), (32, 32)),  # the note's CIFAR10 convolutions keep the size
        ((6, 6, 1, (2, 1)), (3, 6)),  # stride (2, 1): the first element steps over rows
        ((6, 6, 1, 1, (1, 0)), (8, 6)),  # padding (1, 0): a row above and below
        ((7, 7, 3, 1, 0, 2), (3, 3)),  # a dilated 3x3 kernel spans 5x5
    ],
    ids=["cifar-conv", "stride-h-w", "padding-h-w", "dilation"],
)
def test_conv2d_output_size_examples(args, expected):
    got = layers.conv2d_output_size(*args)
    assert_tuple_of_ints(got, f"conv2d_output_size{args}")
    assert got == expected, f"Called conv2d_output_size{args}; it returned {got}, but the tests expected {expected}"


# --- shapes: MaxPool2d and AvgPool2d ---------------------------------------------------------------


@st.composite
def pool_settings(draw, with_dilation):
    kernel = draw(pair_or_int)
    stride = draw(st.one_of(st.none(), pair_or_int))
    k = as_pair(kernel)
    padding = draw(
        st.one_of(st.integers(0, min(k) // 2), st.tuples(st.integers(0, k[0] // 2), st.integers(0, k[1] // 2)))
    )
    dilation = (
        draw(st.one_of(st.integers(1, 2), st.tuples(st.integers(1, 2), st.integers(1, 2)))) if with_dilation else 1
    )
    d = as_pair(dilation)
    ceil_mode = draw(st.booleans())
    height = draw(st.integers(d[0] * (k[0] - 1) + 1, 30))
    width = draw(st.integers(d[1] * (k[1] - 1) + 1, 30))
    return height, width, kernel, stride, padding, dilation, ceil_mode


@pytest.mark.kata("layers.maxpool2d_output_size")
@fast_examples
@given(case=pool_settings(with_dilation=True))
def test_maxpool2d_output_size_matches_maxpool2d(case):
    height, width, kernel, stride, padding, dilation, ceil_mode = case
    layer = nn.MaxPool2d(kernel, stride, padding, dilation, ceil_mode=ceil_mode)
    expected = real_hw(layer, height, width)
    got = layers.maxpool2d_output_size(height, width, kernel, stride, padding, dilation, ceil_mode)
    assert_tuple_of_ints(got, f"maxpool2d_output_size{case}")
    assert tuple(got) == expected, (
        f"Called maxpool2d_output_size{case}; returned {got}, but nn.MaxPool2d gives {expected}."
    )


@pytest.mark.kata("layers.maxpool2d_output_size")
def test_maxpool2d_stride_defaults_to_kernel_size():
    got = layers.maxpool2d_output_size(32, 32, 2)
    assert tuple(got) == (16, 16), f"maxpool2d_output_size(32, 32, 2) returned {got}: the default stride is 2, not 1"


@pytest.mark.kata("layers.maxpool2d_output_size")
@pytest.mark.parametrize(("ceil_mode", "expected"), [(False, (1, 1)), (True, (2, 2))], ids=["floor", "ceil"])
def test_maxpool2d_ceil_mode_keeps_the_partial_window(ceil_mode, expected):
    got = layers.maxpool2d_output_size(5, 5, 3, ceil_mode=ceil_mode)
    assert tuple(got) == expected, f"5x5 input, kernel 3, ceil_mode={ceil_mode}: got {got}, expected {expected}"


@pytest.mark.kata("layers.maxpool2d_output_size")
def test_maxpool2d_ceil_mode_drops_a_window_starting_in_padding():
    # ceil((5 + 2 - 1 - 1) / 2) + 1 = 4, but the 4th window would start at 6 >= 5 + 1 (inside the right padding).
    got = layers.maxpool2d_output_size(5, 5, 2, stride=2, padding=1, ceil_mode=True)
    assert tuple(got) == (3, 3) == real_hw(nn.MaxPool2d(2, 2, 1, ceil_mode=True), 5, 5), f"got {got}"


@pytest.mark.kata("layers.avgpool2d_output_size")
@fast_examples
@given(case=pool_settings(with_dilation=False))
def test_avgpool2d_output_size_matches_avgpool2d(case):
    height, width, kernel, stride, padding, _, ceil_mode = case
    expected = real_hw(nn.AvgPool2d(kernel, stride, padding, ceil_mode=ceil_mode), height, width)
    got = layers.avgpool2d_output_size(height, width, kernel, stride, padding, ceil_mode)
    assert_tuple_of_ints(got, f"avgpool2d_output_size{case[:5] + case[6:]}")
    assert tuple(got) == expected, (
        f"Called avgpool2d_output_size{case[:5] + case[6:]}; returned {got}, expected {expected}"
    )


@pytest.mark.kata("layers.avgpool2d_output_size")
def test_avgpool2d_stride_defaults_to_kernel_size():
    got = layers.avgpool2d_output_size(9, 6, 3)
    assert tuple(got) == (3, 2), f"Called avgpool2d_output_size(9, 6, 3); it returned {got}: the default stride is 3"


# --- shapes: padding layers and Linear -------------------------------------------------------------


@pytest.mark.kata("layers.pad2d_output_size")
@pytest.mark.parametrize(
    "padding",
    [1, 3, (1, 2, 3, 4), (0, 0, 2, 0), (5, 0, 0, 1)],
    ids=["int-1", "int-3", "lrtb", "top-only", "left-bottom"],
)
def test_pad2d_output_size_matches_padding_layers(padding):
    got = layers.pad2d_output_size(5, 6, padding)
    assert_tuple_of_ints(got, f"pad2d_output_size(5, 6, {padding})")
    for layer in (
        nn.ZeroPad2d(padding),
        nn.ConstantPad2d(padding, 1.0),
        nn.ReflectionPad2d(padding),
        nn.ReplicationPad2d(padding),
    ):
        expected = real_hw(layer, 5, 6)
        assert tuple(got) == expected, (
            f"Called pad2d_output_size(5, 6, {padding}); returned {got}, but {type(layer).__name__} gives {expected}: "
            "four values are (left, right, top, bottom)."
        )


@pytest.mark.kata("layers.linear_output_shape")
@pytest.mark.parametrize(
    ("shape", "in_features", "out_features"),
    [((3, 5, 4), 4, 2), ((4,), 4, 7), ((2, 1024), 1024, 64), ((2, 3, 4, 5), 5, 1)],
    ids=["3d", "1d", "cifar-fc1", "4d"],
)
def test_linear_output_shape_acts_on_last_dimension(shape, in_features, out_features):
    expected = tuple(nn.Linear(in_features, out_features)(torch.zeros(shape)).shape)
    got = layers.linear_output_shape(shape, in_features, out_features)
    assert_tuple_of_ints(got, f"linear_output_shape({shape}, {in_features}, {out_features})")
    assert tuple(got) == expected, (
        f"linear_output_shape({shape}, {in_features}, {out_features}) gave {got}; nn.Linear gives {expected}"
    )


@pytest.mark.kata("layers.linear_output_shape")
@pytest.mark.parametrize("shape", [(3, 5), (4, 2, 3), (4, 3)], ids=["2d", "3d", "first-dim-matches"])
def test_linear_output_shape_rejects_wrong_last_dimension(shape):
    raises_from(
        ValueError, layers.linear_output_shape, shape, 4, 2,
        call=f"linear_output_shape({shape}, 4, 2)",
        lesson="Linear(4, 2) acts on the last dimension only, so it needs the LAST dimension to be 4.",
    )  # fmt: skip
    with raises(
        RuntimeError,
        call=f"nn.Linear(4, 2)(torch.zeros({shape}))",
        lesson="The layer itself refuses it (mat1 and mat2 cannot be multiplied).",
    ):
        nn.Linear(4, 2)(torch.zeros(shape))  # the layer itself refuses it (mat1 and mat2 cannot be multiplied)


# --- behaviour: pooling and padding ----------------------------------------------------------------


@pytest.mark.kata("layers.max_pool")
def test_max_pool_pads_with_minus_infinity():
    x = torch.full((1, 1, 4, 4), -5.0)
    out = layers.max_pool(x, 3, stride=1, padding=1)
    assert_tensors_equal(
        out, torch.full((1, 1, 4, 4), -5.0),
        call="max_pool(x (1, 1, 4, 4) all -5.0, 3, stride=1, padding=1)",
        lesson="Max pooling pads with -inf, not zero: padding never wins the max, so every output stays -5.0 "
        "(zero padding would win the max at the border).",
    )  # fmt: skip


@pytest.mark.kata("layers.max_pool")
def test_max_pool_default_stride_is_kernel_size():
    out = layers.max_pool(torch.arange(16.0).reshape(1, 1, 4, 4), 2)
    assert_tensors_equal(
        out, torch.tensor([[[[5.0, 7.0], [13.0, 15.0]]]]),
        call="max_pool(torch.arange(16.0).reshape(1, 1, 4, 4), 2)",
        lesson="As for the layer, stride defaults to kernel_size: four separate 2x2 windows, not overlapping ones.",
    )  # fmt: skip


@pytest.mark.kata("layers.max_pool")
@pytest.mark.parametrize(
    ("ceil_mode", "expected"), [(False, [[12.0]]), (True, [[12.0, 14.0], [22.0, 24.0]])], ids=["floor", "ceil"]
)
def test_max_pool_ceil_mode_values(ceil_mode, expected):
    out = layers.max_pool(torch.arange(25.0).reshape(1, 1, 5, 5), 3, ceil_mode=ceil_mode)
    assert_tensors_equal(
        out[0, 0], torch.tensor(expected),
        call=f"max_pool(torch.arange(25.0).reshape(1, 1, 5, 5), 3, ceil_mode={ceil_mode}), output [0, 0]",
        lesson="Stride defaults to kernel_size, and ceil_mode=True keeps a last partial window (floor drops it).",
    )  # fmt: skip


@pytest.mark.kata("layers.max_pool")
def test_max_pool_keeps_channels_and_has_no_parameters():
    out = layers.max_pool(torch.rand(2, 7, 8, 8), 2)
    assert tuple(out.shape) == (2, 7, 4, 4), f"pooling changed the channel count: {shape_of(out)}"
    assert list(nn.MaxPool2d(2).parameters()) == [], "a pooling layer has nothing to learn"


@pytest.mark.kata("layers.pad_constant")
def test_pad_constant_fills_with_the_value():
    out = layers.pad_constant(torch.zeros(1, 1, 2, 2), 1, 3.5)
    expected = torch.full((1, 1, 4, 4), 3.5)
    expected[..., 1:3, 1:3] = 0.0
    assert_tensors_equal(
        out, expected,
        call="pad_constant(torch.zeros(1, 1, 2, 2), 1, 3.5)",
        lesson="As nn.ConstantPad2d(1, 3.5) does, an int pads all four sides, and the border is filled with 3.5.",
    )  # fmt: skip


@pytest.mark.kata("layers.pad_constant")
def test_pad_constant_order_is_left_right_top_bottom():
    out = layers.pad_constant(torch.ones(1, 1, 2, 2), (1, 0, 2, 0), 0.0)
    assert tuple(out.shape) == (1, 1, 4, 3), f"(left=1, right=0, top=2, bottom=0) on 2x2 gave {shape_of(out)}"
    assert out[0, 0, 2:, 1:].eq(1).all() and out[0, 0, :2].eq(0).all() and out[0, 0, :, 0].eq(0).all()


@pytest.mark.kata("layers.pad_reflect")
def test_pad_reflect_mirrors_without_repeating_the_edge():
    out = layers.pad_reflect(torch.tensor([[[[1.0, 2.0, 3.0]]]]), (2, 2, 0, 0))
    assert_tensors_equal(
        out[0, 0, 0], torch.tensor([3.0, 2.0, 1.0, 2.0, 3.0, 2.0, 1.0]),
        call="pad_reflect(row [1, 2, 3] as (1, 1, 1, 3), (2, 2, 0, 0)), row [0, 0, 0]",
        lesson="Reflection mirrors the border without repeating the edge itself: padding 2 on the left of "
        "[1, 2, 3] gives [3, 2, 1, 2, 3].",
    )  # fmt: skip


@pytest.mark.kata("layers.pad_reflect")
def test_pad_reflect_order_is_left_right_top_bottom():
    x = torch.arange(16.0).reshape(1, 1, 4, 4)
    out = layers.pad_reflect(x, (1, 0, 2, 3))
    expected = torch.nn.functional.pad(x, (1, 0, 2, 3), mode="reflect")
    assert tuple(out.shape) == (1, 1, 9, 5), (
        f"Called pad_reflect(4x4, (1, 0, 2, 3)); got {shape_of(out)}, but the tests expected (1, 1, 9, 5): "
        "(left=1, right=0, top=2, bottom=3)."
    )
    assert_tensors_equal(
        out, expected,
        call="pad_reflect(torch.arange(16.0).reshape(1, 1, 4, 4), (1, 0, 2, 3))",
        lesson="Four values are (left, right, top, bottom), the order of F.pad(x, padding, mode='reflect') "
        "(the expected values).",
    )  # fmt: skip


@pytest.mark.kata("layers.pad_reflect")
def test_pad_reflect_matches_reflect_padding_mode_of_conv():
    x = torch.randn(1, 2, 5, 5)
    out = layers.pad_reflect(x, 1)
    assert_tensors_close(
        out, torch.nn.functional.pad(x, (1, 1, 1, 1), mode="reflect"),
        call=describe_call(layers.pad_reflect, x, 1),
        lesson="An int pads all four sides by mirroring the border, as F.pad(x, (1, 1, 1, 1), mode='reflect') does.",
    )  # fmt: skip


# --- behaviour: activations ------------------------------------------------------------------------


@pytest.mark.kata("layers.relu_inplace")
def test_relu_inplace_mutates_and_returns_the_same_tensor():
    x = torch.tensor([-2.0, -0.5, 0.0, 1.5])
    out = layers.relu_inplace(x)
    assert out is x, "relu_inplace must return the very tensor it was given (inplace=True)"
    assert_tensors_equal(
        x, torch.tensor([0.0, 0.0, 0.0, 1.5]),
        call="relu_inplace(x = [-2.0, -0.5, 0.0, 1.5]), then x itself",
        lesson="ReLU in place: the negatives in x itself become 0, so x must now hold max(0, x).",
    )  # fmt: skip


@pytest.mark.kata("layers.relu_inplace")
def test_relu_inplace_refuses_a_leaf_that_requires_grad():
    layers.relu_inplace(torch.zeros(2))
    raises_from(
        RuntimeError, layers.relu_inplace, torch.zeros(2, requires_grad=True),
        call="relu_inplace(torch.zeros(2, requires_grad=True))",
        lesson="An in-place change of a leaf that requires grad is refused by autograd (RuntimeError), so the change "
        "must really be in place.",
    )  # fmt: skip


@pytest.mark.kata("layers.sigmoid")
def test_sigmoid_formula_and_input_untouched():
    x = torch.linspace(-6, 6, 13)
    before = x.clone()
    out = layers.sigmoid(x)
    assert_tensors_close(
        out, 1 / (1 + torch.exp(-x)),
        call="sigmoid(torch.linspace(-6, 6, 13))",
        lesson="The sigmoid is 1 / (1 + exp(-x)), element by element.",
    )  # fmt: skip
    assert_tensors_equal(
        x, before,
        call="sigmoid(x), then x itself",
        lesson="The sigmoid must leave x unchanged: sigmoid must not modify its input.",
    )  # fmt: skip
    assert out[6].item() == 0.5


@pytest.mark.kata("layers.sigmoid")
def test_sigmoid_saturates_without_nan():
    out = layers.sigmoid(torch.tensor([-1000.0, 1000.0]))
    assert out.tolist() == [0.0, 1.0], f"sigmoid(+-1000) gave {out.tolist()}"


# --- behaviour: BatchNorm2d ------------------------------------------------------------------------


def bn_case(channels=3, momentum=0.1):
    bn = nn.BatchNorm2d(channels, momentum=momentum)
    with torch.no_grad():
        bn.weight.copy_(torch.rand(channels) + 0.5)
        bn.bias.copy_(torch.randn(channels))
        bn.running_mean.copy_(torch.randn(channels))
        bn.running_var.copy_(torch.rand(channels) + 0.5)
    x = torch.randn(4, channels, 3, 5) * 2 + 1
    return bn, x


def by_hand(bn, x, training, momentum=0.1):
    return layers.batch_norm_by_hand(
        x,
        bn.running_mean.clone(),
        bn.running_var.clone(),
        bn.weight.detach(),
        bn.bias.detach(),
        training,
        momentum,
        bn.eps,
    )


@pytest.mark.kata("layers.batch_norm_by_hand")
@pytest.mark.parametrize("momentum", [0.1, 0.3])
def test_batch_norm_by_hand_training_matches_batchnorm2d(momentum):
    bn, x = bn_case(momentum=momentum)
    y, new_mean, new_var = by_hand(bn, x, True, momentum)
    expected = bn.train()(x)
    assert bn.weight.shape == (3,) and bn.bias.shape == (3,), "affine parameters are one value per channel"
    call = f"batch_norm_by_hand(x (4, 3, 3, 5), running stats, weight, bias, training=True, momentum={momentum})"
    assert_tensors_close(
        y, expected.detach(), call=f"{call}, y",
        lesson="In training, y is normalized with the batch's per-channel mean and BIASED variance (over N, H, W), "
        "as nn.BatchNorm2d in train mode does.",
    )  # fmt: skip
    assert_tensors_close(
        new_mean, bn.running_mean, call=f"{call}, new_running_mean",
        lesson="The running mean is updated: new = (1 - momentum) * old + momentum * batch_mean.",
    )  # fmt: skip
    assert_tensors_close(
        new_var, bn.running_var, call=f"{call}, new_running_var",
        lesson="The running variance takes the UNBIASED batch variance: new = (1 - momentum) * old + momentum * "
        "unbiased batch variance.",
    )  # fmt: skip


@pytest.mark.kata("layers.batch_norm_by_hand")
def test_batch_norm_by_hand_eval_uses_running_statistics():
    bn, x = bn_case()
    y, new_mean, new_var = by_hand(bn, x, False)
    call = "batch_norm_by_hand(x (4, 3, 3, 5), running stats, weight, bias, training=False)"
    assert_tensors_close(
        y, bn.eval()(x).detach(), call=f"{call}, y",
        lesson="When not training, y is normalized with the running statistics, as nn.BatchNorm2d in eval mode does.",
    )  # fmt: skip
    assert_tensors_close(
        new_mean, bn.running_mean, call=f"{call}, new_running_mean",
        lesson="When not training, the running statistics are returned unchanged: eval must not change running_mean.",
    )  # fmt: skip
    assert_tensors_close(
        new_var, bn.running_var, call=f"{call}, new_running_var",
        lesson="When not training, the running statistics are returned unchanged: eval must not change running_var.",
    )  # fmt: skip


@pytest.mark.kata("layers.batch_norm_by_hand")
def test_batch_norm_by_hand_training_standardizes_each_channel():
    x = torch.randn(8, 2, 4, 4) * torch.tensor([5.0, 0.5]).reshape(1, 2, 1, 1) + 3
    y, _, _ = layers.batch_norm_by_hand(x, torch.zeros(2), torch.ones(2), torch.ones(2), torch.zeros(2), True)
    call = "batch_norm_by_hand(x (8, 2, 4, 4), zeros, ones, weight=ones, bias=zeros, training=True)"
    assert_tensors_close(
        y.mean(dim=(0, 2, 3)), torch.zeros(2), atol=1e-5, rtol=0,
        call=f"{call}, per-channel mean of y",
        lesson="In training, each channel is normalized with the batch's own mean, so with weight 1 and bias 0 "
        "every channel of y has mean 0.",
    )  # fmt: skip
    assert_tensors_close(
        y.var(dim=(0, 2, 3), unbiased=False), torch.ones(2), atol=1e-3, rtol=0,
        call=f"{call}, per-channel biased variance of y",
        lesson="In training, each channel is divided by sqrt(biased batch variance + eps), so with weight 1 and "
        "bias 0 every channel of y has variance 1.",
    )  # fmt: skip


@pytest.mark.kata("layers.batch_norm_by_hand")
def test_batch_norm_by_hand_leaves_its_arguments_alone():
    bn, x = bn_case()
    arguments = [
        x,
        bn.running_mean.clone(),
        bn.running_var.clone(),
        bn.weight.detach().clone(),
        bn.bias.detach().clone(),
    ]
    copies = [a.clone() for a in arguments]
    layers.batch_norm_by_hand(*arguments, training=True)
    for name, argument, copy in zip(["x", "running_mean", "running_var", "weight", "bias"], arguments, copies):
        assert_tensors_equal(
            argument, copy,
            call=f"batch_norm_by_hand(x, running_mean, running_var, weight, bias, training=True), then {name}",
            lesson=f"Do not modify the arguments: batch_norm_by_hand modified its argument {name}.",
        )  # fmt: skip


def forbid(monkeypatch, functions, module_classes, kata_name):
    """Make the library functions a by-hand kata re-implements fail loudly when called, wherever they can be
    reached from: the torch and torch.nn.functional attributes, names the kata module bound to them, and the
    forward of the matching nn modules."""

    def forbidden(*args, **kwargs):
        raise AssertionError(f"{kata_name} must compute the result by hand, not call the library's own version")

    originals = {getattr(owner, name) for owner, name in functions}
    for owner, name in functions:
        monkeypatch.setattr(owner, name, forbidden)
    for name, value in list(vars(layers).items()):
        if any(value is original for original in originals):
            monkeypatch.setattr(layers, name, forbidden)
    for module_class in module_classes:
        monkeypatch.setattr(module_class, "forward", forbidden)


@pytest.mark.kata("layers.batch_norm_by_hand")
@pytest.mark.parametrize("training", [True, False], ids=["training", "eval"])
def test_batch_norm_by_hand_does_not_call_batch_norm(monkeypatch, training):
    bn, x = bn_case()
    expected = (bn.train() if training else bn.eval())(x).detach()
    library = [(F, "batch_norm"), (torch, "batch_norm"), (torch, "native_batch_norm"), (F, "instance_norm")]
    forbid(monkeypatch, library, [nn.BatchNorm2d, nn.BatchNorm1d], "batch_norm_by_hand")
    y, _, _ = by_hand(bn, x, training)
    assert_tensors_close(
        y, expected,
        call=f"batch_norm_by_hand(x (4, 3, 3, 5), running stats, weight, bias, training={training}), y",
        lesson="Computed by hand, without torch's batch-norm functions (F.batch_norm, torch.batch_norm, "
        "torch.native_batch_norm, F.instance_norm) or nn.BatchNorm2d, y must still be nn.BatchNorm2d's output.",
    )  # fmt: skip


# --- behaviour: Dropout2d --------------------------------------------------------------------------


@pytest.mark.kata("layers.channel_dropout")
def test_channel_dropout_zeroes_whole_channels_and_scales_the_rest():
    x = torch.rand(8, 16, 5, 5) + 1.0  # no zeros in the input
    out = layers.channel_dropout(x, 0.25, training=True)
    planes = out.reshape(8 * 16, 25) / x.reshape(8 * 16, 25)
    dropped = planes.eq(0).all(dim=1)
    kept = torch.isclose(planes, torch.tensor(4 / 3)).all(dim=1)
    mixed = int((~(dropped | kept)).sum())
    assert mixed == 0, (
        f"Called channel_dropout(x (8, 16, 5, 5), 0.25, training=True). In {mixed} of its 128 (n, c) planes some "
        "elements are zero and others are not, but the tests expected every plane entirely zero or entirely "
        "x / (1 - p) = x * 4/3: Dropout2d drops whole channels, not single elements"
    )
    assert 0 < int(dropped.sum()) < 128, (
        f"Called channel_dropout(x (8, 16, 5, 5), 0.25, training=True). It dropped {int(dropped.sum())} of 128 "
        "planes; expected some but not all with p = 0.25"
    )


@pytest.mark.kata("layers.channel_dropout")
@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_channel_dropout_drops_about_p_of_the_channels(p):
    # 16384 independent planes: the dropped fraction is within 0.03 of p far beyond any bad luck (> 7 sigma).
    out = layers.channel_dropout(torch.ones(128, 128, 1, 1), p, training=True)
    fraction = out.eq(0).float().mean().item()
    assert abs(fraction - p) < 0.03, (
        f"Called channel_dropout(x, p={p}); {fraction:.3f} of the 16384 channels were zeroed, but the tests expected "
        f"about {p}: p is the probability to DROP a channel, not to keep it."
    )


@pytest.mark.kata("layers.channel_dropout")
def test_channel_dropout_decides_independently_per_sample_and_channel():
    kept = layers.channel_dropout(torch.ones(32, 32, 2, 2), 0.5, training=True)[:, :, 0, 0].ne(0)
    # With independent draws, two equal rows (or columns) among 32 x 32 coin flips are practically impossible.
    assert not (kept == kept[:1]).all(), (
        "Every sample got the same channel mask: draw one decision per (sample, channel), torch.rand(N, C, 1, 1), "
        "not one per channel shared by the whole batch."
    )
    assert not (kept == kept[:, :1]).all(), (
        "Every channel of a sample got the same decision: draw one per (sample, channel), not one per sample."
    )


@pytest.mark.kata("layers.channel_dropout")
def test_channel_dropout_leaves_its_input_alone():
    x = torch.rand(4, 6, 3, 3) + 1.0
    before = x.clone()
    out = layers.channel_dropout(x, 0.5, training=True)
    assert_tensors_equal(
        x, before,
        call="channel_dropout(x (4, 6, 3, 3), 0.5, training=True), then x itself",
        lesson="x itself is never modified: channel_dropout modified x itself, compute a new tensor "
        "(x * mask / (1 - p)) instead.",
    )  # fmt: skip
    assert out.eq(0).any(), "with p = 0.5 on 24 channels some channel must be zeroed in the result"


@pytest.mark.kata("layers.channel_dropout")
def test_channel_dropout_is_identity_when_not_training():
    x = torch.rand(2, 3, 4, 4)
    assert_tensors_equal(
        layers.channel_dropout(x, 0.5, training=False), x,
        call=describe_call(layers.channel_dropout, x, 0.5, training=False),
        lesson="When not training, return x unchanged: in eval mode Dropout2d changes nothing.",
    )  # fmt: skip


@pytest.mark.kata("layers.channel_dropout")
def test_channel_dropout_follows_the_global_seed():
    x = torch.rand(4, 8, 3, 3)
    torch.manual_seed(11)
    first = layers.channel_dropout(x, 0.5)
    torch.manual_seed(11)
    assert_tensors_equal(
        layers.channel_dropout(x, 0.5), first,
        call="channel_dropout(x (4, 8, 3, 3), 0.5) after torch.manual_seed(11), twice",
        lesson="The random numbers come from torch's global RNG, so the same seed must drop the same channels.",
    )  # fmt: skip
    torch.manual_seed(12)
    other = layers.channel_dropout(x, 0.5)
    assert not torch.equal(other, first), (
        "torch.manual_seed(11) and torch.manual_seed(12) gave the same 32 decisions: draw from torch's global RNG "
        "(torch.rand), without seeding it or a generator of your own inside the function."
    )


@pytest.mark.kata("layers.channel_dropout")
def test_channel_dropout_p_one_zeroes_everything():
    x = torch.rand(4, 6, 3, 3) + 1.0
    assert_tensors_equal(
        layers.channel_dropout(x, 1.0, training=True), torch.zeros_like(x),
        call="channel_dropout(x (4, 6, 3, 3), 1.0, training=True)",
        lesson="With p = 1 every plane is dropped: the result is all zeros, of x's shape and dtype, as nn.Dropout2d "
        "gives. Scaling the zeroed planes by 1 / (1 - p) = 1 / 0 turns them into 0 / 0 = NaN.",
    )  # fmt: skip


@pytest.mark.kata("layers.channel_dropout")
def test_channel_dropout_p_zero_keeps_everything_in_training():
    x = torch.rand(4, 6, 3, 3) + 1.0
    assert_tensors_equal(
        layers.channel_dropout(x, 0.0, training=True), x,
        call="channel_dropout(x (4, 6, 3, 3), 0.0, training=True)",
        lesson="With p = 0 no plane is dropped and 1 / (1 - p) = 1: the result equals x, even in training.",
    )  # fmt: skip


@pytest.mark.kata("layers.channel_dropout")
@pytest.mark.parametrize(
    "dtype", [torch.float16, torch.bfloat16, torch.float64], ids=["float16", "bfloat16", "float64"]
)
def test_channel_dropout_keeps_the_dtype_of_x(dtype):
    x = torch.rand(4, 6, 3, 3, dtype=dtype) + 1.0
    out = layers.channel_dropout(x, 0.5, training=True)
    assert out.dtype == dtype and out.shape == x.shape, (
        f"Called {describe_call(layers.channel_dropout, x, 0.5, training=True)}. It returned {shape_of(out)}, but the "
        f"tests expected a result of x's shape and dtype, {tuple(x.shape)} {str(dtype).replace('torch.', '')}: a mask "
        "of another dtype (torch.rand gives float32) promotes x * mask to it; make the mask in x's dtype."
    )


@pytest.mark.kata("layers.channel_dropout")
def test_channel_dropout_result_is_on_the_device_of_x():
    # The meta device stands in for a GPU without needing one: its tensors have a shape, a dtype and a device
    # but no data, so a mask built on the CPU meets x there the way it would meet a cuda x.
    x = torch.empty(2, 3, 4, 4, device="meta")
    call = "channel_dropout(torch.empty(2, 3, 4, 4, device='meta'), 0.5, training=True)"
    lesson = "build the mask on x's device (torch.rand and torch.bernoulli take device=...), not on the CPU."
    try:
        out = layers.channel_dropout(x, 0.5, training=True)
    except NotImplementedError:
        raise
    except RuntimeError as exc:
        pytest.fail(
            f"Called {call}. It raised RuntimeError: {str(exc).strip().splitlines()[0]}, but the tests expected a "
            f"result on meta, the device of x: {lesson}",
            pytrace=False,
        )
    assert out.device == x.device and out.shape == x.shape, (
        f"Called {call}. It returned {shape_of(out)}, but the tests expected tensor (2, 3, 4, 4) float32 on meta, "
        f"the shape and device of x: {lesson}"
    )


@pytest.mark.kata("layers.channel_dropout")
def test_channel_dropout_does_not_call_dropout2d(monkeypatch):
    library = [(F, "dropout1d"), (F, "dropout2d"), (F, "dropout3d"), (torch, "feature_dropout")]
    forbid(monkeypatch, library, [nn.Dropout1d, nn.Dropout2d, nn.Dropout3d], "channel_dropout")
    x = torch.rand(4, 8, 3, 3) + 1.0
    out = layers.channel_dropout(x, 0.5, training=True)
    planes = (out / x).reshape(32, 9)
    whole = planes.eq(0).all(dim=1) | torch.isclose(planes, torch.tensor(2.0)).all(dim=1)
    assert tuple(out.shape) == (4, 8, 3, 3) and bool(whole.all()), (
        f"Called channel_dropout(x (4, 8, 3, 3), 0.5, training=True) with torch's channel dropout made unavailable. "
        f"It returned {shape_of(out)}, with {int((~whole).sum())} of 32 planes neither all 0 nor all 2 * x, but "
        "the tests expected whole planes dropped or scaled, computed by hand."
    )


# --- behaviour: Embedding --------------------------------------------------------------------------


@pytest.mark.kata("layers.embedding_by_hand")
def test_embedding_by_hand_matches_embedding():
    embedding = nn.Embedding(10, 4)
    indices = torch.tensor([[1, 2, 4, 5], [4, 3, 2, 9]])
    got = layers.embedding_by_hand(embedding.weight.detach(), indices)
    assert tuple(got.shape) == (2, 4, 4), (
        f"indices (2, 4) into a (10, 4) table gave {shape_of(got)}; expected (2, 4, 4)"
    )
    assert_tensors_close(
        got, embedding(indices).detach(),
        call=describe_call(layers.embedding_by_hand, embedding.weight.detach(), indices),
        lesson="Every index picks row indices[...] of weight, as nn.Embedding's forward does.",
    )  # fmt: skip


@pytest.mark.kata("layers.embedding_by_hand")
@pytest.mark.parametrize("bad", [5, -1], ids=["past-the-end", "negative"])
def test_embedding_by_hand_rejects_out_of_range_index(bad):
    raises_from(
        IndexError, layers.embedding_by_hand, torch.rand(5, 2), torch.tensor([0, bad]),
        call=f"embedding_by_hand(weight (5, 2), indices [0, {bad}])",
        lesson="An index out of range - negative, or num_embeddings and above - raises IndexError.",
    )  # fmt: skip
    with raises(
        IndexError,
        call=f"nn.Embedding(5, 2)(torch.tensor([0, {bad}]))",
        lesson="nn.Embedding refuses negative indices too.",
    ):
        nn.Embedding(5, 2)(torch.tensor([0, bad]))  # nn.Embedding refuses negative indices too


@pytest.mark.kata("layers.embedding_by_hand")
@pytest.mark.parametrize("shape", [(), (5,), (2, 1, 3), (0,), (2, 0)], ids=["0d", "1d", "3d", "empty", "empty-2d"])
def test_embedding_by_hand_keeps_the_indices_shape(shape):
    weight = torch.randn(7, 3)
    indices = torch.randint(0, 7, shape)
    got = layers.embedding_by_hand(weight, indices)
    expected = F.embedding(indices, weight)
    assert tuple(got.shape) == (*shape, 3), (
        f"Called embedding_by_hand(weight (7, 3), indices {shape}); it returned {shape_of(got)}, but the tests "
        f"expected {(*shape, 3)}: indices.shape + (embedding_dim,)."
    )
    assert_tensors_equal(
        got, expected,
        call=describe_call(layers.embedding_by_hand, weight, indices),
        lesson="Every index picks row indices[...] of weight, exactly as F.embedding(indices, weight) does.",
    )  # fmt: skip


@pytest.mark.kata("layers.embedding_by_hand")
def test_embedding_by_hand_does_not_call_embedding(monkeypatch):
    weight, indices = torch.randn(6, 2), torch.tensor([[5, 0], [2, 2]])
    expected = F.embedding(indices, weight)
    forbid(monkeypatch, [(F, "embedding"), (torch, "embedding")], [nn.Embedding], "embedding_by_hand")
    assert_tensors_equal(
        layers.embedding_by_hand(weight, indices), expected,
        call=describe_call(layers.embedding_by_hand, weight, indices),
        lesson="Computed by hand, without F.embedding or nn.Embedding, the rows must still be F.embedding's.",
    )  # fmt: skip
