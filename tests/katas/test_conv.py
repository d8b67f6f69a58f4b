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
    tensors_match,
    lesson,
    raises,
    raises_from,
    says,
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

def matches(got, expected) -> bool:
    """Whether ``got`` passes the comparison assert_tensors_close makes against ``expected``."""
    return tensors_match(got, expected)


IMAGE = torch.tensor(
    [[1, 2, 0, 3, 1], [0, 1, 2, 3, 1], [1, 2, 1, 0, 0], [5, 2, 3, 1, 1], [2, 1, 0, 1, 1]], dtype=torch.float32
)
KERNEL = torch.tensor([[1, 2, 1], [0, 1, 0], [2, 1, 0]], dtype=torch.float32)


# --- conv2d_single ---------------------------------------------------------------------------------


def shape_or_none(value):
    return tuple(value.shape) if isinstance(value, torch.Tensor) else None


@pytest.mark.kata("conv.conv2d_single")
@pytest.mark.parametrize(
    ("stride", "expected"),
    [(1, [[10, 12, 12], [18, 16, 16], [13, 9, 3]]), (2, [[10, 12], [13, 3]])],
    ids=["stride-1", "stride-2"],
)
def test_conv2d_single_exact_values(stride, expected):
    call = describe_call(conv.conv2d_single, IMAGE, KERNEL, stride=stride)
    result = conv.conv2d_single(IMAGE.clone(), KERNEL.clone(), stride=stride)
    expected_shape = (len(expected), len(expected[0]))
    assert shape_or_none(result) == expected_shape, says(
        call=call, returned=shape_of(result), expected=str(expected_shape), lesson=lesson("conv.single_result_is_2d")
    )
    assert_tensors_equal(
        result, torch.tensor(expected, dtype=torch.float32), call=call, lesson=lesson("conv.single_cross_correlation"),
        picture=True, source=IMAGE,
    )


@pytest.mark.kata("conv.conv2d_single")
def test_conv2d_single_padding_keeps_size():
    call = describe_call(conv.conv2d_single, IMAGE, KERNEL, padding=1)
    result = conv.conv2d_single(IMAGE.clone(), KERNEL.clone(), padding=1)
    assert shape_or_none(result) == (5, 5), says(
        call=call, returned=shape_of(result), expected="(5, 5)", lesson=lesson("conv.single_padding_keeps_size")
    )
    corner = result[0, 0].item()
    assert corner == 1.0, says(call=call, lesson=lesson("conv.single_padded_corner", got=corner))


@pytest.mark.kata("conv.conv2d_single")
def test_conv2d_single_does_not_flip_the_kernel():
    result = conv.conv2d_single(torch.arange(9.0).reshape(3, 3), torch.tensor([[1.0, 0.0], [0.0, 0.0]]))
    assert_tensors_equal(
        result, torch.tensor([[0.0, 1.0], [3.0, 4.0]]),
        call="conv2d_single(torch.arange(9.0).reshape(3, 3), torch.tensor([[1.0, 0.0], [0.0, 0.0]]))",
        lesson=lesson("conv.single_not_flipped"), picture=True, source=torch.arange(9.0).reshape(3, 3),
    )  # fmt: skip


@pytest.mark.kata("conv.conv2d_single")
@pytest.mark.parametrize(
    ("stride", "padding", "expected"),
    [((2, 1), 0, (3, 6)), (1, (1, 0), (8, 6)), ((1, 2), (0, 1), (6, 4))],
    ids=["stride-2-vertical", "padding-rows", "mixed"],
)
def test_conv2d_single_pairs_are_height_then_width(stride, padding, expected):
    image, kernel = torch.rand(6, 6), torch.ones(1, 1)
    call = describe_call(conv.conv2d_single, image, kernel, stride=stride, padding=padding)
    result = conv.conv2d_single(image, kernel, stride=stride, padding=padding)
    assert shape_or_none(result) == expected, says(
        call=call, returned=shape_of(result), expected=str(expected), lesson=lesson("conv.single_pairs_height_first")
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
        lesson=lesson("conv.single_keeps_2d"),
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
        call=f"conv2d_single(torch.arange({image.numel()}.0).reshape{image_hw}, torch.tensor({kernel.tolist()}), "
        f"stride={stride})",
        lesson=lesson("conv.single_non_square"), picture=True, source=image,
    )  # fmt: skip


@pytest.mark.kata("conv.conv2d_single")
def test_conv2d_single_calls_conv2d(monkeypatch):
    calls = []

    def recording_conv2d(input, weight, *args, **kwargs):
        calls.append((tuple(input.shape), tuple(weight.shape)))
        return original(input, weight, *args, **kwargs)

    call = describe_call(conv.conv2d_single, IMAGE, KERNEL)
    original = replace_conv2d(monkeypatch, recording_conv2d)
    result = conv.conv2d_single(IMAGE.clone(), KERNEL.clone())
    assert calls, says(call=call, lesson=lesson("conv.single_calls_conv2d"))
    assert calls[0][1] == (1, 1, 3, 3), says(call=call, lesson=lesson("conv.single_weight_4d", got=calls[0][1]))
    assert shape_or_none(result) == (3, 3), says(
        call=call, returned=shape_of(result), expected="(3, 3)", lesson=lesson("conv.single_drop_added_dims")
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
    call = describe_call(
        conv.conv2d_manual, x, weight, bias, stride=stride, padding=padding, dilation=dilation, groups=groups
    )
    got = conv.conv2d_manual(x, weight, bias, stride=stride, padding=padding, dilation=dilation, groups=groups)
    assert_tensors_close(got, expected, call=call, lesson=lesson("conv.manual_matches_conv2d"))  # shrunk: no picture


@pytest.mark.kata("conv.conv2d_manual")
def test_conv2d_manual_edge_maps_of_a_square():
    # Feature maps to look at: a bright square under a vertical- and a horizontal-edge kernel, with a padding and a
    # stride that differ between height and width. A failure draws both maps, yours and F.conv2d's.
    x = torch.zeros(1, 1, 12, 12)
    x[..., 3:9, 4:10] = 1.0
    vertical = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    weight = torch.stack([vertical, vertical.T])[:, None]
    expected = F.conv2d(x, weight, stride=(1, 2), padding=(1, 2))
    call = describe_call(conv.conv2d_manual, x, weight, None, stride=(1, 2), padding=(1, 2))
    got = conv.conv2d_manual(x.clone(), weight.clone(), None, stride=(1, 2), padding=(1, 2))
    assert_tensors_close(
        got, expected, call=call, lesson=lesson("conv.manual_matches_conv2d"), picture="maps", source=x
    )


@pytest.mark.kata("conv.conv2d_manual")
def test_conv2d_manual_tutorial_example_with_bias():
    x, weight, bias = IMAGE.reshape(1, 1, 5, 5).clone(), KERNEL.reshape(1, 1, 3, 3).clone(), torch.tensor([1.0])
    call = f"{describe_call(conv.conv2d_manual, x, weight, bias)}[0, 0]"
    got = conv.conv2d_manual(x, weight, bias)
    assert_tensors_equal(
        got[0, 0], torch.tensor([[11.0, 13, 13], [19, 17, 17], [14, 10, 4]]),
        call=call, lesson=lesson("conv.manual_tutorial_example"), picture=True, source=IMAGE,
    )  # fmt: skip


@pytest.mark.kata("conv.conv2d_manual")
def test_conv2d_manual_int_arguments_apply_to_both_dimensions():
    generator = torch.Generator().manual_seed(0)
    x, weight = torch.randn(1, 2, 7, 8, generator=generator), torch.randn(3, 2, 3, 3, generator=generator)
    expected = F.conv2d(x, weight, stride=2, padding=1)
    call = describe_call(conv.conv2d_manual, x, weight, stride=2, padding=1, dilation=1)
    got = conv.conv2d_manual(x.clone(), weight.clone(), stride=2, padding=1, dilation=1)
    # Name only what is observed: blame the ints only when the same call with pairs is right.
    pairs_right = False
    if not matches(got, expected):
        with_pairs = conv.conv2d_manual(x.clone(), weight.clone(), stride=(2, 2), padding=(1, 1), dilation=(1, 1))
        pairs_right = matches(with_pairs, expected)
    assert_tensors_close(
        got, expected, call=call,
        lesson=lesson("conv.manual_int_applies_to_both") if pairs_right else lesson("conv.manual_int_values_differ"),
    )  # fmt: skip


@pytest.mark.kata("conv.conv2d_manual")
def test_conv2d_manual_groups_keep_channel_groups_apart():
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(1, 4, 5, 5, generator=generator)
    weight = torch.randn(4, 2, 3, 3, generator=generator)
    changed = x.clone()
    changed[:, 2:] += 100.0  # change only the second input group
    call = describe_call(conv.conv2d_manual, x, weight, groups=2)
    before = conv.conv2d_manual(x, weight.clone(), groups=2)
    after = conv.conv2d_manual(changed, weight.clone(), groups=2)
    assert_tensors_close(
        after[:, :2], before[:, :2], call=f"{call}[:, :2]", lesson=lesson("conv.manual_groups_apart")
    )
    assert not torch.allclose(after[:, 2:], before[:, 2:]), says(
        call=f"{call}[:, 2:]", lesson=lesson("conv.manual_groups_see_their_input")
    )


@pytest.mark.kata("conv.conv2d_manual")
def test_conv2d_manual_accepts_an_unbatched_3d_input():
    x, weight, bias = torch.randn(2, 5, 6), torch.randn(3, 2, 3, 3), torch.randn(3)
    expected = F.conv2d(x, weight, bias, padding=(1, 0))  # (3, 5, 4): no batch dimension comes back
    call = describe_call(conv.conv2d_manual, x, weight, bias, padding=(1, 0))
    got = conv.conv2d_manual(x.clone(), weight.clone(), bias.clone(), padding=(1, 0))
    assert shape_or_none(got) == tuple(expected.shape), says(
        call=call, returned=shape_of(got), expected=str(tuple(expected.shape)),
        lesson=lesson("conv.manual_unbatched_shape"),
    )  # fmt: skip
    assert_tensors_close(got, expected, call=call, lesson=lesson("conv.manual_unbatched_values"))


@pytest.mark.kata("conv.conv2d_manual")
@pytest.mark.parametrize("shape", [(5, 5), (1, 1, 1, 5, 5)], ids=["2d-image", "5d"])
def test_conv2d_manual_rejects_other_ranks_with_runtime_error(shape):
    raises_from(
        RuntimeError, conv.conv2d_manual, torch.rand(shape), torch.rand(1, 1, 3, 3), lesson=lesson("conv.manual_rank")
    )
    with raises(
        RuntimeError, call=f"F.conv2d(torch.rand{shape}, torch.rand(1, 1, 3, 3))",
        lesson=lesson("conv.manual_rank_pytorch_too"),
    ):  # fmt: skip
        F.conv2d(torch.rand(shape), torch.rand(1, 1, 3, 3))  # PyTorch refuses it too: 3-D or 4-D only


@pytest.mark.kata("conv.conv2d_manual")
def test_conv2d_manual_does_not_call_conv2d(monkeypatch):
    x, weight = torch.randn(1, 1, 4, 4), torch.randn(1, 1, 2, 2)
    expected = F.conv2d(x, weight)

    def forbidden(*args, **kwargs):
        raise AssertionError(lesson("conv.manual_no_conv2d_called"))

    replace_conv2d(monkeypatch, forbidden)
    monkeypatch.setattr(nn.Conv2d, "forward", forbidden)
    assert_tensors_close(
        conv.conv2d_manual(x, weight), expected,
        call=describe_call(conv.conv2d_manual, x, weight),
        lesson=lesson("conv.manual_by_hand"),
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
    call = describe_call(conv.conv2d_manual, x, weight, bias, stride=(2, 1), padding=1, groups=2)
    assert not convolutions, says(
        call=call, lesson=lesson("conv.manual_no_convolution_operator", operators=convolutions)
    )
    assert_tensors_close(got, expected, call=call, lesson=lesson("conv.manual_by_hand_same_result"))


@pytest.mark.kata("conv.conv2d_manual")
def test_conv2d_manual_accepts_an_empty_batch():
    x, weight, bias = torch.randn(0, 2, 5, 5), torch.randn(3, 2, 3, 3), torch.randn(3)
    expected = F.conv2d(x, weight, bias, padding=1)  # (0, 3, 5, 5): no image in, no image out
    call = describe_call(conv.conv2d_manual, x, weight, bias, padding=1)
    try:
        got = conv.conv2d_manual(x, weight, bias, padding=1)
    except NotImplementedError:
        raise
    except (RuntimeError, ValueError, IndexError) as error:
        error_text = f"{type(error).__name__}: {str(error)[:120]}"
        pytest.fail(
            says(
                call=call,
                lesson=lesson("conv.manual_empty_batch_raised", error=error_text, shape=tuple(expected.shape)),
            ),
            pytrace=False,
        )
    assert_tensors_equal(got, expected, call=call, lesson=lesson("conv.manual_empty_batch"))


# --- conv_weight_shape -----------------------------------------------------------------------------


@pytest.mark.kata("conv.conv_weight_shape")
@pytest.mark.parametrize(
    ("in_channels", "out_channels", "kernel_size", "groups"),
    [(3, 32, 5, 1), (4, 8, 3, 2), (6, 6, (3, 1), 3), (8, 4, (1, 5), 4), (1, 20, 5, 1)],
    ids=["cifar-first-conv", "two-groups", "depthwise-rect", "four-groups", "note-example"],
)
def test_conv_weight_shape_matches_conv2d(in_channels, out_channels, kernel_size, groups):
    expected = tuple(nn.Conv2d(in_channels, out_channels, kernel_size, groups=groups).weight.shape)
    call = f"conv_weight_shape({in_channels}, {out_channels}, {kernel_size}, groups={groups})"
    got = conv.conv_weight_shape(in_channels, out_channels, kernel_size, groups)
    items = list(got) if isinstance(got, (tuple, list, torch.Size)) else []
    kinds = ", ".join(type(v).__name__ for v in items)
    returned = f"{got!r} ({type(got).__name__}[{kinds}])" if items else repr(got)
    if not (isinstance(got, tuple) and all(type(v) is int for v in got)):
        floats = any(isinstance(v, float) for v in items)
        why = lesson("conv.weight_shape_true_division") if floats else lesson("conv.weight_shape_python_ints")
        pytest.fail(says(call=call, returned=returned, expected=str(expected), lesson=why), pytrace=False)
    assert tuple(got) == expected, says(
        call=call, returned=str(got), expected=str(expected),
        lesson=lesson(
            "conv.weight_shape_layout", in_channels=in_channels, out_channels=out_channels, kernel_size=kernel_size,
            groups=groups,
        ),
    )  # fmt: skip


@pytest.mark.kata("conv.conv_weight_shape")
@pytest.mark.parametrize(
    ("in_channels", "out_channels", "groups"),
    [(3, 6, 2), (6, 3, 2), (4, 6, 4), (6, 4, 4)],
    ids=["in-indivisible", "out-indivisible", "out-indivisible-4", "in-indivisible-4"],
)
def test_conv_weight_shape_rejects_indivisible_groups(in_channels, out_channels, groups):
    raises_from(
        ValueError, conv.conv_weight_shape, in_channels, out_channels, 3, groups=groups,
        lesson=lesson("conv.weight_shape_groups_divide"),
    )  # fmt: skip
    with raises(
        ValueError, call=f"nn.Conv2d({in_channels}, {out_channels}, 3, groups={groups})",
        lesson=lesson("conv.weight_shape_pytorch_too"),
    ):  # fmt: skip
        nn.Conv2d(in_channels, out_channels, 3, groups=groups)  # nn.Conv2d refuses it the same way
