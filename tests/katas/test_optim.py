"""Kata 11 (katas/optim.py): backward, gradient accumulation, SGD by hand, one step, a few epochs."""

import copy
import math

import pytest
import torch
from torch import nn

from kata_harness.testing import assert_tensors_close, lesson, raises_from, says, sequence_of, shape_of
from kata_harness.testing.training import reference_sgd as reference_fit
from kata_harness.testing.training import small_problem
from kata_impl import optim


# --- gradient_of -----------------------------------------------------------------------------------


@pytest.mark.kata("optim.gradient_of")
def test_gradient_of_sum_of_squares_is_two_x():
    x = torch.tensor([1.0, -2.0, 3.0])
    expected = 2 * x
    grad = optim.gradient_of(lambda t: (t**2).sum(), x)
    assert_tensors_close(
        grad, expected,
        call=f"gradient_of(lambda t: (t**2).sum(), {x.tolist()})",
        lesson=lesson("optim.gradient_of_two_x"),
    )  # fmt: skip


@pytest.mark.kata("optim.gradient_of")
def test_gradient_of_leaves_the_input_alone_and_does_not_accumulate():
    x = torch.tensor([1.0, 2.0])
    call = "x = torch.tensor([1.0, 2.0]); gradient_of(lambda t: (t**3).sum(), x)"
    first = optim.gradient_of(lambda t: (t**3).sum(), x)
    second = optim.gradient_of(lambda t: (t**3).sum(), x)
    assert x.tolist() == [1.0, 2.0], says(
        call=f"{call}; x", returned=repr(x.tolist()), expected="[1.0, 2.0]",
        lesson=lesson("optim.gradient_of_keeps_x_values"),
    )  # fmt: skip
    assert not x.requires_grad and x.grad is None, says(
        call=f"{call}; (x.requires_grad, x.grad)", returned=repr((x.requires_grad, x.grad)),
        expected="(False, None)", lesson=lesson("optim.gradient_of_keeps_x_out_of_the_graph"),
    )  # fmt: skip
    assert_tensors_close(
        first, torch.tensor([3.0, 12.0]),
        call=call,
        lesson=lesson("optim.gradient_of_three_t_squared"),
    )  # fmt: skip
    assert_tensors_close(
        second, first,
        call=f"{call}; gradient_of(lambda t: (t**3).sum(), x)",
        lesson=lesson("optim.gradient_of_does_not_accumulate"),
    )  # fmt: skip


@pytest.mark.kata("optim.gradient_of")
def test_gradient_of_leaves_a_callers_grad_alone():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    x.grad = torch.tensor([10.0, 10.0])  # the caller's own, earlier gradient
    call = (
        "x = torch.tensor([1.0, 2.0], requires_grad=True); x.grad = torch.tensor([10.0, 10.0]); "
        "gradient_of(lambda t: (t**2).sum(), x)"
    )
    got = optim.gradient_of(lambda t: (t**2).sum(), x)
    assert x.grad is not None and x.grad.tolist() == [10.0, 10.0], says(
        call=f"{call}; x.grad", returned=repr(None if x.grad is None else x.grad.tolist()),
        expected="[10.0, 10.0]", lesson=lesson("optim.gradient_of_keeps_the_callers_grad"),
    )  # fmt: skip
    assert x.is_leaf and x.requires_grad, says(
        call=f"{call}; (x.is_leaf, x.requires_grad)", returned=repr((x.is_leaf, x.requires_grad)),
        expected="(True, True)", lesson=lesson("optim.gradient_of_keeps_x_a_leaf"),
    )  # fmt: skip
    assert got is not None, says(call=call, returned="None", lesson=lesson("optim.gradient_of_none_from_a_non_leaf"))
    assert_tensors_close(
        got, torch.tensor([2.0, 4.0]),
        call=call,
        lesson=lesson("optim.gradient_of_ignores_the_callers_grad"),
    )  # fmt: skip


@pytest.mark.kata("optim.gradient_of")
def test_gradient_of_a_non_scalar_needs_a_gradient_argument():
    # torch's wording changes between versions: the type is the lesson
    raises_from(
        RuntimeError, optim.gradient_of, lambda t: t * 2, torch.ones(3),
        call="gradient_of(lambda t: t * 2, torch.ones(3))",
        lesson=lesson("optim.gradient_of_non_scalar_raises"),
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
    call = "p0, p1 = [1.0, 2.0], [[0.5]]; p0.grad, p1.grad = [0.5, -1.0], [[2.0]]; sgd_step_by_hand([p0, p1], lr=0.1)"
    assert_tensors_close(
        params[0].detach(), torch.tensor([0.95, 2.1]),
        call=f"{call}; p0",
        lesson=lesson("optim.sgd_plain_step"),
    )  # fmt: skip
    assert_tensors_close(
        params[1].detach(), torch.tensor([[0.3]]),
        call=f"{call}; p1",
        lesson=lesson("optim.sgd_plain_step_every_parameter"),
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
        reference.step()
        buffers = optim.sgd_step_by_hand(ours, lr=0.05, momentum=momentum, buffers=buffers)
        for p, q in zip(ours, theirs):
            assert_tensors_close(
                p.detach(), q.detach(),
                call=f"{'p.grad.copy_(g)' if grads == 'reused' else 'p.grad = g'}; "
                f"buffers = sgd_step_by_hand(params, lr=0.05, momentum={momentum}, buffers=buffers)",
                lesson=lesson("optim.sgd_matches_torch_sgd", step=step + 1),
            )  # fmt: skip


@pytest.mark.kata("optim.sgd_step_by_hand")
def test_sgd_step_by_hand_first_velocity_is_a_copy_of_the_gradient():
    params = with_grads(torch.tensor([1.0, 2.0]), torch.tensor([3.0]))
    params[0].grad, params[1].grad = torch.tensor([0.5, -1.0]), torch.tensor([4.0])
    expected = [p.grad.clone() for p in params]
    call = "p0.grad, p1.grad = [0.5, -1.0], [4.0]; buffers = sgd_step_by_hand([p0, p1], lr=0.1, momentum=0.9)"
    buffers = optim.sgd_step_by_hand(params, lr=0.1, momentum=0.9)
    assert isinstance(buffers, list) and len(buffers) == 2, says(
        call=call, returned=shape_of(buffers), expected=sequence_of("list", 2), lesson=lesson("optim.sgd_one_buffer_each")
    )
    for i, (b, g) in enumerate(zip(buffers, expected)):
        assert_tensors_close(
            b, g,
            call=f"{call}; buffers[{i}]",
            lesson=lesson("optim.sgd_first_velocity_is_the_gradient"),
        )  # fmt: skip
    assert_tensors_close(
        params[0].detach(), torch.tensor([0.95, 2.1]),
        call=f"{call}; p0",
        lesson=lesson("optim.sgd_first_momentum_step"),
    )  # fmt: skip


@pytest.mark.kata("optim.sgd_step_by_hand")
@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_step_by_hand_leaves_grad_alone(momentum):
    params = with_grads(torch.tensor([1.0, 2.0]), torch.tensor([3.0]))
    params[0].grad, params[1].grad = torch.tensor([0.5, -1.0]), torch.tensor([4.0])
    buffers = optim.sgd_step_by_hand(params, lr=0.1, momentum=momentum)
    optim.sgd_step_by_hand(params, lr=0.1, momentum=momentum, buffers=buffers)
    for i, (p, expected) in enumerate(zip(params, ([0.5, -1.0], [4.0]))):
        assert p.grad.tolist() == expected, says(
            call=f"buffers = sgd_step_by_hand(params, lr=0.1, momentum={momentum}); "
            f"sgd_step_by_hand(params, lr=0.1, momentum={momentum}, buffers=buffers); params[{i}].grad",
            returned=repr(p.grad.tolist()), expected=repr(expected), lesson=lesson("optim.sgd_leaves_grad_alone"),
        )  # fmt: skip


@pytest.mark.kata("optim.sgd_step_by_hand")
def test_sgd_step_by_hand_updates_the_models_own_tensors():
    model = nn.Linear(2, 1)
    weight = model.weight
    alias = weight.detach()  # shares the storage, like a state_dict entry does
    model(torch.ones(1, 2)).sum().backward()
    before = weight.detach().clone()
    call = (
        "model = nn.Linear(2, 1); weight = model.weight; alias = weight.detach(); "
        "sgd_step_by_hand(list(model.parameters()), lr=1.0)"
    )
    optim.sgd_step_by_hand(list(model.parameters()), lr=1.0)
    assert model.weight is weight, says(
        call=f"{call}; model.weight is weight", returned="False", expected="True",
        lesson=lesson("optim.sgd_keeps_the_parameter_objects"),
    )  # fmt: skip
    assert_tensors_close(
        weight.detach(), before - 1.0,
        call=f"{call}; weight",
        lesson=lesson("optim.sgd_moves_the_models_weight"),
    )  # fmt: skip
    assert_tensors_close(
        alias, before - 1.0,
        call=f"{call}; alias",
        lesson=lesson("optim.sgd_updates_the_storage"),
    )  # fmt: skip
    state = (weight.is_leaf, weight.requires_grad, weight.grad_fn)
    assert state == (True, True, None), says(
        call=f"{call}; (weight.is_leaf, weight.requires_grad, weight.grad_fn)", returned=repr(state),
        expected="(True, True, None)", lesson=lesson("optim.sgd_update_is_not_recorded"),
    )  # fmt: skip


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
    assert not built, says(
        call="buffers = sgd_step_by_hand([p], lr=0.1, momentum=0.5); "
        "sgd_step_by_hand([p], lr=0.1, momentum=0.5, buffers=buffers)",
        returned=f"torch.optim.{built[0]}(...)" if built else None,
        lesson=lesson("optim.sgd_builds_no_optimizer", optimizer=f"torch.optim.{built[0] if built else 'SGD'}"),
    )  # fmt: skip


@pytest.mark.kata("optim.sgd_step_by_hand")
@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_step_by_hand_does_not_call_torchs_sgd_functions(monkeypatch, momentum):
    import torch.optim._functional as functional
    import torch.optim.sgd as sgd_module

    call = (
        f"p = [1.0, 2.0]; p.grad = [0.5, -1.0]; buffers = sgd_step_by_hand([p], lr=0.1, momentum={momentum}); "
        f"sgd_step_by_hand([p], lr=0.1, momentum={momentum}, buffers=buffers); p"
    )

    def forbidden(*args, **kwargs):
        raise AssertionError(says(call=call, lesson=lesson("optim.sgd_calls_no_sgd_function")))

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
    expected = [0.9, 2.2] if momentum == 0 else [0.855, 2.29]  # g, then m * g + g = 1.9 g for the second step
    buffers = optim.sgd_step_by_hand(params, lr=0.1, momentum=momentum)
    optim.sgd_step_by_hand(params, lr=0.1, momentum=momentum, buffers=buffers)
    assert_tensors_close(
        params[0].detach(), torch.tensor(expected),
        call=call,
        lesson=lesson("optim.sgd_by_hand_still_right"),
    )  # fmt: skip


# --- train_step ------------------------------------------------------------------------------------


def assert_a_float(value, call):
    """A step's loss is a Python float: checked before any arithmetic on it, so a tensor is named as such."""
    __tracebackhide__ = True
    assert type(value) is float, says(
        call=call, returned=shape_of(value), expected="float", lesson=lesson("optim.loss_is_a_python_float")
    )


def assert_same_parameters(model, twin, call, lesson_text):
    __tracebackhide__ = True
    for (name, p), q in zip(model.named_parameters(), twin.parameters()):
        assert_tensors_close(p, q, call=f"{call}; dict(model.named_parameters())[{name!r}]", lesson=lesson_text)


@pytest.mark.kata("optim.train_step")
def test_train_step_matches_a_reference_step():
    model, batches = small_problem()
    twin = copy.deepcopy(model)
    x, y = batches[0]
    expected = reference_fit(twin, [(x, y)], lr=0.1, epochs=1)[0]
    call = "train_step(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), x, y)"
    loss = optim.train_step(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), x, y)
    assert_a_float(loss, call)
    assert loss == pytest.approx(expected), says(
        call=call, returned=f"{loss:.6g}", expected=f"{expected:.6g}", lesson=lesson("optim.train_step_loss_before")
    )
    assert_same_parameters(model, twin, call, lesson("optim.train_step_one_clean_step"))


def give_stale_gradients(model):
    """What an earlier backward (or an evaluation that forgot no_grad) leaves behind."""
    for p in model.parameters():
        p.grad = torch.full_like(p, 3.0)


@pytest.mark.kata("optim.train_step")
def test_train_step_clears_stale_gradients_first():
    # Compared with the learner's own step on an identical model without stale gradients: this test judges only
    # whether stale gradients change the step (whether the step itself is right is the reference test's job).
    model, batches = small_problem()
    clean = copy.deepcopy(model)
    give_stale_gradients(model)
    x, y = batches[0]
    optim.train_step(clean, nn.CrossEntropyLoss(), torch.optim.SGD(clean.parameters(), lr=0.1), x, y)
    optim.train_step(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), x, y)
    assert_same_parameters(
        model, clean, "train_step(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), x, y)",
        lesson("optim.train_step_stale_gradients_count"),
    )  # fmt: skip


@pytest.mark.kata("optim.train_step")
def test_train_step_clears_old_gradients():
    model, batches = small_problem()
    twin = copy.deepcopy(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for call_number, (x, y) in enumerate(batches[:3], start=1):
        reference_fit(twin, [(x, y)], lr=0.1, epochs=1)  # plain SGD keeps no state: one step per call is the same
        optim.train_step(model, nn.CrossEntropyLoss(), optimizer, x, y)
        if call_number == 1:
            text = lesson("optim.train_step_first_call_differs")
        else:
            text = lesson("optim.train_step_later_call_differs", number=call_number)
        assert_same_parameters(
            model, twin, f"for x, y in batches[:{call_number}]: train_step(model, loss_fn, optimizer, x, y)", text,
        )  # fmt: skip


@pytest.mark.kata("optim.train_step")
def test_train_step_loss_falls_on_a_fixed_batch():
    model, batches = small_problem()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    x, y = batches[0]
    call = "[train_step(model, nn.CrossEntropyLoss(), optimizer, x, y) for _ in range(20)]"
    losses = [optim.train_step(model, nn.CrossEntropyLoss(), optimizer, x, y) for _ in range(20)]
    assert_a_float(losses[0], f"{call}[0]")
    assert losses[-1] < 0.5 * losses[0], says(
        call=call, returned=f"{losses[0]:.3f} -> {losses[-1]:.3f}", expected=f"< {0.5 * losses[0]:.3f}",
        lesson=lesson("optim.train_step_loss_falls"),
    )  # fmt: skip


# --- fit -------------------------------------------------------------------------------------------


def assert_step_losses(losses, expected, call, *, against="reference"):
    """fit's step losses: a list of one Python float per step (checked first, so tensors never reach the
    comparison), then the first step whose loss differs - named with what it tells."""
    __tracebackhide__ = True
    assert isinstance(losses, list) and len(losses) == len(expected), says(
        call=call, returned=shape_of(losses), expected=sequence_of("list", len(expected)),
        lesson=lesson("optim.fit_one_loss_per_step", steps=len(expected)),
    )  # fmt: skip
    kinds = [type(v).__name__ for v in losses if type(v) is not float]
    assert not kinds, says(
        call=call, returned=f"[{shape_of(next(v for v in losses if type(v) is not float))}, ...]",
        expected="[float, ...]", lesson=lesson("optim.loss_is_a_python_float"),
    )  # fmt: skip
    for step, (got, want) in enumerate(zip(losses, expected)):
        if math.isclose(got, want, rel_tol=1e-5, abs_tol=1e-12):
            continue
        if against == "clean run":
            text = lesson("optim.fit_stale_gradients_count")
        elif step == 0:
            text = lesson("optim.fit_first_loss_differs")
        else:
            text = lesson("optim.fit_updates_are_not_plain_sgd", step=step + 1)
        pytest.fail(says(call=call, returned=f"losses[{step}] = {got:.6g}", expected=f"{want:.6g}", lesson=text),
                    pytrace=False)  # fmt: skip


@pytest.mark.kata("optim.fit")
def test_fit_matches_a_reference_training_loop():
    model, batches = small_problem()
    twin = copy.deepcopy(model)
    expected = reference_fit(twin, batches, lr=0.2, epochs=3)
    losses = optim.fit(model, batches, lr=0.2, epochs=3)
    assert_step_losses(losses, expected, "fit(model, batches, lr=0.2, epochs=3)")


@pytest.mark.kata("optim.fit")
def test_fit_reduces_the_loss():
    model, batches = small_problem(seed=1)
    call = "fit(model, batches, lr=0.2, epochs=10)"
    losses = optim.fit(model, batches, lr=0.2, epochs=10)
    assert isinstance(losses, list) and len(losses) == 40, says(
        call=call, returned=shape_of(losses), expected=sequence_of("list", 40),
        lesson=lesson("optim.fit_one_loss_per_step", steps=40),
    )  # fmt: skip
    assert all(type(v) is float for v in losses), says(
        call=call, returned=f"[{shape_of(losses[0])}, ...]", expected="[float, ...]",
        lesson=lesson("optim.loss_is_a_python_float"),
    )  # fmt: skip
    first, last = sum(losses[:4]) / 4, sum(losses[-4:]) / 4
    assert last < 0.5 * first, says(
        call=call, returned=f"{first:.3f} -> {last:.3f}", expected=f"< {0.5 * first:.3f}",
        lesson=lesson("optim.fit_loss_falls"),
    )  # fmt: skip


@pytest.mark.kata("optim.fit")
def test_fit_clears_stale_gradients():
    # Regression (a learner's fit with momentum=0.9 was told to clear its gradients): the run with stale gradients
    # is compared with the learner's own run on an identical model without them, so only stale gradients that
    # change the result fail here. Whether the updates are plain SGD's is test_fit_matches_a_reference_training_loop's.
    model, batches = small_problem()
    clean = copy.deepcopy(model)
    give_stale_gradients(model)
    expected = optim.fit(clean, batches, lr=0.2, epochs=1)
    losses = optim.fit(model, batches, lr=0.2, epochs=1)
    assert_step_losses(
        losses, expected, "fit(model, batches, lr=0.2, epochs=1)",
        against="clean run",
    )  # fmt: skip


@pytest.mark.kata("optim.fit")
def test_fit_accepts_a_dataloader():
    from torch.utils.data import DataLoader, TensorDataset

    model, batches = small_problem()
    twin = copy.deepcopy(model)
    expected = reference_fit(twin, batches, lr=0.2, epochs=2)
    loader = DataLoader(
        TensorDataset(torch.cat([x for x, _ in batches]), torch.cat([y for _, y in batches])), batch_size=12
    )
    losses = optim.fit(model, loader, lr=0.2, epochs=2)
    assert_step_losses(losses, expected, "fit(model, DataLoader(TensorDataset(x, y), batch_size=12), lr=0.2, epochs=2)")


@pytest.mark.kata("optim.fit")
def test_fit_puts_the_model_in_training_mode():
    from kata_harness.testing.training import ForwardWatcher

    model, batches = small_problem(dropout=0.5)
    model.eval()
    watchers = [ForwardWatcher(model), ForwardWatcher(model[2])]  # the model and its Dropout layer
    call = "model.eval(); fit(model, batches, lr=0.1, epochs=1)"
    optim.fit(model, batches, lr=0.1, epochs=1)
    modes = [seen["training"] for watcher in watchers for seen in watcher.calls]
    assert modes and all(modes), says(
        call=call, lesson=lesson("optim.fit_trains_in_training_mode", eval_calls=modes.count(False), calls=len(modes)),
    )  # fmt: skip
    still_training = [name or "model" for name, m in model.named_modules() if not m.training]
    assert not still_training, says(
        call=f"{call}; [name for name, m in model.named_modules() if not m.training]", returned=repr(still_training),
        expected="[]",
        lesson=lesson("optim.fit_leaves_training_mode_on"),
    )  # fmt: skip


@pytest.mark.kata("optim.fit")
def test_fit_changes_weights_never_kernel_size():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(2 * 3 * 3, 2))
    batches = [(torch.randn(4, 1, 5, 5), torch.tensor([0, 1, 0, 1]))]
    conv = model[0]
    before = conv.weight.detach().clone()
    call = (
        "model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(18, 2)); "
        "fit(model, [(x, y)], lr=0.1, epochs=3)"
    )
    optim.fit(model, batches, lr=0.1, epochs=3)
    settings = (conv.kernel_size, tuple(conv.weight.shape))
    assert settings == ((3, 3), (2, 1, 3, 3)), says(
        call=f"{call}; (model[0].kernel_size, model[0].weight.shape)", returned=repr(settings),
        expected="((3, 3), (2, 1, 3, 3))", lesson=lesson("optim.fit_keeps_settings_and_shapes"),
    )  # fmt: skip
    assert not torch.equal(conv.weight.detach(), before), says(
        call=f"{call}; model[0].weight", lesson=lesson("optim.fit_changes_the_callers_weights")
    )
    assert "kernel_size" not in dict(model.named_parameters()), says(
        call=f"{call}; list(dict(model.named_parameters()))", returned=repr(list(dict(model.named_parameters()))),
        lesson=lesson("optim.fit_kernel_size_is_a_setting"),
    )  # fmt: skip
