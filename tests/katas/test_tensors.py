"""Kata 1 (katas/tensors.py): picking a device, moving things to it, and torch.reshape."""

import pytest
import torch
from torch import nn

from kata_harness.testing import assert_tensors_equal, raises_from, shape_of
from kata_impl import tensors


# --- pick_device -----------------------------------------------------------------------------------


@pytest.mark.kata("tensors.pick_device")
@pytest.mark.parametrize(("cuda_available", "expected"), [(True, "cuda"), (False, "cpu")], ids=["cuda", "no-cuda"])
def test_pick_device_follows_cuda_availability(monkeypatch, cuda_available, expected):
    # Pretend the machine does (not) have a usable GPU: the answer must come from torch at call time.
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda_available)
    device = tensors.pick_device()
    assert isinstance(device, torch.device), (
        f"Called pick_device() with torch.cuda.is_available() == {cuda_available}. "
        f"It returned {device!r} ({type(device).__name__}), but the tests expected a torch.device."
    )
    assert device.type == expected, (
        f"Called pick_device() with torch.cuda.is_available() == {cuda_available}. "
        f"It returned {device!r}, but the tests expected torch.device({expected!r})."
    )


@pytest.mark.kata("tensors.pick_device")
def test_pick_device_matches_this_machine():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    device = tensors.pick_device()
    assert torch.device(device).type == expected, (
        f"Called pick_device() on this machine (CUDA available: {torch.cuda.is_available()}). "
        f"It returned {device!r}, but the tests expected {expected!r}."
    )


# --- to_device -------------------------------------------------------------------------------------


@pytest.mark.kata("tensors.to_device")
@pytest.mark.parametrize("device", ["cpu", pytest.param("cuda", marks=pytest.mark.cuda)])
def test_to_device_moves_tensor_and_keeps_values(device):
    x = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    moved = tensors.to_device(x, device)
    assert isinstance(moved, torch.Tensor), (
        f"Called to_device(tensor, {device!r}). It returned {moved!r}, but the tests expected the moved tensor: "
        "Tensor.to() does not move in place, so its result must be returned."
    )
    assert moved.device.type == device, f"Called to_device(tensor, {device!r}); the result is on {moved.device}."
    assert_tensors_equal(
        moved.cpu(), x,
        call=f"to_device(x, {device!r}), brought back with .cpu()",
        lesson="The moved tensor must keep x's shape, dtype and values: a move changes where it lives, not its data.",
    )  # fmt: skip


@pytest.mark.kata("tensors.to_device")
def test_to_device_returns_new_tensor_and_leaves_original():
    # The "meta" device holds shapes and dtypes but no data: a real move we can check without a GPU.
    x = torch.ones(4, 5, dtype=torch.float64)
    moved = tensors.to_device(x, "meta")
    assert isinstance(moved, torch.Tensor) and moved.device.type == "meta", (
        f"Called to_device(tensor on cpu, 'meta'). It returned {shape_of(moved)}, but the tests expected a tensor "
        "on the meta device."
    )
    assert (moved.shape, moved.dtype) == (x.shape, x.dtype), (
        f"Called to_device(x of {shape_of(x)}, 'meta'); it returned {shape_of(moved)}: shape and dtype must not change."
    )
    assert x.device.type == "cpu", "to_device must not change the original tensor's device (Tensor.to returns a copy)."


@pytest.mark.kata("tensors.to_device")
def test_to_device_moves_module_in_place():
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    moved = tensors.to_device(model, torch.device("meta"))
    assert moved is model, (
        f"Called to_device(module, 'meta'). It returned {type(moved).__name__}, but the tests expected the same "
        "module object back: Module.to moves parameters in place and returns self."
    )
    where = {name: t.device.type for name, t in [*model.named_parameters(), *model.named_buffers()]}
    assert set(where.values()) == {"meta"}, (
        f"Called to_device(Linear + BatchNorm1d, 'meta'). Its parameters and buffers are now on {where}, but the "
        "tests expected every one of them on meta: moving a module moves its buffers too (running statistics)."
    )


# --- reshape ---------------------------------------------------------------------------------------


@pytest.mark.kata("tensors.reshape")
@pytest.mark.parametrize(
    ("shape", "expected"),
    [((-1, 4), (3, 4)), ((2, -1, 3), (2, 2, 3)), ((12,), (12,)), ((-1,), (12,)), ((1, 1, -1), (1, 1, 12))],
    ids=["infer-rows", "infer-middle", "flat", "infer-flat", "leading-ones"],
)
def test_reshape_infers_minus_one_dimension(shape, expected):
    x = torch.arange(12)
    result = tensors.reshape(x, shape)
    assert tuple(result.shape) == expected, (
        f"Called reshape(arange(12), {shape}). It returned {shape_of(result)}, but the tests expected shape {expected}."
    )


@pytest.mark.kata("tensors.reshape")
def test_reshape_keeps_row_major_order():
    x = torch.tensor([[1, 2, 3], [4, 5, 6]])
    result = tensors.reshape(x, (3, 2))
    expected = torch.tensor([[1, 2], [3, 4], [5, 6]])
    assert_tensors_equal(
        result, expected,
        call="reshape([[1, 2, 3], [4, 5, 6]], (3, 2))",
        lesson="Elements keep their row-major (C) order: reshape reads them row by row "
        "(it is not a transpose, which would give [[1, 4], [2, 5], [3, 6]]).",
    )  # fmt: skip


@pytest.mark.kata("tensors.reshape")
def test_reshape_accepts_non_contiguous_input():
    # A transposed tensor cannot be re-viewed in general; reshape copies where view() would raise.
    x = torch.arange(6).reshape(2, 3).t()  # [[0, 3], [1, 4], [2, 5]], not contiguous
    result = tensors.reshape(x, (6,))
    assert_tensors_equal(
        result, torch.tensor([0, 3, 1, 4, 2, 5]),
        call="reshape(arange(6).reshape(2, 3).t(), (6,))",
        lesson="torch.reshape works for any tensor, contiguous or not: a transposed x is copied, its elements read "
        "in row-major order of the transposed shape.",
    )  # fmt: skip


@pytest.mark.kata("tensors.reshape")
def test_reshape_of_contiguous_input_is_a_view():
    x = torch.zeros(6)
    result = tensors.reshape(x, (2, 3))
    result[0, 0] = 7.0
    assert x[0].item() == 7.0, (
        "Called reshape on a contiguous tensor and wrote into the result; the original did not change. torch.reshape "
        "returns a view when it can (no copy), so writes must show through."
    )


@pytest.mark.kata("tensors.reshape")
def test_reshape_of_viewable_non_contiguous_input_is_a_view():
    # A slice of columns is not contiguous, yet (3, 2) -> (3, 1, 2) only adds a dimension: strides over the same
    # memory express it, so torch.reshape gives a view. Making x contiguous first would copy it.
    x = torch.zeros(3, 4)[:, :2]
    result = tensors.reshape(x, (3, 1, 2))
    assert tuple(result.shape) == (3, 1, 2), (
        f"Called reshape(torch.zeros(3, 4)[:, :2], (3, 1, 2)). It returned {shape_of(result)}, but the tests "
        "expected shape (3, 1, 2)."
    )
    result[2, 0, 1] = 7.0
    assert x[2, 1].item() == 7.0, (
        "Called reshape(torch.zeros(3, 4)[:, :2], (3, 1, 2)) - a non-contiguous slice of columns - and wrote 7 into "
        f"result[2, 0, 1]; x[2, 1] is still {x[2, 1].item()}, but the tests expected 7. torch.reshape gives a view "
        "whenever strides over x's memory can express the new shape, contiguous or not; copying first (e.g. "
        "making x contiguous) breaks that."
    )


@pytest.mark.kata("tensors.reshape")
@pytest.mark.parametrize("shape", [(4, 2), (-1, 4), (7,)], ids=["too-many", "minus-one-not-divisible", "flat-too-long"])
def test_reshape_rejects_impossible_shape(shape):
    # Only the type is checked: torch's wording changes between versions. The lesson is that reshape never
    # pads, drops or repeats elements: the element count must match.
    x = torch.arange(6)
    raises_from(
        RuntimeError, tensors.reshape, x, shape,
        call=f"reshape(arange(6), {shape})",
        lesson="6 elements cannot fill that shape, and reshape never pads, drops or repeats elements: an element "
        "count that differs from x.numel() (or a -1 that cannot be inferred) is an error.",
    )  # fmt: skip


@pytest.mark.kata("tensors.reshape")
@pytest.mark.parametrize("device", ["cpu", pytest.param("cuda", marks=pytest.mark.cuda)])
def test_reshape_keeps_device_and_dtype(device):
    x = torch.arange(8, dtype=torch.float16, device=device)
    result = tensors.reshape(x, (2, 2, 2))
    assert (result.device.type, result.dtype) == (device, torch.float16), (
        f"Called reshape(float16 tensor on {device}, (2, 2, 2)); it returned {shape_of(result)}."
    )


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
    result = tensors.flatten_per_sample(batch)
    assert tuple(result.shape) == expected, (
        f"Called flatten_per_sample(batch of shape {shape}). It returned {shape_of(result)}, "
        f"but the tests expected {expected}: one row per sample, even when N is 1. Keep N = batch.shape[0] and "
        "let -1 infer the row length; reshape(-1, k) infers N and is silently wrong whenever k is."
    )
    assert_tensors_equal(
        result, batch.reshape(expected),
        call=f"flatten_per_sample(batch of shape {shape})",
        lesson="The shape is right, but row i must hold batch[i]'s elements in row-major order.",
    )  # fmt: skip


@pytest.mark.kata("tensors.flatten_per_sample")
def test_flatten_per_sample_rows_are_the_samples():
    batch = torch.randn(3, 2, 4, 4, generator=torch.Generator().manual_seed(0)).permute(0, 2, 3, 1)  # not contiguous
    result = tensors.flatten_per_sample(batch)
    assert tuple(result.shape) == (3, 32), (
        f"Called flatten_per_sample(a permuted, non-contiguous batch of shape (3, 4, 4, 2)). It returned "
        f"{shape_of(result)}, but the tests expected (3, 32)."
    )
    for i in range(3):
        assert_tensors_equal(
            result[i], batch[i].flatten(),
            call=f"flatten_per_sample(a permuted, non-contiguous batch of shape (3, 4, 4, 2)), row {i}",
            lesson=f"Row {i} must hold batch[{i}]'s elements in row-major order, even for a non-contiguous batch.",
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
    answer = tensors.reshape_shares_storage(x, shape)
    assert answer is expected, (
        f"Called reshape_shares_storage(x of shape {tuple(x.shape)}, strides {x.stride()}, contiguous: "
        f"{x.is_contiguous()}; {shape}). It returned {answer!r} ({type(answer).__name__}), but the tests expected "
        f"the Python bool {expected}. Non-contiguous does not always mean copy: reshape copies only when no strides "
        "over the same memory give the new shape."
    )
    assert_tensors_equal(
        x, before,
        call=f"reshape_shares_storage(x, {shape}), then looked at x again",
        lesson="A question must not change what it asks about: x must keep its values "
        "(if you write into the result to find out, restore it).",
    )  # fmt: skip
