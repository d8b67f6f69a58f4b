"""Kata 10 (katas/losses.py): L1, MSE, SmoothL1 and CrossEntropy, each checked against its formula."""

import math
import warnings

import pytest
import torch

from kata_harness.testing import assert_tensors_close, shape_of
from kata_impl import losses

PREDICTION = torch.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 4.0]])
TARGET = torch.tensor([[1.0, 2.5, 5.0], [0.0, 1.0, 3.0]])
DIFF = PREDICTION - TARGET  # [[0, -0.5, -2], [0.5, -2, 1]]


def reduce(values, reduction):
    return {"mean": values.mean(), "sum": values.sum(), "none": values}[reduction]


REDUCTIONS = pytest.mark.parametrize("reduction", ["mean", "sum", "none"])


# --- L1Loss and MSELoss ----------------------------------------------------------------------------


@pytest.mark.kata("losses.l1_loss")
@REDUCTIONS
def test_l1_loss_formula(reduction):
    got = losses.l1_loss(PREDICTION, TARGET, reduction)
    expected = reduce(DIFF.abs(), reduction)  # mean: (0 + .5 + 2 + .5 + 2 + 1) / 6 = 1.0
    assert_tensors_close(
        got, expected,
        call=f"l1_loss(prediction (2, 3), target (2, 3), reduction={reduction!r})",
        lesson=f"The L1 loss is |prediction - target| per element, then reduced with reduction={reduction!r} "
        "('mean': the average over all elements, 'sum': their sum, 'none': the per-element tensor).",
    )  # fmt: skip


@pytest.mark.kata("losses.l1_loss")
def test_l1_loss_default_reduction_is_mean():
    assert losses.l1_loss(PREDICTION, TARGET).item() == pytest.approx(1.0)


@pytest.mark.kata("losses.l1_loss")
def test_l1_loss_shape_mismatch_broadcasts_to_a_wrong_value():
    # The lesson is the wrong number, not torch's warning: a loss written out by hand broadcasts the same way.
    prediction, target = torch.tensor([[1.0], [2.0], [3.0]]), torch.tensor([1.0, 2.0, 3.0])
    assert losses.l1_loss(prediction.squeeze(1), target).item() == 0.0, "with matching shapes the loss is 0"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch's broadcast warning, when the loss is torch's
        wrong = losses.l1_loss(prediction, target)
    assert wrong.item() == pytest.approx(8 / 9), (
        f"Called l1_loss(prediction of shape (3, 1), target of shape (3,)). It returned {wrong.item():.4f}, but the "
        "tests expected 8/9: the shapes broadcast to (3, 3) and the mean of |i - j| over those 9 pairs is taken. "
        "Use the tensors unchanged - the lesson is that a shape mismatch gives a wrong number."
    )


@pytest.mark.kata("losses.mse_loss")
@REDUCTIONS
def test_mse_loss_formula(reduction):
    got = losses.mse_loss(PREDICTION, TARGET, reduction)
    assert_tensors_close(
        got, reduce(DIFF**2, reduction),
        call=f"mse_loss(prediction (2, 3), target (2, 3), reduction={reduction!r})",
        lesson=f"The MSE loss is (prediction - target)^2 per element, then reduced with reduction={reduction!r} "
        "as in l1_loss ('mean': the average, 'sum': the sum, 'none': per element).",
    )  # fmt: skip


@pytest.mark.kata("losses.mse_loss")
def test_mse_loss_default_reduction_is_mean():
    got = losses.mse_loss(PREDICTION, TARGET)
    assert_tensors_close(
        got, (DIFF**2).mean(),
        call="mse_loss(prediction (2, 3), target (2, 3))",
        lesson="With no reduction given, mse_loss averages: 'mean' is the default.",
    )  # fmt: skip


@pytest.mark.kata("losses.mse_loss")
def test_mse_loss_is_differentiable():
    prediction = PREDICTION.clone().requires_grad_(True)
    losses.mse_loss(prediction, TARGET).backward()
    assert_tensors_close(
        prediction.grad, 2 * DIFF / DIFF.numel(),
        call="mse_loss(prediction (2, 3) requiring grad, target (2, 3)).backward(), then prediction.grad",
        lesson="The result is differentiable: backward() through the mean gives prediction the gradient "
        "2 * (prediction - target) / number_of_elements.",
    )  # fmt: skip


# --- SmoothL1Loss ----------------------------------------------------------------------------------


def smooth_l1(diff, beta):
    if beta == 0:
        return diff.abs().mean()
    quadratic = 0.5 * diff**2 / beta
    return torch.where(diff.abs() < beta, quadratic, diff.abs() - 0.5 * beta).mean()


@pytest.mark.kata("losses.smooth_l1_loss")
@pytest.mark.parametrize("beta", [1.0, 0.5, 2.0, 3.0])
def test_smooth_l1_loss_formula(beta):
    got = losses.smooth_l1_loss(PREDICTION, TARGET, beta)
    assert_tensors_close(
        got, smooth_l1(DIFF, beta),
        call=f"smooth_l1_loss(prediction (2, 3), target (2, 3), beta={beta})",
        lesson="Per element, 0.5 * d^2 / beta where |d| < beta, else |d| - 0.5 * beta, averaged: the loss turns "
        f"from quadratic to linear at beta={beta}, not always at 1.",
    )  # fmt: skip


@pytest.mark.kata("losses.smooth_l1_loss")
def test_smooth_l1_loss_beta_zero_is_l1():
    assert_tensors_close(
        losses.smooth_l1_loss(PREDICTION, TARGET, 0.0), DIFF.abs().mean(),
        call="smooth_l1_loss(prediction (2, 3), target (2, 3), beta=0.0)",
        lesson="beta = 0 makes it exactly the L1 loss: the mean of |prediction - target|.",
    )  # fmt: skip


@pytest.mark.kata("losses.smooth_l1_loss")
@pytest.mark.parametrize(
    ("d", "expected"), [(0.5, 0.125), (2.0, 1.5), (-3.0, 2.5)], ids=["quadratic", "linear", "negative"]
)
def test_smooth_l1_loss_single_element(d, expected):
    got = losses.smooth_l1_loss(torch.tensor([d]), torch.tensor([0.0]), 1.0)
    assert got.item() == pytest.approx(expected), f"one element with difference {d}, beta 1: got {got.item()}"


# --- CrossEntropyLoss ------------------------------------------------------------------------------


def ce_by_hand(logits, target, weight=None):
    """Per-sample -log softmax(logits)[target], averaged (weighted by weight[target] when given)."""
    log_probs = logits - torch.logsumexp(logits, dim=1, keepdim=True)
    picked = -log_probs.gather(1, target.unsqueeze(1)).squeeze(1)
    if weight is None:
        return picked.mean()
    w = weight[target]
    return (w * picked).sum() / w.sum()


LOGITS = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0], [1.0, 1.0, 1.0], [-2.0, 4.0, 0.0]])
LABELS = torch.tensor([0, 2, 1, 1])


@pytest.mark.kata("losses.cross_entropy")
def test_cross_entropy_takes_logits_not_probabilities():
    got = losses.cross_entropy(LOGITS, LABELS)
    expected = ce_by_hand(LOGITS, LABELS)
    assert_tensors_close(
        got, expected,
        call=f"cross_entropy(logits (4, 3), {LABELS.tolist()})",
        lesson="The logits are raw scores, not probabilities: the loss applies log_softmax itself, "
        "CE = mean(-log_softmax(logits)[target]); do not softmax first.",
    )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
def test_cross_entropy_of_uniform_logits_is_log_c():
    got = losses.cross_entropy(torch.zeros(5, 10), torch.arange(5))
    assert got.item() == pytest.approx(math.log(10)), f"equal logits over 10 classes give log(10); got {got.item()}"


@pytest.mark.kata("losses.cross_entropy")
def test_cross_entropy_spatial_shape():
    logits = torch.randn(2, 3, 4, 5)  # (N, C, d1, d2)
    target = torch.randint(0, 3, (2, 4, 5))
    got = losses.cross_entropy(logits, target)
    flat = ce_by_hand(logits.permute(0, 2, 3, 1).reshape(-1, 3), target.reshape(-1))
    assert got.dim() == 0, f"the mean loss is a scalar, got {shape_of(got)}"
    assert_tensors_close(
        got, flat,
        call="cross_entropy(logits (2, 3, 4, 5), target (2, 4, 5))",
        lesson="(N, C, d1, d2) logits go with (N, d1, d2) class indices: the class dimension is dim 1, and the "
        "loss is averaged over every position.",
    )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
def test_cross_entropy_unbatched_and_square():
    assert_tensors_close(
        losses.cross_entropy(LOGITS[1], LABELS[1]), ce_by_hand(LOGITS[1:2], LABELS[1:2]),
        call=f"cross_entropy(logits (3,) = {LOGITS[1].tolist()}, 0-d target {LABELS[1].item()})",
        lesson="A (C,) input with a 0-d target is one item: its class dimension is dim 0.",
    )  # fmt: skip
    square = LOGITS[:3]  # the note's "(C, C)" is simply N == C
    assert_tensors_close(
        losses.cross_entropy(square, LABELS[:3]), ce_by_hand(square, LABELS[:3]),
        call=f"cross_entropy(logits (3, 3), {LABELS[:3].tolist()})",
        lesson="A square (C, C) input is simply (N, C) with N == C: the classes are still along dim 1.",
    )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
def test_cross_entropy_class_weights_weigh_the_mean():
    weight = torch.tensor([1.0, 3.0, 0.5])
    got = losses.cross_entropy(LOGITS, LABELS, weight=weight)
    assert_tensors_close(
        got, ce_by_hand(LOGITS, LABELS, weight),
        call=f"cross_entropy(logits (4, 3), {LABELS.tolist()}, weight={weight.tolist()})",
        lesson="weight (C,) weighs each class: with class indices y the mean becomes sum(w[y] * loss) / sum(w[y]).",
    )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
def test_cross_entropy_ignore_index_leaves_out_items():
    target = torch.tensor([0, -1, 1, -1])
    got = losses.cross_entropy(LOGITS, target, ignore_index=-1)
    keep = target != -1
    assert_tensors_close(
        got, ce_by_hand(LOGITS[keep], target[keep]),
        call=f"cross_entropy(logits (4, 3), {target.tolist()}, ignore_index=-1)",
        lesson="Items whose class index is ignore_index count in neither sum: the mean is over the other items only.",
    )  # fmt: skip
    all_ignored = losses.cross_entropy(LOGITS, torch.full((4,), -1), ignore_index=-1)
    assert math.isnan(all_ignored.item()), (
        f"Called cross_entropy(logits, [-1, -1, -1, -1], ignore_index=-1). It returned {all_ignored.item()}, but the "
        "tests expected nan: with every item ignored the mean is 0 / 0, as in torch"
    )


@pytest.mark.kata("losses.cross_entropy")
def test_cross_entropy_weight_with_ignore_index_divides_by_the_kept_weights():
    weight = torch.tensor([1.0, 3.0, 0.5])
    target = torch.tensor([0, 2, -1, 1])  # item 2 is ignored; weight[-1] would be 0.5, and must not count
    got = losses.cross_entropy(LOGITS, target, weight=weight, ignore_index=-1)
    keep = target != -1
    expected = ce_by_hand(LOGITS[keep], target[keep], weight)  # sum(w[y] * l) / sum(w[y]), kept items only
    assert_tensors_close(
        got, expected,
        call=f"cross_entropy(logits (4, 3), {target.tolist()}, weight={weight.tolist()}, ignore_index=-1)",
        lesson="The weighted mean sum(w[y] * loss) / sum(w[y]) divides by the weights of the items that are NOT "
        "ignored: an ignored item counts in neither sum.",
    )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
@pytest.mark.parametrize("eps", [0.1, 0.3])
def test_cross_entropy_label_smoothing(eps):
    got = losses.cross_entropy(LOGITS, LABELS, label_smoothing=eps)
    soft = (1 - eps) * torch.nn.functional.one_hot(LABELS, 3) + eps / 3
    expected = -(soft * torch.log_softmax(LOGITS, dim=1)).sum(dim=1).mean()
    assert_tensors_close(
        got, expected,
        call=f"cross_entropy(logits (4, 3), {LABELS.tolist()}, label_smoothing={eps})",
        lesson=f"label_smoothing={eps} replaces the one-hot target by (1 - eps) * one_hot + eps / C, and the loss "
        "is the cross entropy against that.",
    )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
def test_cross_entropy_probability_targets():
    probabilities = torch.softmax(torch.randn(4, 3), dim=1)
    got = losses.cross_entropy(LOGITS, probabilities)
    expected = -(probabilities * torch.log_softmax(LOGITS, dim=1)).sum(dim=1).mean()
    assert_tensors_close(
        got, expected,
        call="cross_entropy(logits (4, 3), float target (4, 3) of class probabilities)",
        lesson="An (N, C) float target holds class probabilities: an item's loss is "
        "-sum over c of target[c] * log_softmax(logits)[c].",
    )  # fmt: skip


# --- extreme but legal inputs, and classes with no item --------------------------------------------


@pytest.mark.kata("losses.smooth_l1_loss")
def test_smooth_l1_loss_huge_difference_stays_finite():
    # 0.5 * d^2 overflows float32 for d = 1e20, but the linear branch applies there: the loss is |d| - 0.5 * beta.
    prediction, target = torch.tensor([1e20, 0.25]), torch.tensor([0.0, 0.0])
    got = losses.smooth_l1_loss(prediction, target, 1.0)
    expected = torch.nn.SmoothL1Loss(beta=1.0)(prediction, target)  # (1e20 - 0.5 + 0.03125) / 2
    assert_tensors_close(
        got, expected,
        call="smooth_l1_loss(prediction [1e20, 0.25], target [0.0, 0.0], beta=1.0)",
        lesson="A huge difference is legal and its loss is finite: the linear part applies there, so no inf or "
        "nan from the quadratic part may leak into the result (a mask times inf is nan).",
    )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_cross_entropy_large_logits_stay_finite(dtype):
    logits = torch.tensor([[1000.0, 0.0, -1000.0], [-500.0, 500.0, 0.0], [0.0, 90.0, 100.0]], dtype=dtype)
    target = torch.tensor([1, 0, 1])
    got = losses.cross_entropy(logits, target)
    expected = ce_by_hand(logits, target)  # (1000 + 1000 + 10.0000454) / 3
    assert_tensors_close(
        got, expected,
        call=f"cross_entropy(logits {logits.tolist()} ({str(dtype).replace('torch.', '')}), {target.tolist()})",
        lesson="Large logits are legal and the loss stays finite, in the logits' dtype: softmax underflows to 0 and "
        "log(0) is -inf, so probabilities must never be formed and then logged (exp(1000) is inf in float32).",
    )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
def test_cross_entropy_class_with_no_item():
    # Class 3 (the last) has no item in the batch: C comes from the logits, never from the targets.
    logits = torch.tensor([[2.0, 0.5, -1.0, 0.3], [0.1, 0.2, 3.0, -0.4], [1.0, 1.0, 1.0, 1.0]])
    target = torch.tensor([0, 2, 1])
    weight = torch.tensor([1.0, 3.0, 0.5, 2.0])
    for kwargs in ({"weight": weight}, {"label_smoothing": 0.2}, {"weight": weight, "label_smoothing": 0.2}):
        got = losses.cross_entropy(logits, target, **kwargs)
        expected = torch.nn.CrossEntropyLoss(**kwargs)(logits, target)
        options = ", ".join(f"{k}={v.tolist() if isinstance(v, torch.Tensor) else v}" for k, v in kwargs.items())
        assert_tensors_close(
            got, expected,
            call=f"cross_entropy(logits (3, 4), {target.tolist()}, {options})",
            lesson="A class with no item in the batch (class 3 here) is legal: the number of classes C is the size "
            "of the logits' class dimension, whatever classes the targets happen to contain; the result is "
            "nn.CrossEntropyLoss's for the same arguments.",
        )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
@pytest.mark.parametrize(
    "options",
    [
        {"weight": [1.0, 3.0, 0.5], "label_smoothing": 0.1},
        {"ignore_index": 2, "label_smoothing": 0.2},
        {"weight": [1.0, 3.0, 0.5], "ignore_index": 0, "label_smoothing": 0.3},
    ],
    ids=["weight-smoothing", "ignore-smoothing", "all-three"],
)
def test_cross_entropy_options_combine_as_in_torch(options):
    kwargs = {k: torch.tensor(v) if isinstance(v, list) else v for k, v in options.items()}
    got = losses.cross_entropy(LOGITS, LABELS, **kwargs)
    expected = torch.nn.CrossEntropyLoss(**kwargs)(LOGITS, LABELS)
    assert_tensors_close(
        got, expected,
        call=f"cross_entropy(logits (4, 3), {LABELS.tolist()}, {', '.join(f'{k}={v}' for k, v in options.items())})",
        lesson="The options combine exactly as in nn.CrossEntropyLoss: with class weights, the smoothed part of "
        "each item's target is weighed per class too, and the mean still divides by the summed weights of the "
        "items that are not ignored.",
    )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
def test_cross_entropy_spatial_mean_is_over_every_kept_position():
    logits = torch.tensor([[[[1.0, -1.0], [0.5, 2.0]], [[0.0, 1.0], [2.0, -1.0]]],
                           [[[3.0, 0.0], [-2.0, 1.0]], [[1.0, 1.0], [0.0, 0.5]]]])  # (N=2, C=2, 2, 2)
    target = torch.tensor([[[0, -1], [-1, -1]], [[1, 0], [1, 1]]])  # sample 0 keeps 1 position, sample 1 keeps 4
    got = losses.cross_entropy(logits, target, ignore_index=-1)
    flat_logits, flat_target = logits.permute(0, 2, 3, 1).reshape(-1, 2), target.reshape(-1)
    keep = flat_target != -1
    expected = ce_by_hand(flat_logits[keep], flat_target[keep])
    assert_tensors_close(
        got, expected,
        call="cross_entropy(logits (2, 2, 2, 2), target (2, 2, 2) with 3 positions at -1, ignore_index=-1)",
        lesson="With (N, C, d1, d2) logits the mean is over every position that is not ignored, pooled across the "
        "whole batch - not a mean per sample and then a mean of those.",
    )  # fmt: skip
