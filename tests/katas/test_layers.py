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
    lesson,
    raises,
    raises_from,
    says,
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
    __tracebackhide__ = True
    if isinstance(got, tuple) and all(type(v) is int for v in got):
        return
    kinds = ", ".join(type(v).__name__ for v in got) if isinstance(got, (tuple, list)) else ""
    pytest.fail(
        says(
            call=call, returned=f"{got!r}: {type(got).__name__}[{kinds}]" if kinds else f"{got!r}: {type(got).__name__}",
            expected="tuple[int, ...]", lesson=lesson("layers.shape_is_a_tuple_of_ints"),
        ),
        pytrace=False,
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
    call = f"conv2d_output_size({height}, {width}, {kernel}, {stride}, {padding}, {dilation})"
    got = layers.conv2d_output_size(height, width, kernel, stride, padding, dilation)
    assert_tuple_of_ints(got, call)
    assert tuple(got) == expected, says(
        call=call, returned=repr(got), expected=repr(expected), lesson=lesson("layers.conv2d_size_as_conv2d")
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
    assert got == expected, says(
        call=f"conv2d_output_size{args}", returned=repr(got), expected=repr(expected),
        lesson=lesson("layers.conv2d_size_pairs_are_height_width"),
    )  # fmt: skip


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
    assert tuple(got) == expected, says(
        call=f"maxpool2d_output_size{case}", returned=repr(got), expected=repr(expected),
        lesson=lesson("layers.maxpool2d_size_as_maxpool2d"),
    )  # fmt: skip


@pytest.mark.kata("layers.maxpool2d_output_size")
def test_maxpool2d_stride_defaults_to_kernel_size():
    got = layers.maxpool2d_output_size(32, 32, 2)
    assert tuple(got) == (16, 16), says(
        call="maxpool2d_output_size(32, 32, 2)", returned=repr(got), expected="(16, 16)",
        lesson=lesson("layers.pool_stride_defaults_to_kernel_size", kernel=2),
    )  # fmt: skip


@pytest.mark.kata("layers.maxpool2d_output_size")
@pytest.mark.parametrize(("ceil_mode", "expected"), [(False, (1, 1)), (True, (2, 2))], ids=["floor", "ceil"])
def test_maxpool2d_ceil_mode_keeps_the_partial_window(ceil_mode, expected):
    got = layers.maxpool2d_output_size(5, 5, 3, ceil_mode=ceil_mode)
    assert tuple(got) == expected, says(
        call=f"maxpool2d_output_size(5, 5, 3, ceil_mode={ceil_mode})", returned=repr(got), expected=repr(expected),
        lesson=lesson("layers.maxpool2d_ceil_mode_partial_window"),
    )  # fmt: skip


@pytest.mark.kata("layers.maxpool2d_output_size")
def test_maxpool2d_ceil_mode_drops_a_window_starting_in_padding():
    # ceil((5 + 2 - 1 - 1) / 2) + 1 = 4, but the 4th window would start at 6 >= 5 + 1 (inside the right padding).
    expected = real_hw(nn.MaxPool2d(2, 2, 1, ceil_mode=True), 5, 5)  # (3, 3)
    got = layers.maxpool2d_output_size(5, 5, 2, stride=2, padding=1, ceil_mode=True)
    assert tuple(got) == expected, says(
        call="maxpool2d_output_size(5, 5, 2, stride=2, padding=1, ceil_mode=True)", returned=repr(got),
        expected=repr(expected), lesson=lesson("layers.maxpool2d_ceil_mode_drops_window_in_padding"),
    )  # fmt: skip


@pytest.mark.kata("layers.avgpool2d_output_size")
@fast_examples
@given(case=pool_settings(with_dilation=False))
def test_avgpool2d_output_size_matches_avgpool2d(case):
    height, width, kernel, stride, padding, _, ceil_mode = case
    expected = real_hw(nn.AvgPool2d(kernel, stride, padding, ceil_mode=ceil_mode), height, width)
    got = layers.avgpool2d_output_size(height, width, kernel, stride, padding, ceil_mode)
    assert_tuple_of_ints(got, f"avgpool2d_output_size{case[:5] + case[6:]}")
    assert tuple(got) == expected, says(
        call=f"avgpool2d_output_size{case[:5] + case[6:]}", returned=repr(got), expected=repr(expected),
        lesson=lesson("layers.avgpool2d_size_as_avgpool2d"),
    )  # fmt: skip


@pytest.mark.kata("layers.avgpool2d_output_size")
def test_avgpool2d_stride_defaults_to_kernel_size():
    got = layers.avgpool2d_output_size(9, 6, 3)
    assert tuple(got) == (3, 2), says(
        call="avgpool2d_output_size(9, 6, 3)", returned=repr(got), expected="(3, 2)",
        lesson=lesson("layers.pool_stride_defaults_to_kernel_size", kernel=3),
    )  # fmt: skip


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
        assert tuple(got) == expected, says(
            call=f"pad2d_output_size(5, 6, {padding})", returned=repr(got), expected=repr(expected),
            lesson=lesson("layers.pad2d_size_as_padding_layers", layer=f"nn.{type(layer).__name__}({padding})"),
        )  # fmt: skip


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
    assert tuple(got) == expected, says(
        call=f"linear_output_shape({shape}, {in_features}, {out_features})", returned=repr(got),
        expected=repr(expected), lesson=lesson("layers.linear_acts_on_the_last_dimension"),
    )  # fmt: skip


@pytest.mark.kata("layers.linear_output_shape")
@pytest.mark.parametrize("shape", [(3, 5), (4, 2, 3), (4, 3)], ids=["2d", "3d", "first-dim-matches"])
def test_linear_output_shape_rejects_wrong_last_dimension(shape):
    raises_from(
        ValueError, layers.linear_output_shape, shape, 4, 2,
        call=f"linear_output_shape({shape}, 4, 2)",
        lesson=lesson("layers.linear_needs_the_last_dimension"),
    )  # fmt: skip
    with raises(
        RuntimeError,
        call=f"nn.Linear(4, 2)(torch.zeros({shape}))",
        lesson=lesson("layers.linear_layer_refuses_it_too"),
    ):
        nn.Linear(4, 2)(torch.zeros(shape))  # the layer itself refuses it (mat1 and mat2 cannot be multiplied)


# --- behaviour: pooling and padding ----------------------------------------------------------------


@pytest.mark.kata("layers.max_pool")
def test_max_pool_pads_with_minus_infinity():
    x = torch.full((1, 1, 4, 4), -5.0)
    out = layers.max_pool(x, 3, stride=1, padding=1)
    assert_tensors_equal(
        out, torch.full((1, 1, 4, 4), -5.0),
        call="max_pool(torch.full((1, 1, 4, 4), -5.0), 3, stride=1, padding=1)",
        lesson=lesson("layers.max_pool_pads_with_minus_infinity"),
    )  # fmt: skip


@pytest.mark.kata("layers.max_pool")
def test_max_pool_default_stride_is_kernel_size():
    out = layers.max_pool(torch.arange(16.0).reshape(1, 1, 4, 4), 2)
    assert_tensors_equal(
        out, torch.tensor([[[[5.0, 7.0], [13.0, 15.0]]]]),
        call="max_pool(torch.arange(16.0).reshape(1, 1, 4, 4), 2)",
        lesson=lesson("layers.max_pool_default_stride"),
    )  # fmt: skip


@pytest.mark.kata("layers.max_pool")
@pytest.mark.parametrize(
    ("ceil_mode", "expected"), [(False, [[12.0]]), (True, [[12.0, 14.0], [22.0, 24.0]])], ids=["floor", "ceil"]
)
def test_max_pool_ceil_mode_values(ceil_mode, expected):
    out = layers.max_pool(torch.arange(25.0).reshape(1, 1, 5, 5), 3, ceil_mode=ceil_mode)
    assert_tensors_equal(
        out[0, 0], torch.tensor(expected),
        call=f"max_pool(torch.arange(25.0).reshape(1, 1, 5, 5), 3, ceil_mode={ceil_mode})[0, 0]",
        lesson=lesson("layers.max_pool_ceil_mode_values"),
    )  # fmt: skip


@pytest.mark.kata("layers.max_pool")
def test_max_pool_keeps_channels_and_has_no_parameters():
    out = layers.max_pool(torch.rand(2, 7, 8, 8), 2)
    assert tuple(out.shape) == (2, 7, 4, 4), says(
        call="max_pool(torch.rand(2, 7, 8, 8), 2)", returned=shape_of(out), expected="tensor (2, 7, 4, 4)",
        lesson=lesson("layers.max_pool_keeps_channels"),
    )  # fmt: skip


@pytest.mark.kata("layers.pad_constant")
def test_pad_constant_fills_with_the_value():
    out = layers.pad_constant(torch.zeros(1, 1, 2, 2), 1, 3.5)
    expected = torch.full((1, 1, 4, 4), 3.5)
    expected[..., 1:3, 1:3] = 0.0
    assert_tensors_equal(
        out, expected,
        call="pad_constant(torch.zeros(1, 1, 2, 2), 1, 3.5)",
        lesson=lesson("layers.pad_constant_fills_with_the_value"),
    )  # fmt: skip


@pytest.mark.kata("layers.pad_constant")
def test_pad_constant_order_is_left_right_top_bottom():
    expected = torch.tensor([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 1.0, 1.0], [0.0, 1.0, 1.0]])
    call = "pad_constant(torch.ones(1, 1, 2, 2), (1, 0, 2, 0), 0.0)"
    out = layers.pad_constant(torch.ones(1, 1, 2, 2), (1, 0, 2, 0), 0.0)
    assert tuple(out.shape) == (1, 1, 4, 3), says(
        call=call, returned=shape_of(out), expected="tensor (1, 1, 4, 3)", lesson=lesson("layers.pad_order_lrtb")
    )
    assert_tensors_equal(out[0, 0], expected, call=f"{call}[0, 0]", lesson=lesson("layers.pad_order_lrtb"))


@pytest.mark.kata("layers.pad_reflect")
def test_pad_reflect_mirrors_without_repeating_the_edge():
    out = layers.pad_reflect(torch.tensor([[[[1.0, 2.0, 3.0]]]]), (2, 2, 0, 0))
    assert_tensors_equal(
        out[0, 0, 0], torch.tensor([3.0, 2.0, 1.0, 2.0, 3.0, 2.0, 1.0]),
        call="pad_reflect(torch.tensor([[[[1.0, 2.0, 3.0]]]]), (2, 2, 0, 0))[0, 0, 0]",
        lesson=lesson("layers.pad_reflect_skips_the_edge"),
    )  # fmt: skip


@pytest.mark.kata("layers.pad_reflect")
def test_pad_reflect_order_is_left_right_top_bottom():
    x = torch.arange(16.0).reshape(1, 1, 4, 4)
    expected = torch.nn.functional.pad(x, (1, 0, 2, 3), mode="reflect")
    out = layers.pad_reflect(x.clone(), (1, 0, 2, 3))
    assert tuple(out.shape) == (1, 1, 9, 5), says(
        call="pad_reflect(torch.arange(16.0).reshape(1, 1, 4, 4), (1, 0, 2, 3))", returned=shape_of(out),
        expected="tensor (1, 1, 9, 5)", lesson=lesson("layers.pad_order_lrtb"),
    )  # fmt: skip
    assert_tensors_equal(
        out, expected,
        call="pad_reflect(torch.arange(16.0).reshape(1, 1, 4, 4), (1, 0, 2, 3))",
        lesson=lesson("layers.pad_reflect_order_as_f_pad"),
    )  # fmt: skip


@pytest.mark.kata("layers.pad_reflect")
def test_pad_reflect_matches_reflect_padding_mode_of_conv():
    x = torch.randn(1, 2, 5, 5)
    expected = torch.nn.functional.pad(x, (1, 1, 1, 1), mode="reflect")
    out = layers.pad_reflect(x.clone(), 1)
    assert_tensors_close(
        out, expected,
        call=describe_call(layers.pad_reflect, x, 1),
        lesson=lesson("layers.pad_reflect_int_pads_all_sides"),
    )  # fmt: skip


# --- behaviour: activations ------------------------------------------------------------------------


@pytest.mark.kata("layers.relu_inplace")
def test_relu_inplace_mutates_and_returns_the_same_tensor():
    x = torch.tensor([-2.0, -0.5, 0.0, 1.5])
    out = layers.relu_inplace(x)
    call = "x = torch.tensor([-2.0, -0.5, 0.0, 1.5]); out = relu_inplace(x)"
    assert_tensors_equal(
        x, torch.tensor([0.0, 0.0, 0.0, 1.5]),
        call=f"{call}; x",
        lesson=lesson("layers.relu_inplace_changes_x"),
    )  # fmt: skip
    assert out is x, says(
        call=f"{call}; out is x", returned="False", expected="True", lesson=lesson("layers.relu_inplace_returns_x")
    )


@pytest.mark.kata("layers.relu_inplace")
def test_relu_inplace_refuses_a_leaf_that_requires_grad():
    layers.relu_inplace(torch.zeros(2))
    raises_from(
        RuntimeError, layers.relu_inplace, torch.zeros(2, requires_grad=True),
        call="relu_inplace(torch.zeros(2, requires_grad=True))",
        lesson=lesson("layers.relu_inplace_refused_on_a_leaf"),
    )  # fmt: skip


@pytest.mark.kata("layers.sigmoid")
def test_sigmoid_formula_and_input_untouched():
    x = torch.linspace(-6, 6, 13)
    before = x.clone()
    expected = 1 / (1 + torch.exp(-x))  # expected[6] == 0.5 exactly
    out = layers.sigmoid(x)
    assert_tensors_equal(
        x, before,
        call="x = torch.linspace(-6, 6, 13); sigmoid(x); x",
        lesson=lesson("layers.sigmoid_leaves_x_alone"),
    )  # fmt: skip
    assert_tensors_close(
        out, expected,
        call="sigmoid(torch.linspace(-6, 6, 13))",
        lesson=lesson("layers.sigmoid_formula"),
    )  # fmt: skip
    assert out[6].item() == 0.5, says(
        call="sigmoid(torch.linspace(-6, 6, 13))[6]", returned=repr(out[6].item()), expected="0.5",
        lesson=lesson("layers.sigmoid_of_zero"),
    )  # fmt: skip


@pytest.mark.kata("layers.sigmoid")
def test_sigmoid_saturates_without_nan():
    out = layers.sigmoid(torch.tensor([-1000.0, 1000.0]))
    assert out.tolist() == [0.0, 1.0], says(
        call="sigmoid(torch.tensor([-1000.0, 1000.0]))", returned=repr(out.tolist()), expected="[0.0, 1.0]",
        lesson=lesson("layers.sigmoid_saturates"),
    )  # fmt: skip


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


def by_hand_arguments(bn, x):
    """Copies of x and of bn's state as they are now, taken before bn runs (running it in training mode updates its
    running statistics), so that the learner's function can neither see nor change what the expectation uses."""
    return [x.clone(), bn.running_mean.clone(), bn.running_var.clone(), bn.weight.detach().clone(),
            bn.bias.detach().clone()]  # fmt: skip


def by_hand(arguments, training, momentum=0.1, eps=1e-5):
    return layers.batch_norm_by_hand(*arguments, training, momentum, eps)


@pytest.mark.kata("layers.batch_norm_by_hand")
@pytest.mark.parametrize("momentum", [0.1, 0.3])
def test_batch_norm_by_hand_training_matches_batchnorm2d(momentum):
    bn, x = bn_case(momentum=momentum)
    arguments = by_hand_arguments(bn, x)
    expected = bn.train()(x)
    y, new_mean, new_var = by_hand(arguments, True, momentum)
    call = f"batch_norm_by_hand(x (4, 3, 3, 5), running_mean, running_var, weight, bias, True, {momentum})"
    assert_tensors_close(
        y, expected.detach(), call=f"{call}[0]",
        lesson=lesson("layers.batch_norm_training_output"),
    )  # fmt: skip
    assert_tensors_close(
        new_mean, bn.running_mean, call=f"{call}[1]",
        lesson=lesson("layers.batch_norm_running_mean_update"),
    )  # fmt: skip
    assert_tensors_close(
        new_var, bn.running_var, call=f"{call}[2]",
        lesson=lesson("layers.batch_norm_running_var_update"),
    )  # fmt: skip


@pytest.mark.kata("layers.batch_norm_by_hand")
def test_batch_norm_by_hand_eval_uses_running_statistics():
    bn, x = bn_case()
    arguments = by_hand_arguments(bn, x)
    expected = bn.eval()(x).detach()
    y, new_mean, new_var = by_hand(arguments, False)
    call = "batch_norm_by_hand(x (4, 3, 3, 5), running_mean, running_var, weight, bias, False)"
    assert_tensors_close(
        new_mean, bn.running_mean, call=f"{call}[1]",
        lesson=lesson("layers.batch_norm_eval_keeps_running_stats", name="running_mean"),
    )  # fmt: skip
    assert_tensors_close(
        new_var, bn.running_var, call=f"{call}[2]",
        lesson=lesson("layers.batch_norm_eval_keeps_running_stats", name="running_var"),
    )  # fmt: skip
    assert_tensors_close(
        y, expected, call=f"{call}[0]",
        lesson=lesson("layers.batch_norm_eval_output"),
    )  # fmt: skip


@pytest.mark.kata("layers.batch_norm_by_hand")
def test_batch_norm_by_hand_training_standardizes_each_channel():
    x = torch.randn(8, 2, 4, 4) * torch.tensor([5.0, 0.5]).reshape(1, 2, 1, 1) + 3
    y, _, _ = layers.batch_norm_by_hand(x, torch.zeros(2), torch.ones(2), torch.ones(2), torch.zeros(2), True)
    call = "y, _, _ = batch_norm_by_hand(x (8, 2, 4, 4), *[torch.zeros(2), torch.ones(2)] * 2, True)"
    assert_tensors_close(
        y.mean(dim=(0, 2, 3)), torch.zeros(2), atol=1e-5, rtol=0,
        call=f"{call}; y.mean(dim=(0, 2, 3))",
        lesson=lesson("layers.batch_norm_channel_mean_zero"),
    )  # fmt: skip
    assert_tensors_close(
        y.var(dim=(0, 2, 3), unbiased=False), torch.ones(2), atol=1e-3, rtol=0,
        call=f"{call}; y.var(dim=(0, 2, 3), unbiased=False)",
        lesson=lesson("layers.batch_norm_channel_variance_one"),
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
            call=f"batch_norm_by_hand(x, running_mean, running_var, weight, bias, training=True); {name}",
            lesson=lesson("layers.batch_norm_leaves_its_arguments_alone", name=name),
        )  # fmt: skip


def forbid(monkeypatch, functions, module_classes, call):
    """Make the library functions a by-hand kata re-implements fail loudly when called, wherever they can be
    reached from: the torch and torch.nn.functional attributes, names the kata module bound to them, and the
    forward of the matching nn modules."""

    def forbidden(*args, **kwargs):
        raise AssertionError(says(call=call, lesson=lesson("layers.by_hand_calls_no_library_version")))

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
    arguments = by_hand_arguments(bn, x)
    expected = (bn.train() if training else bn.eval())(x).detach()
    library = [(F, "batch_norm"), (torch, "batch_norm"), (torch, "native_batch_norm"), (F, "instance_norm")]
    call = f"batch_norm_by_hand(x (4, 3, 3, 5), running_mean, running_var, weight, bias, {training})"
    forbid(monkeypatch, library, [nn.BatchNorm2d, nn.BatchNorm1d], call)
    y, _, _ = by_hand(arguments, training)
    assert_tensors_close(
        y, expected,
        call=f"{call}[0]",
        lesson=lesson("layers.batch_norm_by_hand_still_right"),
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
    call = "channel_dropout(x (8, 16, 5, 5), 0.25, training=True)"
    assert mixed == 0, says(call=call, lesson=lesson("layers.dropout_whole_channels", mixed=mixed))
    assert 0 < int(dropped.sum()) < 128, says(
        call=call, lesson=lesson("layers.dropout_some_but_not_all", dropped=int(dropped.sum()))
    )


@pytest.mark.kata("layers.channel_dropout")
@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_channel_dropout_drops_about_p_of_the_channels(p):
    # 16384 independent planes: the dropped fraction is within 0.03 of p far beyond any bad luck (> 7 sigma).
    out = layers.channel_dropout(torch.ones(128, 128, 1, 1), p, training=True)
    fraction = out.eq(0).float().mean().item()
    assert abs(fraction - p) < 0.03, says(
        call=f"channel_dropout(torch.ones(128, 128, 1, 1), {p}, training=True).eq(0).float().mean()",
        returned=f"{fraction:.3f}", expected=f"{p} ± 0.03", lesson=lesson("layers.dropout_p_is_the_drop_probability"),
    )  # fmt: skip


@pytest.mark.kata("layers.channel_dropout")
def test_channel_dropout_decides_independently_per_sample_and_channel():
    kept = layers.channel_dropout(torch.ones(32, 32, 2, 2), 0.5, training=True)[:, :, 0, 0].ne(0)
    # With independent draws, two equal rows (or columns) among 32 x 32 coin flips are practically impossible.
    call = "channel_dropout(torch.ones(32, 32, 2, 2), 0.5, training=True)"
    assert not (kept == kept[:1]).all(), says(call=call, lesson=lesson("layers.dropout_mask_not_shared_by_the_batch"))
    assert not (kept == kept[:, :1]).all(), says(call=call, lesson=lesson("layers.dropout_mask_not_per_sample"))


@pytest.mark.kata("layers.channel_dropout")
def test_channel_dropout_leaves_its_input_alone():
    x = torch.rand(4, 6, 3, 3) + 1.0
    before = x.clone()
    out = layers.channel_dropout(x, 0.5, training=True)
    assert_tensors_equal(
        x, before,
        call="channel_dropout(x (4, 6, 3, 3), 0.5, training=True); x",
        lesson=lesson("layers.dropout_leaves_x_alone"),
    )  # fmt: skip
    assert out.eq(0).any(), says(
        call="channel_dropout(x (4, 6, 3, 3), 0.5, training=True).eq(0).any()", returned="False", expected="True",
        lesson=lesson("layers.dropout_zeroes_some_channel"),
    )  # fmt: skip


@pytest.mark.kata("layers.channel_dropout")
def test_channel_dropout_is_identity_when_not_training():
    x = torch.rand(2, 3, 4, 4)
    expected = x.clone()
    assert_tensors_equal(
        layers.channel_dropout(x, 0.5, training=False), expected,
        call=describe_call(layers.channel_dropout, x, 0.5, training=False),
        lesson=lesson("layers.dropout_identity_in_eval"),
    )  # fmt: skip


@pytest.mark.kata("layers.channel_dropout")
def test_channel_dropout_follows_the_global_seed():
    x = torch.rand(4, 8, 3, 3)
    torch.manual_seed(11)
    first = layers.channel_dropout(x, 0.5)
    torch.manual_seed(11)
    assert_tensors_equal(
        layers.channel_dropout(x, 0.5), first,
        call="torch.manual_seed(11); channel_dropout(x (4, 8, 3, 3), 0.5)",
        lesson=lesson("layers.dropout_same_seed_same_channels"),
    )  # fmt: skip
    torch.manual_seed(12)
    other = layers.channel_dropout(x, 0.5)
    assert not torch.equal(other, first), says(
        call="torch.manual_seed(12); channel_dropout(x (4, 8, 3, 3), 0.5)",
        lesson=lesson("layers.dropout_follows_the_global_rng"),
    )  # fmt: skip


@pytest.mark.kata("layers.channel_dropout")
def test_channel_dropout_p_one_zeroes_everything():
    x = torch.rand(4, 6, 3, 3) + 1.0
    assert_tensors_equal(
        layers.channel_dropout(x, 1.0, training=True), torch.zeros_like(x),
        call="channel_dropout(x (4, 6, 3, 3), 1.0, training=True)",
        lesson=lesson("layers.dropout_p_one_gives_zeros"),
    )  # fmt: skip


@pytest.mark.kata("layers.channel_dropout")
def test_channel_dropout_p_zero_keeps_everything_in_training():
    x = torch.rand(4, 6, 3, 3) + 1.0
    assert_tensors_equal(
        layers.channel_dropout(x, 0.0, training=True), x,
        call="channel_dropout(x (4, 6, 3, 3), 0.0, training=True)",
        lesson=lesson("layers.dropout_p_zero_keeps_x"),
    )  # fmt: skip


@pytest.mark.kata("layers.channel_dropout")
@pytest.mark.parametrize(
    "dtype", [torch.float16, torch.bfloat16, torch.float64], ids=["float16", "bfloat16", "float64"]
)
def test_channel_dropout_keeps_the_dtype_of_x(dtype):
    x = torch.rand(4, 6, 3, 3, dtype=dtype) + 1.0
    out = layers.channel_dropout(x, 0.5, training=True)
    assert out.dtype == dtype and out.shape == x.shape, says(
        call=describe_call(layers.channel_dropout, x, 0.5, training=True), returned=shape_of(out),
        expected=shape_of(x), lesson=lesson("layers.dropout_keeps_the_dtype"),
    )  # fmt: skip


@pytest.mark.kata("layers.channel_dropout")
def test_channel_dropout_result_is_on_the_device_of_x():
    # The meta device stands in for a GPU without needing one: its tensors have a shape, a dtype and a device
    # but no data, so a mask built on the CPU meets x there the way it would meet a cuda x.
    x = torch.empty(2, 3, 4, 4, device="meta")
    call = "channel_dropout(torch.empty(2, 3, 4, 4, device='meta'), 0.5, training=True)"
    try:
        out = layers.channel_dropout(x, 0.5, training=True)
    except NotImplementedError:
        raise
    except RuntimeError as exc:
        error = f"RuntimeError: {str(exc).strip().splitlines()[0]}"
        pytest.fail(says(call=call, lesson=lesson("layers.dropout_raised_on_meta", error=error)), pytrace=False)
    assert out.device == x.device and out.shape == x.shape, says(
        call=call, returned=shape_of(out), expected=shape_of(x), lesson=lesson("layers.dropout_mask_on_the_device_of_x")
    )


@pytest.mark.kata("layers.channel_dropout")
def test_channel_dropout_does_not_call_dropout2d(monkeypatch):
    library = [(F, "dropout1d"), (F, "dropout2d"), (F, "dropout3d"), (torch, "feature_dropout")]
    call = "channel_dropout(x (4, 8, 3, 3), 0.5, training=True)"
    forbid(monkeypatch, library, [nn.Dropout1d, nn.Dropout2d, nn.Dropout3d], call)
    x = torch.rand(4, 8, 3, 3) + 1.0
    out = layers.channel_dropout(x, 0.5, training=True)
    planes = (out / x).reshape(32, 9)
    whole = planes.eq(0).all(dim=1) | torch.isclose(planes, torch.tensor(2.0)).all(dim=1)
    assert tuple(out.shape) == (4, 8, 3, 3) and bool(whole.all()), says(
        call="channel_dropout(x (4, 8, 3, 3), 0.5, training=True)", returned=shape_of(out),
        expected="tensor (4, 8, 3, 3) float32 on cpu",
        lesson=lesson("layers.dropout_by_hand_still_whole_planes", mixed=int((~whole).sum())),
    )  # fmt: skip


# --- behaviour: Embedding --------------------------------------------------------------------------


@pytest.mark.kata("layers.embedding_by_hand")
def test_embedding_by_hand_matches_embedding():
    embedding = nn.Embedding(10, 4)
    indices = torch.tensor([[1, 2, 4, 5], [4, 3, 2, 9]])
    expected = embedding(indices).detach()
    call = describe_call(layers.embedding_by_hand, embedding.weight.detach(), indices)
    got = layers.embedding_by_hand(embedding.weight.detach().clone(), indices.clone())
    assert tuple(got.shape) == (2, 4, 4), says(
        call=call, returned=shape_of(got), expected="tensor (2, 4, 4)", lesson=lesson("layers.embedding_shape")
    )
    assert_tensors_close(
        got, expected,
        call=call,
        lesson=lesson("layers.embedding_picks_rows"),
    )  # fmt: skip


@pytest.mark.kata("layers.embedding_by_hand")
@pytest.mark.parametrize("bad", [5, -1], ids=["past-the-end", "negative"])
def test_embedding_by_hand_rejects_out_of_range_index(bad):
    raises_from(
        IndexError, layers.embedding_by_hand, torch.rand(5, 2), torch.tensor([0, bad]),
        call=f"embedding_by_hand(weight (5, 2), indices [0, {bad}])",
        lesson=lesson("layers.embedding_index_out_of_range"),
    )  # fmt: skip
    with raises(
        IndexError,
        call=f"nn.Embedding(5, 2)(torch.tensor([0, {bad}]))",
        lesson=lesson("layers.embedding_layer_refuses_it_too"),
    ):
        nn.Embedding(5, 2)(torch.tensor([0, bad]))  # nn.Embedding refuses negative indices too


@pytest.mark.kata("layers.embedding_by_hand")
@pytest.mark.parametrize("shape", [(), (5,), (2, 1, 3), (0,), (2, 0)], ids=["0d", "1d", "3d", "empty", "empty-2d"])
def test_embedding_by_hand_keeps_the_indices_shape(shape):
    weight = torch.randn(7, 3)
    indices = torch.randint(0, 7, shape)
    expected = F.embedding(indices, weight)
    got = layers.embedding_by_hand(weight.clone(), indices.clone())
    assert tuple(got.shape) == (*shape, 3), says(
        call=describe_call(layers.embedding_by_hand, weight, indices), returned=shape_of(got),
        expected=f"tensor {(*shape, 3)}", lesson=lesson("layers.embedding_shape"),
    )  # fmt: skip
    assert_tensors_equal(
        got, expected,
        call=describe_call(layers.embedding_by_hand, weight, indices),
        lesson=lesson("layers.embedding_picks_rows"),
    )  # fmt: skip


@pytest.mark.kata("layers.embedding_by_hand")
def test_embedding_by_hand_does_not_call_embedding(monkeypatch):
    weight, indices = torch.randn(6, 2), torch.tensor([[5, 0], [2, 2]])
    expected = F.embedding(indices, weight)
    call = describe_call(layers.embedding_by_hand, weight, indices)
    forbid(monkeypatch, [(F, "embedding"), (torch, "embedding")], [nn.Embedding], call)
    assert_tensors_equal(
        layers.embedding_by_hand(weight, indices), expected,
        call=describe_call(layers.embedding_by_hand, weight, indices),
        lesson=lesson("layers.embedding_by_hand_still_right"),
    )  # fmt: skip
