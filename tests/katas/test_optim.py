"""Kata 11 (katas/optim.py): backward, gradient accumulation, SGD by hand, one step, a few epochs."""

import copy

import pytest
import torch
from torch import nn

from kata_harness.testing import assert_tensors_close, raises_from, shape_of
from kata_harness.testing.training import reference_sgd as reference_fit
from kata_harness.testing.training import small_problem
from kata_impl import optim


# --- gradient_of -----------------------------------------------------------------------------------


@pytest.mark.kata("optim.gradient_of")
def test_gradient_of_sum_of_squares_is_two_x():
    x = torch.tensor([1.0, -2.0, 3.0])
    grad = optim.gradient_of(lambda t: (t**2).sum(), x)
    assert_tensors_close(
        grad, 2 * x,
        call=f"gradient_of(lambda t: (t**2).sum(), {x.tolist()})",
        lesson="gradient_of returns d fn(x) / d x computed by autograd at x: for sum(t^2) that is 2x.",
    )  # fmt: skip


@pytest.mark.kata("optim.gradient_of")
def test_gradient_of_leaves_the_input_alone_and_does_not_accumulate():
    x = torch.tensor([1.0, 2.0])
    first = optim.gradient_of(lambda t: (t**3).sum(), x)
    second = optim.gradient_of(lambda t: (t**3).sum(), x)
    assert_tensors_close(
        first, torch.tensor([3.0, 12.0]),
        call="gradient_of(lambda t: (t**3).sum(), [1.0, 2.0])",
        lesson="gradient_of returns d fn(x) / d x from autograd: d sum(t^3) / dt = 3 t^2, [3, 12] at [1, 2].",
    )  # fmt: skip
    assert_tensors_close(
        second, first,
        call="gradient_of(lambda t: (t**3).sum(), [1.0, 2.0]) a second time on the same x",
        lesson="Each call returns only its own gradient: the second call must return the same gradient, not add to "
        "the first one (backward adds to .grad; work on a fresh leaf every call).",
    )  # fmt: skip
    assert x.tolist() == [1.0, 2.0], f"the caller's values changed to {x.tolist()}"
    assert not x.requires_grad and x.grad is None, (
        f"after gradient_of(fn, x), x.requires_grad is {x.requires_grad} and x.grad is {x.grad}; expected False and "
        "None: the caller's tensor must not become part of the graph (detach a copy and mark that one)"
    )


@pytest.mark.kata("optim.gradient_of")
def test_gradient_of_leaves_a_callers_grad_alone():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    x.grad = torch.tensor([10.0, 10.0])  # the caller's own, earlier gradient
    got = optim.gradient_of(lambda t: (t**2).sum(), x)
    assert got is not None, "gradient_of returned None: .grad is only filled on a leaf (x.clone() is not one; detach)"
    assert_tensors_close(
        got, torch.tensor([2.0, 4.0]),
        call="gradient_of(lambda t: (t**2).sum(), x = [1.0, 2.0] requiring grad, with .grad [10, 10])",
        lesson="gradient_of returns only its own gradient, 2x, computed on a fresh leaf: the caller's .grad does "
        "not count in it.",
    )  # fmt: skip
    assert x.grad.tolist() == [10.0, 10.0], (
        "Called gradient_of on an x that requires grad and has .grad [10, 10]. Afterwards x.grad is "
        f"{x.grad.tolist()}, but the tests expected it unchanged: compute on a leaf detached from x."
    )
    assert x.is_leaf and x.requires_grad


@pytest.mark.kata("optim.gradient_of")
def test_gradient_of_a_non_scalar_needs_a_gradient_argument():
    # torch's wording changes between versions: the type is the lesson
    raises_from(
        RuntimeError, optim.gradient_of, lambda t: t * 2, torch.ones(3),
        call="gradient_of(lambda t: t * 2, torch.ones(3))",
        lesson="backward() on a non-scalar output needs an explicit gradient argument and raises RuntimeError: let "
        "that error through; do not sum the output for the caller.",
    )  # fmt: skip


# --- sgd_step_by_hand ------------------------------------------------------------------------------


def with_grads(*tensors):
    return [t.clone().requires_grad_(True) for t in tensors]


def random_tensors(generator, *shapes):
    return [torch.randn(*shape, generator=generator) for shape in shapes]


@pytest.mark.kata("optim.sgd_step_by_hand")
def test_sgd_step_by_hand_without_momentum_is_w_minus_lr_g():
    params = with_grads(torch.tensor([1.0, 2.0]), torch.tensor([[0.5]]))
    params[0].grad, params[1].grad = torch.tensor([0.5, -1.0]), torch.tensor([[2.0]])
    optim.sgd_step_by_hand(params, lr=0.1)
    call = "sgd_step_by_hand([p0 = [1.0, 2.0] with grad [0.5, -1.0], p1 = [[0.5]] with grad [[2.0]]], lr=0.1)"
    assert_tensors_close(
        params[0].detach(), torch.tensor([0.95, 2.1]),
        call=f"{call}, then p0",
        lesson="Without momentum, each parameter moves to p - lr * p.grad.",
    )  # fmt: skip
    assert_tensors_close(
        params[1].detach(), torch.tensor([[0.3]]),
        call=f"{call}, then p1",
        lesson="Without momentum, every parameter in the list moves to p - lr * p.grad.",
    )  # fmt: skip


@pytest.mark.kata("optim.sgd_step_by_hand")
@pytest.mark.parametrize("grads", ["fresh", "reused"])
@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_step_by_hand_matches_torch_sgd_over_three_steps(momentum, grads):
    generator = torch.Generator().manual_seed(0)
    start = random_tensors(generator, (3, 2), (2,))
    ours, theirs = with_grads(*start), with_grads(*start)
    reference = torch.optim.SGD(theirs, lr=0.05, momentum=momentum)
    buffers = None
    for step in range(3):
        gradients = [torch.randn(t.shape, generator=generator) for t in start]
        for p, q, g in zip(ours, theirs, gradients):
            if grads == "reused" and p.grad is not None:  # backward after zero_grad(set_to_none=False)
                p.grad.copy_(g)
                q.grad.copy_(g)
            else:
                p.grad, q.grad = g.clone(), g.clone()
        buffers = optim.sgd_step_by_hand(ours, lr=0.05, momentum=momentum, buffers=buffers)
        reference.step()
        for p, q in zip(ours, theirs):
            assert_tensors_close(
                p.detach(), q.detach(),
                call=f"sgd_step_by_hand(params, lr=0.05, momentum={momentum}, buffers=...) at step {step + 1}, "
                f"{grads} .grad tensors",
                lesson="Each step must match torch.optim.SGD's (b = m * b + g, starting from a copy of g; "
                "p -= lr * b).",
            )  # fmt: skip


@pytest.mark.kata("optim.sgd_step_by_hand")
def test_sgd_step_by_hand_first_velocity_is_a_copy_of_the_gradient():
    params = with_grads(torch.tensor([1.0, 2.0]), torch.tensor([3.0]))
    params[0].grad, params[1].grad = torch.tensor([0.5, -1.0]), torch.tensor([4.0])
    buffers = optim.sgd_step_by_hand(params, lr=0.1, momentum=0.9)
    assert isinstance(buffers, list) and len(buffers) == 2, (
        f"expected one buffer per parameter, got {shape_of(buffers)}"
    )
    call = "sgd_step_by_hand([[1.0, 2.0] with grad [0.5, -1.0], [3.0] with grad [4.0]], lr=0.1, momentum=0.9)"
    for b, p in zip(buffers, params):
        assert_tensors_close(
            b, p.grad,
            call=f"{call}, the returned buffer",
            lesson="On the first step (buffers is None) the velocity b is a copy of p.grad.",
        )  # fmt: skip
    assert_tensors_close(
        params[0].detach(), torch.tensor([0.95, 2.1]),
        call=f"{call}, then the first parameter",
        lesson="On the first step b = p.grad, so p moves to p - lr * b = p - lr * g.",
    )  # fmt: skip


@pytest.mark.kata("optim.sgd_step_by_hand")
@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_step_by_hand_leaves_grad_alone(momentum):
    params = with_grads(torch.tensor([1.0, 2.0]), torch.tensor([3.0]))
    params[0].grad, params[1].grad = torch.tensor([0.5, -1.0]), torch.tensor([4.0])
    buffers = optim.sgd_step_by_hand(params, lr=0.1, momentum=momentum)
    optim.sgd_step_by_hand(params, lr=0.1, momentum=momentum, buffers=buffers)
    for p, expected in zip(params, ([0.5, -1.0], [4.0])):
        assert p.grad.tolist() == expected, (
            f"after two steps (momentum={momentum}) a .grad is {p.grad.tolist()}, but the tests expected it unchanged "
            f"{expected}: compute lr * g into a new tensor instead of scaling .grad in place"
        )


@pytest.mark.kata("optim.sgd_step_by_hand")
def test_sgd_step_by_hand_updates_the_models_own_tensors():
    model = nn.Linear(2, 1)
    weight = model.weight
    alias = weight.detach()  # shares the storage, like a state_dict entry does
    model(torch.ones(1, 2)).sum().backward()
    before = weight.detach().clone()
    optim.sgd_step_by_hand(list(model.parameters()), lr=1.0)
    assert model.weight is weight, "update the parameters in place; do not replace them"
    call = "sgd_step_by_hand(list(nn.Linear(2, 1).parameters()), lr=1.0), then the model's weight"
    assert_tensors_close(
        weight.detach(), before - 1.0,
        call=call,
        lesson="The model's weight must have moved by -lr * grad (the gradient is 1 everywhere here).",
    )  # fmt: skip
    assert_tensors_close(
        alias, before - 1.0,
        call=f"{call}, seen through a tensor sharing its storage",
        lesson="Update each p in its own storage: change the values in place (p -= ...), do not point p at a new "
        "tensor (p.data = ...), so every tensor sharing that storage sees the update.",
    )  # fmt: skip
    assert weight.is_leaf and weight.requires_grad and weight.grad_fn is None, (
        "after the step the weight must still be a leaf that requires grad: do the update under torch.no_grad()"
    )


@pytest.mark.kata("optim.sgd_step_by_hand")
def test_sgd_step_by_hand_does_not_use_torch_optim(monkeypatch):
    built = []
    original = torch.optim.Optimizer.__init__

    def spy(self, *args, **kwargs):
        built.append(type(self).__name__)
        original(self, *args, **kwargs)

    monkeypatch.setattr(torch.optim.Optimizer, "__init__", spy)
    params = with_grads(torch.tensor([1.0, 2.0]))
    params[0].grad = torch.tensor([0.5, -1.0])
    buffers = optim.sgd_step_by_hand(params, lr=0.1, momentum=0.5)
    optim.sgd_step_by_hand(params, lr=0.1, momentum=0.5, buffers=buffers)
    assert not built, f"sgd_step_by_hand built a torch.optim.{built[0]}: the kata is the update rule itself, by hand"


@pytest.mark.kata("optim.sgd_step_by_hand")
@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_step_by_hand_does_not_call_torchs_sgd_functions(monkeypatch, momentum):
    import torch.optim._functional as functional
    import torch.optim.sgd as sgd_module

    def forbidden(*args, **kwargs):
        raise AssertionError("sgd_step_by_hand must do the update itself, not call torch.optim's SGD functions")

    names = [(sgd_module, "sgd"), (functional, "sgd"), (sgd_module, "_single_tensor_sgd"), (sgd_module, "_multi_tensor_sgd")]
    originals = [getattr(owner, name) for owner, name in names if hasattr(owner, name)]
    for owner, name in names:
        if hasattr(owner, name):
            monkeypatch.setattr(owner, name, forbidden)
    for name, value in list(vars(optim).items()):  # a name the kata module bound with from ... import
        if any(value is original for original in originals):
            monkeypatch.setattr(optim, name, forbidden)
    params = with_grads(torch.tensor([1.0, 2.0]))
    params[0].grad = torch.tensor([0.5, -1.0])
    buffers = optim.sgd_step_by_hand(params, lr=0.1, momentum=momentum)
    optim.sgd_step_by_hand(params, lr=0.1, momentum=momentum, buffers=buffers)
    expected = [0.9, 2.2] if momentum == 0 else [0.855, 2.29]  # g, then m * g + g = 1.9 g for the second step
    assert_tensors_close(
        params[0].detach(), torch.tensor(expected),
        call=f"sgd_step_by_hand([[1.0, 2.0] with grad [0.5, -1.0]], lr=0.1, momentum={momentum}) twice, "
        "with torch.optim's SGD functions made unavailable",
        lesson="The kata is the update rule itself, by hand: neither torch.optim.SGD nor its functional form "
        "(torch.optim.sgd.sgd, torch.optim._functional.sgd) may do the step.",
    )  # fmt: skip


# --- train_step ------------------------------------------------------------------------------------


@pytest.mark.kata("optim.train_step")
def test_train_step_matches_a_reference_step():
    model, batches = small_problem()
    twin = copy.deepcopy(model)
    x, y = batches[0]
    loss = optim.train_step(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), x, y)
    expected = reference_fit(twin, [(x, y)], lr=0.1, epochs=1)[0]
    assert type(loss) is float, f"train_step returned {shape_of(loss)}; expected a Python float (loss.item())"
    assert loss == pytest.approx(expected), f"train_step returned {loss}; the loss before the update is {expected}"
    for (name, p), q in zip(model.named_parameters(), twin.parameters()):
        assert_tensors_close(
            p, q,
            call=f"train_step(model, nn.CrossEntropyLoss(), SGD(lr=0.1), x, y), then parameter {name}",
            lesson="One optimization step (clear the gradients, forward, loss, backward, optimizer.step()) must "
            "move the parameter as a reference step does.",
        )  # fmt: skip


def give_stale_gradients(model):
    """What an earlier backward (or an evaluation that forgot no_grad) leaves behind."""
    for p in model.parameters():
        p.grad = torch.full_like(p, 3.0)


@pytest.mark.kata("optim.train_step")
def test_train_step_clears_stale_gradients_first():
    model, batches = small_problem()
    twin = copy.deepcopy(model)
    give_stale_gradients(model)
    x, y = batches[0]
    optim.train_step(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), x, y)
    reference_fit(twin, [(x, y)], lr=0.1, epochs=1)
    for (name, p), q in zip(model.named_parameters(), twin.parameters()):
        assert_tensors_close(
            p, q,
            call=f"train_step(model arriving with stale gradients (all 3.0), ...), then parameter {name}",
            lesson="The result must be a clean step's: clear the gradients BEFORE backward (zero_grad first, not "
            "after step), since backward adds to whatever is in .grad.",
        )  # fmt: skip


@pytest.mark.kata("optim.train_step")
def test_train_step_clears_old_gradients():
    model, batches = small_problem()
    twin = copy.deepcopy(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for x, y in batches[:3]:
        optim.train_step(model, nn.CrossEntropyLoss(), optimizer, x, y)
    reference_fit(twin, batches[:3], lr=0.1, epochs=1)
    for (name, p), q in zip(model.named_parameters(), twin.parameters()):
        assert_tensors_close(
            p, q,
            call=f"train_step(...) three times with the same optimizer, then parameter {name}",
            lesson="After 3 steps the parameter must match a reference run: was zero_grad forgotten? Gradients "
            "accumulate across backward calls.",
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
    assert all(type(v) is float for v in losses), f"fit returned {shape_of(losses[0])} items; expected Python floats"
    assert losses == pytest.approx(expected, rel=1e-5), "fit's losses differ from a reference SGD + CrossEntropy loop"


@pytest.mark.kata("optim.fit")
def test_fit_reduces_the_loss():
    model, batches = small_problem(seed=1)
    losses = optim.fit(model, batches, lr=0.2, epochs=10)
    first, last = sum(losses[:4]) / 4, sum(losses[-4:]) / 4
    assert last < 0.5 * first, f"the mean loss of the last epoch ({last:.3f}) is not well below the first ({first:.3f})"


@pytest.mark.kata("optim.fit")
def test_fit_clears_stale_gradients():
    model, batches = small_problem()
    twin = copy.deepcopy(model)
    give_stale_gradients(model)
    losses = optim.fit(model, batches, lr=0.2, epochs=1)
    expected = reference_fit(twin, batches, lr=0.2, epochs=1)
    assert losses == pytest.approx(expected, rel=1e-5), (
        f"the model arrived with stale gradients (all 3.0); fit returned {losses}, but a clean run gives {expected}: "
        "clear the gradients before every backward"
    )


@pytest.mark.kata("optim.fit")
def test_fit_accepts_a_dataloader():
    from torch.utils.data import DataLoader, TensorDataset

    model, batches = small_problem()
    twin = copy.deepcopy(model)
    loader = DataLoader(
        TensorDataset(torch.cat([x for x, _ in batches]), torch.cat([y for _, y in batches])), batch_size=12
    )
    losses = optim.fit(model, loader, lr=0.2, epochs=2)
    expected = reference_fit(twin, batches, lr=0.2, epochs=2)
    assert losses == pytest.approx(expected, rel=1e-5), (
        f"fit over a DataLoader of the same 4 batches, 2 epochs: got {len(losses)} losses {losses}, expected {expected}"
    )


@pytest.mark.kata("optim.fit")
def test_fit_puts_the_model_in_training_mode():
    from kata_harness.testing.training import ForwardWatcher

    model, batches = small_problem(dropout=0.5)
    model.eval()
    watchers = [ForwardWatcher(model), ForwardWatcher(model[2])]  # the model and its Dropout layer
    optim.fit(model, batches, lr=0.1, epochs=1)
    modes = [call["training"] for watcher in watchers for call in watcher.calls]
    assert modes and all(modes), (
        f"a model handed over in eval mode ran {modes.count(False)} of its forward passes in eval mode during fit: "
        "call model.train() before training - Dropout and BatchNorm behave differently in eval"
    )
    assert all(m.training for m in model.modules()), "after fit, every layer must still be in training mode"


@pytest.mark.kata("optim.fit")
def test_fit_changes_weights_never_kernel_size():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(2 * 3 * 3, 2))
    batches = [(torch.randn(4, 1, 5, 5), torch.tensor([0, 1, 0, 1]))]
    conv = model[0]
    before = conv.weight.detach().clone()
    optim.fit(model, batches, lr=0.1, epochs=3)
    assert conv.kernel_size == (3, 3) and conv.weight.shape == (2, 1, 3, 3), (
        f"after fit, kernel_size is {conv.kernel_size} and the weight {tuple(conv.weight.shape)}; expected (3, 3) and "
        "(2, 1, 3, 3): training changes parameter values, never a layer's settings or shapes"
    )
    assert not torch.equal(conv.weight.detach(), before), "training must change the kernel's values"
    assert "kernel_size" not in dict(model.named_parameters()), "kernel_size is a setting, not a Parameter"
