"""Kata 11 (katas/optim.py): backward, gradient accumulation, SGD by hand, one step, a few epochs."""

import copy
from functools import partial

import pytest
import torch
from torch import nn
from torch.testing import assert_close

from kata_harness.testing import raises, shape_of
from kata_harness.training_support import reference_sgd as reference_fit
from kata_harness.training_support import small_problem
from kata_impl import optim

assert_equal = partial(assert_close, rtol=0, atol=0)


# --- gradient_of -----------------------------------------------------------------------------------


@pytest.mark.kata("optim.gradient_of")
def test_gradient_of_sum_of_squares_is_two_x():
    x = torch.tensor([1.0, -2.0, 3.0])
    grad = optim.gradient_of(lambda t: (t**2).sum(), x)
    assert_close(grad, 2 * x, msg=lambda m: f"gradient_of(sum(t^2), {x.tolist()}) must be 2x:\n{m}")


@pytest.mark.kata("optim.gradient_of")
def test_gradient_of_leaves_the_input_alone_and_does_not_accumulate():
    x = torch.tensor([1.0, 2.0])
    first = optim.gradient_of(lambda t: (t**3).sum(), x)
    second = optim.gradient_of(lambda t: (t**3).sum(), x)
    assert_close(first, torch.tensor([3.0, 12.0]))
    assert_close(second, first, msg=lambda m: f"a second call must not add to the first gradient:\n{m}")
    assert not x.requires_grad and x.grad is None, "the caller's tensor must not become part of the graph"


@pytest.mark.kata("optim.gradient_of")
def test_backward_accumulates_until_zeroed():
    optim.gradient_of(lambda t: t.sum(), torch.zeros(1))
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (w**2).sum().backward()
    assert w.grad.tolist() == [2.0, 4.0]
    (w**2).sum().backward()
    assert w.grad.tolist() == [4.0, 8.0], "a second backward ADDS to .grad"
    w.grad = None  # what optimizer.zero_grad() does by default since torch 2.0


@pytest.mark.kata("optim.gradient_of")
def test_gradient_of_a_non_scalar_needs_a_gradient_argument():
    with raises(RuntimeError, match="only for scalar outputs"):
        optim.gradient_of(lambda t: t * 2, torch.ones(3))


# --- sgd_step_by_hand ------------------------------------------------------------------------------


def with_grads(*tensors):
    params = [t.clone().requires_grad_(True) for t in tensors]
    return params


@pytest.mark.kata("optim.sgd_step_by_hand")
def test_sgd_step_by_hand_without_momentum_is_w_minus_lr_g():
    params = with_grads(torch.tensor([1.0, 2.0]), torch.tensor([[0.5]]))
    params[0].grad, params[1].grad = torch.tensor([0.5, -1.0]), torch.tensor([[2.0]])
    optim.sgd_step_by_hand(params, lr=0.1)
    assert_close(params[0].detach(), torch.tensor([0.95, 2.1]), msg=lambda m: f"w - lr * g:\n{m}")
    assert_close(params[1].detach(), torch.tensor([[0.3]]))


@pytest.mark.kata("optim.sgd_step_by_hand")
@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_step_by_hand_matches_torch_sgd_over_three_steps(momentum):
    start = [torch.randn(3, 2), torch.randn(2)]
    ours, theirs = with_grads(*start), with_grads(*start)
    reference = torch.optim.SGD(theirs, lr=0.05, momentum=momentum)
    buffers = None
    for step in range(3):
        gradients = [torch.randn_like(t) for t in start]
        for p, q, g in zip(ours, theirs, gradients):
            p.grad, q.grad = g.clone(), g.clone()
        buffers = optim.sgd_step_by_hand(ours, lr=0.05, momentum=momentum, buffers=buffers)
        reference.step()
        for p, q in zip(ours, theirs):
            assert_close(p.detach(), q.detach(), msg=lambda m: f"step {step + 1}, momentum={momentum}, vs torch.optim.SGD:\n{m}")


@pytest.mark.kata("optim.sgd_step_by_hand")
def test_sgd_step_by_hand_updates_the_models_own_tensors():
    model = nn.Linear(2, 1)
    weight = model.weight
    model(torch.ones(1, 2)).sum().backward()
    before = weight.detach().clone()
    optim.sgd_step_by_hand(list(model.parameters()), lr=1.0)
    assert model.weight is weight and weight.is_leaf, "update the parameters in place; do not replace them"
    assert_close(weight.detach(), before - 1.0, msg=lambda m: f"the model's weight must have moved by -lr * grad:\n{m}")


# --- train_step ------------------------------------------------------------------------------------


@pytest.mark.kata("optim.train_step")
def test_train_step_matches_a_reference_step():
    model, batches = small_problem()
    twin = copy.deepcopy(model)
    x, y = batches[0]
    loss = optim.train_step(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), x, y)
    expected = reference_fit(twin, [(x, y)], lr=0.1, epochs=1)[0]
    assert isinstance(loss, float), f"train_step returned {shape_of(loss)}; expected a float (loss.item())"
    assert loss == pytest.approx(expected), f"train_step returned {loss}; the loss before the update is {expected}"
    for (name, p), q in zip(model.named_parameters(), twin.parameters()):
        assert_close(p, q, msg=lambda m: f"after one step, parameter {name} differs from a reference step:\n{m}")


@pytest.mark.kata("optim.train_step")
def test_train_step_clears_old_gradients():
    model, batches = small_problem()
    twin = copy.deepcopy(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for x, y in batches[:3]:
        optim.train_step(model, nn.CrossEntropyLoss(), optimizer, x, y)
    reference_fit(twin, batches[:3], lr=0.1, epochs=1)
    for (name, p), q in zip(model.named_parameters(), twin.parameters()):
        assert_close(
            p, q, msg=lambda m: f"after 3 steps {name} differs from the reference: was zero_grad forgotten? Gradients "
            f"accumulate across backward calls.\n{m}",
        )  # fmt: skip


@pytest.mark.kata("optim.train_step")
def test_train_step_loss_falls_on_a_fixed_batch():
    model, batches = small_problem()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    x, y = batches[0]
    losses = [optim.train_step(model, nn.CrossEntropyLoss(), optimizer, x, y) for _ in range(20)]
    assert losses[-1] < 0.5 * losses[0], f"20 steps on one batch took the loss from {losses[0]:.3f} to {losses[-1]:.3f}"


# --- fit -------------------------------------------------------------------------------------------


@pytest.mark.kata("optim.fit")
def test_fit_matches_a_reference_training_loop():
    model, batches = small_problem()
    twin = copy.deepcopy(model)
    losses = optim.fit(model, batches, lr=0.2, epochs=3)
    expected = reference_fit(twin, batches, lr=0.2, epochs=3)
    assert len(losses) == len(expected) == 12, f"fit returned {len(losses)} losses; expected one per step: 3 x 4 = 12"
    assert losses == pytest.approx(expected, rel=1e-5), "fit's losses differ from a reference SGD + CrossEntropy loop"


@pytest.mark.kata("optim.fit")
def test_fit_reduces_the_loss():
    model, batches = small_problem(seed=1)
    losses = optim.fit(model, batches, lr=0.2, epochs=10)
    first, last = sum(losses[:4]) / 4, sum(losses[-4:]) / 4
    assert last < 0.5 * first, f"the mean loss of the last epoch ({last:.3f}) is not well below the first ({first:.3f})"


@pytest.mark.kata("optim.fit")
def test_fit_puts_the_model_in_training_mode():
    model, batches = small_problem()
    model.eval()
    optim.fit(model, batches, lr=0.1, epochs=1)
    assert model.training, "fit must call model.train(): layers like Dropout and BatchNorm behave differently in eval"


@pytest.mark.kata("optim.fit")
def test_fit_changes_weights_never_kernel_size():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(2 * 3 * 3, 2))
    batches = [(torch.randn(4, 1, 5, 5), torch.tensor([0, 1, 0, 1]))]
    conv = model[0]
    before = conv.weight.detach().clone()
    optim.fit(model, batches, lr=0.1, epochs=3)
    assert conv.kernel_size == (3, 3) and conv.weight.shape == (2, 1, 3, 3), "training never changes a layer's shape"
    assert not torch.equal(conv.weight.detach(), before), "training must change the kernel's values"
    assert "kernel_size" not in dict(model.named_parameters()), "kernel_size is a setting, not a Parameter"
