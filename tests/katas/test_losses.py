"""Kata 10 (katas/losses.py): L1, MSE, SmoothL1 and CrossEntropy, each checked against its formula.

Every call gets clones of the shared tensors, so a loss that modifies its inputs cannot change what later tests see;
every expectation is computed before the call."""

import math
import warnings

import pytest
import torch

from kata_harness.testing import assert_tensors_close, lesson, says, shape_of
from kata_impl import losses

PREDICTION = torch.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 4.0]])
TARGET = torch.tensor([[1.0, 2.5, 5.0], [0.0, 1.0, 3.0]])
DIFF = PREDICTION - TARGET  # [[0, -0.5, -2], [0.5, -2, 1]]


def pair():
    """Fresh copies of PREDICTION and TARGET for one call."""
    return PREDICTION.clone(), TARGET.clone()


def reduce(values, reduction):
    return {"mean": values.mean(), "sum": values.sum(), "none": values}[reduction]


REDUCTIONS = pytest.mark.parametrize("reduction", ["mean", "sum", "none"])


# --- L1Loss and MSELoss ----------------------------------------------------------------------------


@pytest.mark.kata("losses.l1_loss")
@REDUCTIONS
def test_l1_loss_formula(reduction):
    expected = reduce(DIFF.abs(), reduction)  # mean: (0 + .5 + 2 + .5 + 2 + 1) / 6 = 1.0
    got = losses.l1_loss(*pair(), reduction)
    assert_tensors_close(
        got, expected,
        call=f"l1_loss(prediction (2, 3), target (2, 3), reduction={reduction!r})",
        lesson=lesson("losses.l1_formula", reduction=repr(reduction)),
    )  # fmt: skip


@pytest.mark.kata("losses.l1_loss")
def test_l1_loss_default_reduction_is_mean():
    expected = DIFF.abs().mean()  # 1.0
    assert_tensors_close(
        losses.l1_loss(*pair()), expected,
        call="l1_loss(prediction (2, 3), target (2, 3))",
        lesson=lesson("losses.l1_default_mean"),
    )  # fmt: skip


@pytest.mark.kata("losses.l1_loss")
def test_l1_loss_shape_mismatch_broadcasts_to_a_wrong_value():
    # The lesson is the wrong number, not torch's warning: a loss written out by hand broadcasts the same way.
    prediction, target = torch.tensor([[1.0], [2.0], [3.0]]), torch.tensor([1.0, 2.0, 3.0])
    assert_tensors_close(
        losses.l1_loss(prediction.squeeze(1), target.clone()), torch.tensor(0.0),
        call="l1_loss(prediction (3,) = [1.0, 2.0, 3.0], target (3,) = [1.0, 2.0, 3.0])",
        lesson=lesson("losses.l1_equal_inputs_give_zero"),
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch's broadcast warning, when the loss is torch's
        wrong = losses.l1_loss(prediction.clone(), target.clone())
    assert_tensors_close(
        wrong, torch.tensor(8 / 9),
        call="l1_loss(prediction (3, 1) = [[1.0], [2.0], [3.0]], target (3,) = [1.0, 2.0, 3.0])",
        lesson=lesson("losses.l1_broadcast_gives_a_wrong_number"),
    )  # fmt: skip


@pytest.mark.kata("losses.mse_loss")
@REDUCTIONS
def test_mse_loss_formula(reduction):
    expected = reduce(DIFF**2, reduction)
    got = losses.mse_loss(*pair(), reduction)
    assert_tensors_close(
        got, expected,
        call=f"mse_loss(prediction (2, 3), target (2, 3), reduction={reduction!r})",
        lesson=lesson("losses.mse_formula", reduction=repr(reduction)),
    )  # fmt: skip


@pytest.mark.kata("losses.mse_loss")
def test_mse_loss_default_reduction_is_mean():
    expected = (DIFF**2).mean()
    got = losses.mse_loss(*pair())
    assert_tensors_close(
        got, expected,
        call="mse_loss(prediction (2, 3), target (2, 3))",
        lesson=lesson("losses.mse_default_mean"),
    )  # fmt: skip


@pytest.mark.kata("losses.mse_loss")
def test_mse_loss_is_differentiable():
    expected = 2 * DIFF / DIFF.numel()
    prediction = PREDICTION.clone().requires_grad_(True)
    losses.mse_loss(prediction, TARGET.clone()).backward()
    assert_tensors_close(
        prediction.grad, expected,
        call="prediction.requires_grad_(True); mse_loss(prediction, target).backward(); prediction.grad",
        lesson=lesson("losses.mse_gradient"),
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
    expected = smooth_l1(DIFF, beta)
    got = losses.smooth_l1_loss(*pair(), beta)
    assert_tensors_close(
        got, expected,
        call=f"smooth_l1_loss(prediction (2, 3), target (2, 3), beta={beta})",
        lesson=lesson("losses.smooth_l1_formula", beta=beta),
    )  # fmt: skip


@pytest.mark.kata("losses.smooth_l1_loss")
def test_smooth_l1_loss_beta_zero_is_l1():
    expected = DIFF.abs().mean()
    assert_tensors_close(
        losses.smooth_l1_loss(*pair(), 0.0), expected,
        call="smooth_l1_loss(prediction (2, 3), target (2, 3), beta=0.0)",
        lesson=lesson("losses.smooth_l1_beta_zero"),
    )  # fmt: skip


@pytest.mark.kata("losses.smooth_l1_loss")
@pytest.mark.parametrize(
    ("d", "expected"), [(0.5, 0.125), (2.0, 1.5), (-3.0, 2.5)], ids=["quadratic", "linear", "negative"]
)
def test_smooth_l1_loss_single_element(d, expected):
    got = losses.smooth_l1_loss(torch.tensor([d]), torch.tensor([0.0]), 1.0)
    assert_tensors_close(
        got, torch.tensor(expected),
        call=f"smooth_l1_loss(torch.tensor([{d}]), torch.tensor([0.0]), 1.0)",
        lesson=lesson("losses.smooth_l1_one_element", d=d, expected=expected),
    )  # fmt: skip


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
    expected = ce_by_hand(LOGITS, LABELS)
    got = losses.cross_entropy(LOGITS.clone(), LABELS.clone())
    assert_tensors_close(
        got, expected,
        call=f"cross_entropy(logits (4, 3), {LABELS.tolist()})",
        lesson=lesson("losses.ce_takes_logits"),
    )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
def test_cross_entropy_of_uniform_logits_is_log_c():
    got = losses.cross_entropy(torch.zeros(5, 10), torch.arange(5))
    assert_tensors_close(
        got, torch.tensor(math.log(10)),
        call="cross_entropy(torch.zeros(5, 10), torch.arange(5))",
        lesson=lesson("losses.ce_uniform_is_log_c"),
    )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
def test_cross_entropy_spatial_shape():
    logits = torch.randn(2, 3, 4, 5)  # (N, C, d1, d2)
    target = torch.randint(0, 3, (2, 4, 5))
    flat = ce_by_hand(logits.permute(0, 2, 3, 1).reshape(-1, 3), target.reshape(-1))
    got = losses.cross_entropy(logits.clone(), target.clone())
    call = "cross_entropy(logits (2, 3, 4, 5), target (2, 4, 5))"
    assert isinstance(got, torch.Tensor) and got.dim() == 0, says(
        call=call, returned=shape_of(got), expected="tensor () float32", lesson=lesson("losses.ce_mean_is_0d")
    )
    assert_tensors_close(got, flat, call=call, lesson=lesson("losses.ce_spatial_class_dim"))


@pytest.mark.kata("losses.cross_entropy")
def test_cross_entropy_unbatched_and_square():
    expected = ce_by_hand(LOGITS[1:2], LABELS[1:2])
    assert_tensors_close(
        losses.cross_entropy(LOGITS[1].clone(), LABELS[1].clone()), expected,
        call=f"cross_entropy(torch.tensor({LOGITS[1].tolist()}), torch.tensor({LABELS[1].item()}))",
        lesson=lesson("losses.ce_unbatched"),
    )  # fmt: skip
    square = LOGITS[:3]  # the note's "(C, C)" is simply N == C
    expected = ce_by_hand(square, LABELS[:3])
    assert_tensors_close(
        losses.cross_entropy(square.clone(), LABELS[:3].clone()), expected,
        call=f"cross_entropy(logits (3, 3), {LABELS[:3].tolist()})",
        lesson=lesson("losses.ce_square"),
    )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
def test_cross_entropy_class_weights_weigh_the_mean():
    weight = torch.tensor([1.0, 3.0, 0.5])
    expected = ce_by_hand(LOGITS, LABELS, weight)
    got = losses.cross_entropy(LOGITS.clone(), LABELS.clone(), weight=weight.clone())
    assert_tensors_close(
        got, expected,
        call=f"cross_entropy(logits (4, 3), {LABELS.tolist()}, weight={weight.tolist()})",
        lesson=lesson("losses.ce_class_weights"),
    )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
def test_cross_entropy_ignore_index_leaves_out_items():
    target = torch.tensor([0, -1, 1, -1])
    keep = target != -1
    expected = ce_by_hand(LOGITS[keep], target[keep])
    got = losses.cross_entropy(LOGITS.clone(), target.clone(), ignore_index=-1)
    assert_tensors_close(
        got, expected,
        call=f"cross_entropy(logits (4, 3), {target.tolist()}, ignore_index=-1)",
        lesson=lesson("losses.ce_ignore_index"),
    )  # fmt: skip
    all_ignored = losses.cross_entropy(LOGITS.clone(), torch.full((4,), -1), ignore_index=-1)
    assert_tensors_close(
        all_ignored, torch.tensor(math.nan), equal_nan=True,
        call="cross_entropy(logits (4, 3), [-1, -1, -1, -1], ignore_index=-1)",
        lesson=lesson("losses.ce_all_ignored_is_nan"),
    )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
def test_cross_entropy_weight_with_ignore_index_divides_by_the_kept_weights():
    weight = torch.tensor([1.0, 3.0, 0.5])
    target = torch.tensor([0, 2, -1, 1])  # item 2 is ignored; weight[-1] would be 0.5, and must not count
    keep = target != -1
    expected = ce_by_hand(LOGITS[keep], target[keep], weight)  # sum(w[y] * l) / sum(w[y]), kept items only
    got = losses.cross_entropy(LOGITS.clone(), target.clone(), weight=weight.clone(), ignore_index=-1)
    assert_tensors_close(
        got, expected,
        call=f"cross_entropy(logits (4, 3), {target.tolist()}, weight={weight.tolist()}, ignore_index=-1)",
        lesson=lesson("losses.ce_weight_and_ignore_index"),
    )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
@pytest.mark.parametrize("eps", [0.1, 0.3])
def test_cross_entropy_label_smoothing(eps):
    soft = (1 - eps) * torch.nn.functional.one_hot(LABELS, 3) + eps / 3
    expected = -(soft * torch.log_softmax(LOGITS, dim=1)).sum(dim=1).mean()
    got = losses.cross_entropy(LOGITS.clone(), LABELS.clone(), label_smoothing=eps)
    assert_tensors_close(
        got, expected,
        call=f"cross_entropy(logits (4, 3), {LABELS.tolist()}, label_smoothing={eps})",
        lesson=lesson("losses.ce_label_smoothing", eps=eps),
    )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
def test_cross_entropy_probability_targets():
    probabilities = torch.softmax(torch.randn(4, 3), dim=1)
    expected = -(probabilities * torch.log_softmax(LOGITS, dim=1)).sum(dim=1).mean()
    got = losses.cross_entropy(LOGITS.clone(), probabilities.clone())
    assert_tensors_close(
        got, expected,
        call="cross_entropy(logits (4, 3), torch.softmax(torch.randn(4, 3), dim=1))",
        lesson=lesson("losses.ce_probability_targets"),
    )  # fmt: skip


# --- extreme but legal inputs, and classes with no item --------------------------------------------


@pytest.mark.kata("losses.smooth_l1_loss")
def test_smooth_l1_loss_huge_difference_stays_finite():
    # 0.5 * d^2 overflows float32 for d = 1e20, but the linear branch applies there: the loss is |d| - 0.5 * beta.
    prediction, target = torch.tensor([1e20, 0.25]), torch.tensor([0.0, 0.0])
    expected = torch.nn.SmoothL1Loss(beta=1.0)(prediction, target)  # (1e20 - 0.5 + 0.03125) / 2
    got = losses.smooth_l1_loss(prediction.clone(), target.clone(), 1.0)
    assert_tensors_close(
        got, expected,
        call="smooth_l1_loss(prediction [1e20, 0.25], target [0.0, 0.0], beta=1.0)",
        lesson=lesson("losses.smooth_l1_huge_difference"),
    )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_cross_entropy_large_logits_stay_finite(dtype):
    logits = torch.tensor([[1000.0, 0.0, -1000.0], [-500.0, 500.0, 0.0], [0.0, 90.0, 100.0]], dtype=dtype)
    target = torch.tensor([1, 0, 1])
    expected = ce_by_hand(logits, target)  # (1000 + 1000 + 10.0000454) / 3
    got = losses.cross_entropy(logits.clone(), target.clone())
    assert_tensors_close(
        got, expected,
        call=f"cross_entropy(logits {logits.tolist()} ({str(dtype).replace('torch.', '')}), {target.tolist()})",
        lesson=lesson("losses.ce_large_logits"),
    )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
def test_cross_entropy_class_with_no_item():
    # Class 3 (the last) has no item in the batch: C comes from the logits, never from the targets.
    logits = torch.tensor([[2.0, 0.5, -1.0, 0.3], [0.1, 0.2, 3.0, -0.4], [1.0, 1.0, 1.0, 1.0]])
    target = torch.tensor([0, 2, 1])
    weight = torch.tensor([1.0, 3.0, 0.5, 2.0])
    for kwargs in ({"weight": weight}, {"label_smoothing": 0.2}, {"weight": weight, "label_smoothing": 0.2}):
        expected = torch.nn.CrossEntropyLoss(**kwargs)(logits, target)
        fresh = {k: v.clone() if isinstance(v, torch.Tensor) else v for k, v in kwargs.items()}
        got = losses.cross_entropy(logits.clone(), target.clone(), **fresh)
        options = ", ".join(f"{k}={v.tolist() if isinstance(v, torch.Tensor) else v}" for k, v in kwargs.items())
        assert_tensors_close(
            got, expected,
            call=f"cross_entropy(logits (3, 4), {target.tolist()}, {options})",
            lesson=lesson("losses.ce_class_with_no_item"),
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
    expected = torch.nn.CrossEntropyLoss(**kwargs)(LOGITS, LABELS)
    fresh = {k: v.clone() if isinstance(v, torch.Tensor) else v for k, v in kwargs.items()}
    got = losses.cross_entropy(LOGITS.clone(), LABELS.clone(), **fresh)
    assert_tensors_close(
        got, expected,
        call=f"cross_entropy(logits (4, 3), {LABELS.tolist()}, {', '.join(f'{k}={v}' for k, v in options.items())})",
        lesson=lesson("losses.ce_options_combine"),
    )  # fmt: skip


@pytest.mark.kata("losses.cross_entropy")
def test_cross_entropy_spatial_mean_is_over_every_kept_position():
    logits = torch.tensor([[[[1.0, -1.0], [0.5, 2.0]], [[0.0, 1.0], [2.0, -1.0]]],
                           [[[3.0, 0.0], [-2.0, 1.0]], [[1.0, 1.0], [0.0, 0.5]]]])  # (N=2, C=2, 2, 2)
    target = torch.tensor([[[0, -1], [-1, -1]], [[1, 0], [1, 1]]])  # sample 0 keeps 1 position, sample 1 keeps 4
    flat_logits, flat_target = logits.permute(0, 2, 3, 1).reshape(-1, 2), target.reshape(-1)
    keep = flat_target != -1
    expected = ce_by_hand(flat_logits[keep], flat_target[keep])
    got = losses.cross_entropy(logits.clone(), target.clone(), ignore_index=-1)
    assert_tensors_close(
        got, expected,
        call=f"cross_entropy(logits (2, 2, 2, 2), {target.tolist()}, ignore_index=-1)",
        lesson=lesson("losses.ce_spatial_mean_pooled"),
    )  # fmt: skip
