"""Kata 8 (katas/conv.py): F.conv2d on one image, convolution by hand, and the weight's shape."""

import pytest
import torch
import torch.nn.functional as F
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
from kata_impl import conv

# Phase.explain would list the library lines run only by failing cases: noise for a learner.
NO_EXPLAIN = [phase for phase in Phase if phase.name != "explain"]


def replace_conv2d(monkeypatch, replacement):
    """Put ``replacement`` wherever conv2d can be reached from: F.conv2d (nn.Conv2d calls it), torch.conv2d,
    and any name the kata module bound to it with ``from torch.nn.functional import conv2d``."""
    original = F.conv2d
    monkeypatch.setattr(F, "conv2d", replacement)
    monkeypatch.setattr(torch, "conv2d", replacement)
    for name, value in list(vars(conv).items()):
        if value is original:
            monkeypatch.setattr(conv, name, replacement)
    return original

IMAGE = torch.tensor(
    [[1, 2, 0, 3, 1], [0, 1, 2, 3, 1], [1, 2, 1, 0, 0], [5, 2, 3, 1, 1], [2, 1, 0, 1, 1]], dtype=torch.float32
)
KERNEL = torch.tensor([[1, 2, 1], [0, 1, 0], [2, 1, 0]], dtype=torch.float32)


# --- conv2d_single ---------------------------------------------------------------------------------


@pytest.mark.kata("conv.conv2d_single")
@pytest.mark.parametrize(
    ("stride", "expected"),
    [(1, [[10, 12, 12], [18, 16, 16], [13, 9, 3]]), (2, [[10, 12], [13, 3]])],
    ids=["stride-1", "stride-2"],
)
def test_conv2d_single_exact_values(stride, expected):
    result = conv.conv2d_single(IMAGE, KERNEL, stride=stride)
    assert_tensors_equal(
        result, torch.tensor(expected, dtype=torch.float32),
        call=f"conv2d_single(5x5 image, 3x3 kernel, stride={stride})",
        lesson="The kernel slides over the image unflipped (a cross-correlation), moving stride pixels at a time; "
        "the result is 2-D (H_out, W_out).",
    )  # fmt: skip


@pytest.mark.kata("conv.conv2d_single")
def test_conv2d_single_padding_keeps_size():
    result = conv.conv2d_single(IMAGE, KERNEL, padding=1)
    assert tuple(result.shape) == (5, 5), f"5x5 image, 3x3 kernel, padding=1 gave {shape_of(result)}"
    assert result[0, 0].item() == 1.0, "the top-left output sees only image[0:2, 0:2] against kernel[1:3, 1:3]: 1"


@pytest.mark.kata("conv.conv2d_single")
def test_conv2d_single_does_not_flip_the_kernel():
    result = conv.conv2d_single(torch.arange(9.0).reshape(3, 3), torch.tensor([[1.0, 0.0], [0.0, 0.0]]))
    assert_tensors_equal(
        result, torch.tensor([[0.0, 1.0], [3.0, 4.0]]),
        call="conv2d_single(torch.arange(9.0).reshape(3, 3), kernel [[1, 0], [0, 0]])",
        lesson="F.conv2d is a cross-correlation: the kernel is not flipped, so its top-left weight meets each "
        "window's top-left pixel.",
    )  # fmt: skip


@pytest.mark.kata("conv.conv2d_single")
@pytest.mark.parametrize(
    ("stride", "padding", "expected"),
    [((2, 1), 0, (3, 6)), (1, (1, 0), (8, 6)), ((1, 2), (0, 1), (6, 4))],
    ids=["stride-2-vertical", "padding-rows", "mixed"],
)
def test_conv2d_single_pairs_are_height_then_width(stride, padding, expected):
    result = conv.conv2d_single(torch.rand(6, 6), torch.ones(1, 1), stride=stride, padding=padding)
    assert tuple(result.shape) == expected, (
        f"Called conv2d_single(6x6 image, 1x1 kernel, stride={stride}, padding={padding}); got {shape_of(result)}, "
        f"expected {expected}: the first element of a pair acts on the height (rows)."
    )


@pytest.mark.kata("conv.conv2d_single")
@pytest.mark.parametrize(
    ("image_hw", "expected"),
    [((3, 3), [[36.0]]), ((3, 5), [[54.0, 63.0, 72.0]]), ((5, 3), [[36.0], [63.0], [90.0]])],
    ids=["1x1", "1xk", "kx1"],
)
def test_conv2d_single_keeps_an_output_side_of_one(image_hw, expected):
    height, width = image_hw
    image = torch.arange(height * width, dtype=torch.float32).reshape(height, width)
    result = conv.conv2d_single(image, torch.ones(3, 3))
    assert_tensors_equal(
        result, torch.tensor(expected),
        call=f"conv2d_single(torch.arange({height * width}.0).reshape({height}, {width}), torch.ones(3, 3))",
        lesson="The result is always 2-D (H_out, W_out), even when a side is 1: drop exactly the dimensions you "
        "added (by indexing, or squeeze with a dim); a squeeze with no dim also drops the output's own sides of 1.",
    )  # fmt: skip


@pytest.mark.kata("conv.conv2d_single")
@pytest.mark.parametrize(
    ("image_hw", "kernel_hw", "stride"),
    [((4, 6), (2, 3), 1), ((6, 4), (3, 2), (2, 1))],
    ids=["wide-kernel", "tall-kernel-stride-2-1"],
)
def test_conv2d_single_accepts_non_square_kernels(image_hw, kernel_hw, stride):
    image = torch.arange(image_hw[0] * image_hw[1], dtype=torch.float32).reshape(image_hw)
    kernel = torch.tensor([[1.0, 0.0, 2.0], [0.0, -1.0, 0.0], [3.0, 0.0, 1.0]])[: kernel_hw[0], : kernel_hw[1]]
    expected = F.conv2d(image[None, None], kernel[None, None], stride=stride)[0, 0]
    assert_tensors_equal(
        conv.conv2d_single(image, kernel, stride=stride), expected,
        call=f"conv2d_single(arange image {image_hw}, kernel {tuple(kernel.shape)} {kernel.tolist()}, "
        f"stride={stride})",
        lesson="Image and kernel need not be square: the kernel keeps its own (kH, kW) shape (kH rows, kW columns), "
        "and the result is what F.conv2d gives for them.",
    )  # fmt: skip


@pytest.mark.kata("conv.conv2d_single")
def test_conv2d_single_calls_conv2d(monkeypatch):
    calls = []

    def recording_conv2d(input, weight, *args, **kwargs):
        calls.append((tuple(input.shape), tuple(weight.shape)))
        return original(input, weight, *args, **kwargs)

    original = replace_conv2d(monkeypatch, recording_conv2d)
    result = conv.conv2d_single(IMAGE, KERNEL)
    assert calls, "Called conv2d_single(5x5 image, 3x3 kernel): it never called F.conv2d. This kata is about using it."
    assert calls[0][1] == (1, 1, 3, 3), (
        f"F.conv2d got a weight of shape {calls[0][1]}; a single kernel is (out_channels=1, in_channels=1, kH, kW)."
    )
    assert tuple(result.shape) == (3, 3), (
        f"conv2d_single returned {shape_of(result)}; drop the added dimensions: (3, 3)"
    )


# --- conv2d_manual ---------------------------------------------------------------------------------


@st.composite
def conv_cases(draw):
    groups = draw(st.sampled_from([1, 1, 2, 3]))
    c_in = groups * draw(st.integers(1, 2))
    c_out = groups * draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    h = draw(st.integers(max(1, dilation[0] * (kh - 1) + 1 - 2 * padding[0]), 9))
    w = draw(st.integers(max(1, dilation[1] * (kw - 1) + 1 - 2 * padding[1]), 9))
    n = draw(st.integers(1, 2))
    bias = draw(st.booleans())
    return n, c_in, c_out, h, w, (kh, kw), stride, padding, dilation, groups, bias


@pytest.mark.kata("conv.conv2d_manual")
@settings(max_examples=60, deadline=None, derandomize=True, database=None, phases=NO_EXPLAIN)
@given(case=conv_cases())
def test_conv2d_manual_matches_conv2d(case):
    n, c_in, c_out, h, w, kernel, stride, padding, dilation, groups, with_bias = case
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(n, c_in, h, w, generator=generator, dtype=torch.float64)
    weight = torch.randn(c_out, c_in // groups, *kernel, generator=generator, dtype=torch.float64)
    bias = torch.randn(c_out, generator=generator, dtype=torch.float64) if with_bias else None
    expected = F.conv2d(x, weight, bias, stride=stride, padding=padding, dilation=dilation, groups=groups)
    got = conv.conv2d_manual(x, weight, bias, stride=stride, padding=padding, dilation=dilation, groups=groups)
    assert_tensors_close(
        got, expected,
        call=f"conv2d_manual(x {tuple(x.shape)}, weight {tuple(weight.shape)}, bias={with_bias}, stride={stride}, "
        f"padding={padding}, dilation={dilation}, groups={groups})",
        lesson="The result must be what F.conv2d computes with the same arguments (the expected values): "
        "a cross-correlation with stride, padding, dilation, groups and bias.",
    )  # fmt: skip


@pytest.mark.kata("conv.conv2d_manual")
def test_conv2d_manual_tutorial_example_with_bias():
    got = conv.conv2d_manual(IMAGE.reshape(1, 1, 5, 5), KERNEL.reshape(1, 1, 3, 3), torch.tensor([1.0]))
    assert_tensors_equal(
        got[0, 0], torch.tensor([[11.0, 13, 13], [19, 17, 17], [14, 10, 4]]),
        call="conv2d_manual(5x5 image as (1, 1, 5, 5), 3x3 kernel as (1, 1, 3, 3), bias=[1.0]), output [0, 0]",
        lesson="The unflipped kernel slides over the image (a cross-correlation) and the bias is added once to "
        "every output value.",
    )  # fmt: skip


@pytest.mark.kata("conv.conv2d_manual")
def test_conv2d_manual_int_arguments_apply_to_both_dimensions():
    x, weight = torch.randn(1, 2, 7, 8), torch.randn(3, 2, 3, 3)
    got = conv.conv2d_manual(x, weight, stride=2, padding=1, dilation=1)
    assert_tensors_close(
        got, F.conv2d(x, weight, stride=2, padding=1),
        call=describe_call(conv.conv2d_manual, x, weight, stride=2, padding=1, dilation=1),
        lesson="An int stride, padding or dilation applies to both the height and the width, as in F.conv2d.",
    )  # fmt: skip


@pytest.mark.kata("conv.conv2d_manual")
def test_conv2d_manual_groups_keep_channel_groups_apart():
    x = torch.randn(1, 4, 5, 5)
    weight = torch.randn(4, 2, 3, 3)
    before = conv.conv2d_manual(x, weight, groups=2)
    x[:, 2:] += 100.0  # change only the second input group
    after = conv.conv2d_manual(x, weight, groups=2)
    assert_tensors_close(
        after[:, :2], before[:, :2],
        call="conv2d_manual(x (1, 4, 5, 5), weight (4, 2, 3, 3), groups=2) again after adding 100 to input group 1, "
        "output channels 0-1",
        lesson="Output group g only sees input group g: changing input group 1 must leave output group 0 as it was.",
    )  # fmt: skip
    assert not torch.allclose(after[:, 2:], before[:, 2:])


@pytest.mark.kata("conv.conv2d_manual")
def test_conv2d_manual_accepts_an_unbatched_3d_input():
    x, weight, bias = torch.randn(2, 5, 6), torch.randn(3, 2, 3, 3), torch.randn(3)
    got = conv.conv2d_manual(x, weight, bias, padding=(1, 0))
    expected = F.conv2d(x, weight, bias, padding=(1, 0))  # (3, 5, 4): no batch dimension comes back
    assert tuple(got.shape) == tuple(expected.shape), (
        f"Called conv2d_manual(x (2, 5, 6), weight (3, 2, 3, 3), padding=(1, 0)); it returned {shape_of(got)}, but "
        f"F.conv2d returns {tuple(expected.shape)}: a 3-D input is one unbatched (C, H, W) image."
    )
    assert_tensors_close(
        got, expected,
        call=describe_call(conv.conv2d_manual, x, weight, bias, padding=(1, 0)),
        lesson="An unbatched (C_in, H, W) input gives the unbatched (C_out, H_out, W_out) result F.conv2d gives.",
    )  # fmt: skip


@pytest.mark.kata("conv.conv2d_manual")
@pytest.mark.parametrize("shape", [(5, 5), (1, 1, 1, 5, 5)], ids=["2d-image", "5d"])
def test_conv2d_manual_rejects_other_ranks_with_runtime_error(shape):
    raises_from(
        RuntimeError, conv.conv2d_manual, torch.rand(shape), torch.rand(1, 1, 3, 3),
        lesson="The input x must be 3-D (C_in, H, W) or 4-D (N, C_in, H, W); any other number of dimensions raises "
        "RuntimeError, as F.conv2d does.",
    )  # fmt: skip
    with raises(
        RuntimeError,
        call=f"F.conv2d(x {shape}, weight (1, 1, 3, 3))",
        lesson="PyTorch refuses it too: F.conv2d takes 3-D or 4-D input only.",
    ):
        F.conv2d(torch.rand(shape), torch.rand(1, 1, 3, 3))  # PyTorch refuses it too: 3-D or 4-D only


@pytest.mark.kata("conv.conv2d_manual")
def test_conv2d_manual_does_not_call_conv2d(monkeypatch):
    x, weight = torch.randn(1, 1, 4, 4), torch.randn(1, 1, 2, 2)
    expected = F.conv2d(x, weight)

    def forbidden(*args, **kwargs):
        raise AssertionError("conv2d_manual must compute the convolution itself, not call conv2d")

    replace_conv2d(monkeypatch, forbidden)
    monkeypatch.setattr(nn.Conv2d, "forward", forbidden)
    assert_tensors_close(
        conv.conv2d_manual(x, weight), expected,
        call=describe_call(conv.conv2d_manual, x, weight),
        lesson="Computed by hand, without F.conv2d, torch.conv2d or nn.Conv2d, the result must still be F.conv2d's.",
    )  # fmt: skip


def convolution_operators_run_by(fn, *args, **kwargs):
    """Run ``fn`` and return (its result, the names of the convolution operators PyTorch ran meanwhile). Every
    convolution of PyTorch - F.conv2d, nn.Conv2d, torch.convolution, conv1d/conv3d, transposed ones - ends in an
    aten operator whose name contains "conv" (aten.convolution, or a backend's own such as mkldnn_convolution)."""
    from torch.utils._python_dispatch import TorchDispatchMode

    class Recorder(TorchDispatchMode):
        def __init__(self):
            super().__init__()
            self.names = []

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            self.names.append(str(func))
            return func(*args, **(kwargs or {}))

    with Recorder() as recorder:
        result = fn(*args, **kwargs)
    return result, sorted({name for name in recorder.names if "conv" in name.split(".")[1]})


@pytest.mark.kata("conv.conv2d_manual")
def test_conv2d_manual_runs_no_convolution_operator():
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(1, 4, 6, 5, generator=generator)
    weight, bias = torch.randn(4, 2, 3, 2, generator=generator), torch.randn(4, generator=generator)
    expected = F.conv2d(x, weight, bias, stride=(2, 1), padding=1, groups=2)
    got, convolutions = convolution_operators_run_by(
        conv.conv2d_manual, x, weight, bias, stride=(2, 1), padding=1, groups=2
    )
    assert not convolutions, (
        f"Called {describe_call(conv.conv2d_manual, x, weight, bias, stride=(2, 1), padding=1, groups=2)}. While it "
        f"ran, PyTorch ran the convolution operator(s) {convolutions}, but the tests expected none: the kata is to "
        "compute the convolution yourself, not to reach PyTorch's by another name (torch.convolution, conv3d, ...)."
    )
    assert_tensors_close(
        got, expected,
        call=describe_call(conv.conv2d_manual, x, weight, bias, stride=(2, 1), padding=1, groups=2),
        lesson="Computed by hand, the result must still be what F.conv2d gives for the same arguments.",
    )  # fmt: skip


@pytest.mark.kata("conv.conv2d_manual")
def test_conv2d_manual_accepts_an_empty_batch():
    x, weight, bias = torch.randn(0, 2, 5, 5), torch.randn(3, 2, 3, 3), torch.randn(3)
    expected = F.conv2d(x, weight, bias, padding=1)  # (0, 3, 5, 5): no image in, no image out
    try:
        got = conv.conv2d_manual(x, weight, bias, padding=1)
    except NotImplementedError:
        raise
    except (RuntimeError, ValueError, IndexError) as error:
        pytest.fail(
            f"Called conv2d_manual(x (0, 2, 5, 5), weight (3, 2, 3, 3), bias (3,), padding=1) - a batch of no images. "
            f"It raised {type(error).__name__}: {str(error)[:120]}, but the tests expected what F.conv2d returns, an "
            f"empty tensor of shape {tuple(expected.shape)} (torch.stack and torch.cat refuse an empty list)."
        )
    assert_tensors_equal(
        got, expected,
        call="conv2d_manual(x (0, 2, 5, 5), weight (3, 2, 3, 3), bias (3,), padding=1)",
        lesson="A batch of N = 0 images is legal: the result is F.conv2d's, an empty (0, C_out, H_out, W_out) tensor.",
    )  # fmt: skip


# --- conv_weight_shape -----------------------------------------------------------------------------


@pytest.mark.kata("conv.conv_weight_shape")
@pytest.mark.parametrize(
    ("in_channels", "out_channels", "kernel_size", "groups"),
    [(3, 32, 5, 1), (4, 8, 3, 2), (6, 6, (3, 1), 3), (8, 4, (1, 5), 4), (1, 20, 5, 1)],
    ids=["cifar-first-conv", "two-groups", "depthwise-rect", "four-groups", "note-example"],
)
def test_conv_weight_shape_matches_conv2d(in_channels, out_channels, kernel_size, groups):
    expected = tuple(nn.Conv2d(in_channels, out_channels, kernel_size, groups=groups).weight.shape)
    got = conv.conv_weight_shape(in_channels, out_channels, kernel_size, groups)
    assert isinstance(got, tuple) and all(type(v) is int for v in got), (
        f"Called conv_weight_shape({in_channels}, {out_channels}, {kernel_size}, groups={groups}); returned {got!r} "
        f"({', '.join(type(v).__name__ for v in got)}), but the tests expected a tuple of Python ints: "
        "in_channels / groups is a float, in_channels // groups an int."
    )
    assert tuple(got) == expected, (
        f"Called conv_weight_shape({in_channels}, {out_channels}, {kernel_size}, groups={groups}); returned {got}, "
        f"but nn.Conv2d's weight is {expected}: (out_channels, in_channels // groups, kH, kW)."
    )


@pytest.mark.kata("conv.conv_weight_shape")
@pytest.mark.parametrize(
    ("in_channels", "out_channels", "groups"),
    [(3, 6, 2), (6, 3, 2), (4, 6, 4), (6, 4, 4)],
    ids=["in-indivisible", "out-indivisible", "out-indivisible-4", "in-indivisible-4"],
)
def test_conv_weight_shape_rejects_indivisible_groups(in_channels, out_channels, groups):
    raises_from(
        ValueError, conv.conv_weight_shape, in_channels, out_channels, 3, groups=groups,
        lesson="Both in_channels and out_channels must be divisible by groups (each count is checked on its own, "
        "as nn.Conv2d does).",
    )  # fmt: skip
    with raises(
        ValueError,
        call=f"nn.Conv2d({in_channels}, {out_channels}, 3, groups={groups})",
        lesson="PyTorch refuses it too: nn.Conv2d rejects channel counts that groups does not divide.",
    ):
        nn.Conv2d(in_channels, out_channels, 3, groups=groups)  # nn.Conv2d refuses it the same way
