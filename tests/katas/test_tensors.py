"""Kata 1 (katas/tensors.py): picking a device, moving things to it, and torch.reshape."""

import pytest
import torch
from torch import nn

from kata_harness.testing import assert_tensors_equal, describe_call, lesson, raises_from, says, shape_of
from kata_impl import tensors


# --- pick_device -----------------------------------------------------------------------------------


@pytest.mark.kata("tensors.pick_device")
@pytest.mark.parametrize(("cuda_available", "expected"), [(True, "cuda"), (False, "cpu")], ids=["cuda", "no-cuda"])
def test_pick_device_follows_cuda_availability(monkeypatch, cuda_available, expected):
    # Pretend the machine does (not) have a usable GPU: the answer must come from torch at call time.
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda_available)
    device = tensors.pick_device()
    assert isinstance(device, torch.device), says(
        call="pick_device()", returned=f"{device!r} ({type(device).__name__})", expected="torch.device",
        lesson=lesson("tensors.pick_device_returns_a_device", available=cuda_available),
    )  # fmt: skip
    assert device.type == expected, says(
        call="pick_device()", returned=repr(device), expected=f"torch.device({expected!r})",
        lesson=lesson("tensors.pick_device_follows_cuda", available=cuda_available),
    )  # fmt: skip


@pytest.mark.kata("tensors.pick_device")
def test_pick_device_matches_this_machine():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    device = tensors.pick_device()
    assert torch.device(device).type == expected, says(
        call="pick_device()", returned=repr(device), expected=repr(expected),
        lesson=lesson("tensors.pick_device_this_machine", available=torch.cuda.is_available()),
    )  # fmt: skip


# --- to_device -------------------------------------------------------------------------------------


@pytest.mark.kata("tensors.to_device")
@pytest.mark.parametrize("device", ["cpu", pytest.param("cuda", marks=pytest.mark.cuda)])
def test_to_device_moves_tensor_and_keeps_values(device):
    x = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    original = x.clone()
    call = f"to_device(x, {device!r})"
    moved = tensors.to_device(x, device)
    assert isinstance(moved, torch.Tensor), says(
        call=call, returned=shape_of(moved), expected="torch.Tensor", lesson=lesson("tensors.to_device_returns_result")
    )
    assert moved.device.type == device, says(
        call=call, returned=shape_of(moved),
        lesson=lesson("tensors.to_device_wrong_device", got=moved.device, device=device),
    )  # fmt: skip
    assert_tensors_equal(moved.cpu(), original, call=f"{call}.cpu()", lesson=lesson("tensors.to_device_keeps_data"))


@pytest.mark.kata("tensors.to_device")
def test_to_device_returns_new_tensor_and_leaves_original():
    # The "meta" device holds shapes and dtypes but no data: a real move we can check without a GPU.
    x = torch.ones(4, 5, dtype=torch.float64)
    expected = shape_of(torch.empty(4, 5, dtype=torch.float64, device="meta"))
    call = "to_device(x, 'meta')"
    moved = tensors.to_device(x, "meta")
    assert isinstance(moved, torch.Tensor), says(
        call=call, returned=shape_of(moved), expected=expected, lesson=lesson("tensors.to_device_returns_result")
    )
    assert moved.device.type == "meta", says(
        call=call, returned=shape_of(moved), expected=expected,
        lesson=lesson("tensors.to_device_returns_result")
        if moved is x
        else lesson("tensors.to_device_wrong_device", got=moved.device, device="meta"),
    )  # fmt: skip
    assert (moved.shape, moved.dtype) == (x.shape, x.dtype), says(
        call=call, returned=shape_of(moved), expected=expected, lesson=lesson("tensors.to_device_keeps_shape_and_dtype")
    )
    assert x.device.type == "cpu", says(call=call, lesson=lesson("tensors.to_device_leaves_original", got=x.device))


@pytest.mark.kata("tensors.to_device")
def test_to_device_moves_module_in_place():
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    call = "to_device(nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4)), torch.device('meta'))"
    moved = tensors.to_device(model, torch.device("meta"))
    assert moved is model, says(
        call=call, returned=shape_of(moved), expected="model", lesson=lesson("tensors.to_device_returns_the_module")
    )
    where = {name: t.device.type for name, t in [*model.named_parameters(), *model.named_buffers()]}
    assert set(where.values()) == {"meta"}, says(
        call=call, lesson=lesson("tensors.to_device_moves_buffers", where=where)
    )


# --- reshape ---------------------------------------------------------------------------------------


def shape_or_none(value):
    return tuple(value.shape) if isinstance(value, torch.Tensor) else None


@pytest.mark.kata("tensors.reshape")
@pytest.mark.parametrize(
    ("shape", "expected"),
    [((-1, 4), (3, 4)), ((2, -1, 3), (2, 2, 3)), ((12,), (12,)), ((-1,), (12,)), ((1, 1, -1), (1, 1, 12))],
    ids=["infer-rows", "infer-middle", "flat", "infer-flat", "leading-ones"],
)
def test_reshape_infers_minus_one_dimension(shape, expected):
    x = torch.arange(12)
    result = tensors.reshape(x, shape)
    assert shape_or_none(result) == expected, says(
        call=f"reshape(torch.arange(12), {shape})", returned=shape_of(result), expected=str(expected),
        lesson=lesson("tensors.reshape_infers_minus_one"),
    )  # fmt: skip


@pytest.mark.kata("tensors.reshape")
def test_reshape_keeps_row_major_order():
    x = torch.tensor([[1, 2, 3], [4, 5, 6]])
    result = tensors.reshape(x, (3, 2))
    expected = torch.tensor([[1, 2], [3, 4], [5, 6]])
    assert_tensors_equal(
        result, expected,
        call="reshape(torch.tensor([[1, 2, 3], [4, 5, 6]]), (3, 2))",
        lesson=lesson("tensors.reshape_row_major"),
    )  # fmt: skip


@pytest.mark.kata("tensors.reshape")
def test_reshape_accepts_non_contiguous_input():
    # A transposed tensor cannot be re-viewed in general; reshape copies where view() would raise.
    x = torch.arange(6).reshape(2, 3).t()  # [[0, 3], [1, 4], [2, 5]], not contiguous
    result = tensors.reshape(x, (6,))
    assert_tensors_equal(
        result, torch.tensor([0, 3, 1, 4, 2, 5]),
        call="reshape(torch.arange(6).reshape(2, 3).t(), (6,))",
        lesson=lesson("tensors.reshape_any_layout"),
    )  # fmt: skip


@pytest.mark.kata("tensors.reshape")
def test_reshape_of_contiguous_input_is_a_view():
    x = torch.zeros(6)
    result = tensors.reshape(x, (2, 3))
    result[0, 0] = 7.0
    assert x[0].item() == 7.0, says(
        call="reshape(torch.zeros(6), (2, 3))", lesson=lesson("tensors.reshape_view_of_contiguous", got=x[0].item())
    )


@pytest.mark.kata("tensors.reshape")
def test_reshape_of_viewable_non_contiguous_input_is_a_view():
    # A slice of columns is not contiguous, yet (3, 2) -> (3, 1, 2) only adds a dimension: strides over the same
    # memory express it, so torch.reshape gives a view. Making x contiguous first would copy it.
    x = torch.zeros(3, 4)[:, :2]
    call = "reshape(torch.zeros(3, 4)[:, :2], (3, 1, 2))"
    result = tensors.reshape(x, (3, 1, 2))
    assert shape_or_none(result) == (3, 1, 2), says(
        call=call, returned=shape_of(result), expected="(3, 1, 2)",
        lesson=lesson("tensors.reshape_keeps_a_dimension_of_one"),
    )
    result[2, 0, 1] = 7.0
    assert x[2, 1].item() == 7.0, says(call=call, lesson=lesson("tensors.reshape_view_of_strided", got=x[2, 1].item()))


@pytest.mark.kata("tensors.reshape")
@pytest.mark.parametrize("shape", [(4, 2), (-1, 4), (7,)], ids=["too-many", "minus-one-not-divisible", "flat-too-long"])
def test_reshape_rejects_impossible_shape(shape):
    # Only the type is checked: torch's wording changes between versions. The lesson is that reshape never
    # pads, drops or repeats elements: the element count must match.
    x = torch.arange(6)
    raises_from(
        RuntimeError, tensors.reshape, x, shape,
        call=f"reshape(torch.arange(6), {shape})", lesson=lesson("tensors.reshape_count_must_match"),
    )  # fmt: skip


@pytest.mark.kata("tensors.reshape")
@pytest.mark.parametrize("device", ["cpu", pytest.param("cuda", marks=pytest.mark.cuda)])
def test_reshape_keeps_device_and_dtype(device):
    x = torch.arange(8, dtype=torch.float16, device=device)
    expected = shape_of(torch.empty(2, 2, 2, dtype=torch.float16, device=device))
    result = tensors.reshape(x, (2, 2, 2))
    assert (result.device.type, result.dtype) == (device, torch.float16), says(
        call=f"reshape(torch.arange(8, dtype=torch.float16, device={device!r}), (2, 2, 2))",
        returned=shape_of(result), expected=expected, lesson=lesson("tensors.reshape_keeps_dtype_and_device"),
    )  # fmt: skip


# --- flatten_per_sample ----------------------------------------------------------------------------


@pytest.mark.kata("tensors.flatten_per_sample")
@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ((4, 3, 2, 2), (4, 12)),
        ((1, 64, 4, 4), (1, 1024)),
        # 1024 elements, like CifarNet's (1, 64, 4, 4) features: a hard-coded reshape(-1, 1024) silently gives 1 row.
        ((4, 16, 4, 4), (4, 256)),
        # 16 * 1024 elements: reshape(-1, 1024) gives 16 rows - the right N by luck, but rows mixing samples.
        ((16, 64, 2, 2), (16, 256)),
        # 2 * 3 * 4 elements: reshape(-1, channels) gives 8 rows, reshape(-1, last dim) gives 6.
        ((2, 3, 4), (2, 12)),
        ((5, 7), (5, 7)),
        ((2, 1, 1, 1), (2, 1)),
        ((1, 1), (1, 1)),
    ],
    ids=["batch-4", "batch-1-cifar-features", "1024-elements", "16x1024-elements", "3-d", "already-flat",
         "singleton-dims", "one-element"],
)  # fmt: skip
def test_flatten_per_sample_keeps_batch_dimension(shape, expected):
    batch = torch.randn(shape, generator=torch.Generator().manual_seed(0))
    wanted = batch.reshape(expected).clone()
    call = describe_call(tensors.flatten_per_sample, batch)
    result = tensors.flatten_per_sample(batch)
    assert shape_or_none(result) == expected, says(
        call=call, returned=shape_of(result), expected=str(expected),
        lesson=lesson("tensors.flatten_one_row_per_sample"),
    )
    assert_tensors_equal(result, wanted, call=call, lesson=lesson("tensors.flatten_row_holds_sample"))


@pytest.mark.kata("tensors.flatten_per_sample")
def test_flatten_per_sample_rows_are_the_samples():
    batch = torch.randn(3, 2, 4, 4, generator=torch.Generator().manual_seed(0)).permute(0, 2, 3, 1)  # not contiguous
    rows = [batch[i].flatten().clone() for i in range(3)]
    call = "flatten_per_sample(torch.randn(3, 2, 4, 4).permute(0, 2, 3, 1))"
    result = tensors.flatten_per_sample(batch)
    assert shape_or_none(result) == (3, 32), says(
        call=call, returned=shape_of(result), expected="(3, 32)", lesson=lesson("tensors.flatten_non_contiguous_batch")
    )
    for i in range(3):
        assert_tensors_equal(
            result[i], rows[i],
            call=f"{call}[{i}]", lesson=lesson("tensors.flatten_row_of_non_contiguous_batch", i=i),
        )  # fmt: skip


# --- reshape_shares_storage ------------------------------------------------------------------------


@pytest.mark.kata("tensors.reshape_shares_storage")
@pytest.mark.parametrize(
    ("make", "shape", "expected"),
    [
        (lambda: torch.arange(12), (3, 4), True),
        (lambda: torch.arange(12)[2:], (2, 5), True),
        (lambda: torch.arange(6).reshape(2, 3).t(), (6,), False),
        (lambda: torch.arange(24).reshape(2, 3, 4).permute(2, 0, 1), (24,), False),
        (lambda: torch.arange(24).reshape(2, 3, 4).permute(2, 0, 1), (4, 6), True),
        (lambda: torch.arange(6).reshape(2, 3).t(), (3, 2), True),
        (lambda: torch.arange(12).reshape(3, 4)[:, :2], (3, 1, 2), True),
    ],
    ids=["contiguous", "contiguous-slice", "transposed", "permuted-flat", "permuted-mergeable", "transposed-same-shape", "sliced-columns"],
)
def test_reshape_shares_storage_tells_view_from_copy(make, shape, expected):
    x = make()
    before = x.clone()
    strides, contiguous = x.stride(), x.is_contiguous()
    call = describe_call(tensors.reshape_shares_storage, x, shape)
    answer = tensors.reshape_shares_storage(x, shape)
    returned = f"{answer!r} ({type(answer).__name__})"
    assert isinstance(answer, bool), says(
        call=call, returned=returned, expected=f"{expected} (bool)",
        lesson=lesson("tensors.shares_storage_python_bool", kind=type(answer).__name__),
    )  # fmt: skip
    assert answer is expected, says(
        call=call, returned=returned, expected=f"{expected} (bool)",
        lesson=lesson("tensors.shares_storage_answer", strides=strides, contiguous=contiguous),
    )  # fmt: skip
    assert_tensors_equal(x, before, call=call, lesson=lesson("tensors.shares_storage_leaves_x"))
