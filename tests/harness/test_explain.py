"""The table of common errors (kata_harness/errors.toml): each pattern matches the message the pinned
torch/torchvision/PIL really produce, and a failing kata test's report gets the explanation."""

from __future__ import annotations

import re

import pytest

from kata_harness import explain, manifest
from tests.harness.helpers import output

TABLE = explain.load()
KATAS = {kata.id: kata for kata in manifest.load()}


class _Pickled:
    """A custom class: torch.load(weights_only=True) refuses to unpickle it."""


def _error_of(action) -> str:
    try:
        action()
    except Exception as exc:  # noqa: BLE001 - the message is what the test is about
        return explain.exception_text(exc)
    raise AssertionError(f"{action} raised nothing; the test needs the error it is meant to trigger")


def _linear_shapes():
    import torch

    torch.nn.Linear(3, 2)(torch.ones(1, 4))


def _same_device():
    import torch

    # CPU only here: the meta device is refused the same way a CUDA tensor is ("... is not on the expected device").
    torch.nn.Linear(2, 2).to("meta")(torch.ones(1, 2))


def _dtype_linear():
    import torch

    torch.nn.Linear(2, 2)(torch.ones(1, 2, dtype=torch.float64))


def _dtype_conv():
    import torch

    torch.nn.Conv2d(3, 4, 3)(torch.ones(1, 3, 5, 5, dtype=torch.float64))


def _conv_channels():
    import torch

    torch.nn.Conv2d(3, 4, 3)(torch.ones(1, 1, 5, 5))


def _conv_input_dims():
    import torch

    torch.nn.Conv2d(3, 4, 3)(torch.ones(5, 5))


def _pool_output_too_small():
    import torch

    torch.nn.MaxPool2d(2)(torch.ones(1, 1, 1, 1))


def _conv_kernel_too_big():
    import torch

    torch.nn.Conv2d(1, 1, 5)(torch.ones(1, 1, 3, 3))


def _view_stride():
    import torch

    torch.ones(2, 3).t().view(6)


def _reshape_size():
    import torch

    torch.ones(6).reshape(4, 2)


def _no_grad_fn():
    import torch

    torch.ones(2).sum().backward()


def _backward_twice():
    import torch

    x = torch.ones(2, requires_grad=True)
    loss = (x * x).sum()
    loss.backward()
    loss.backward()


def _leaf_in_place():
    import torch

    torch.ones(2, requires_grad=True).add_(1)


def _module_before_init():
    import torch

    class Net(torch.nn.Module):
        def __init__(self):
            self.fc = torch.nn.Linear(1, 1)  # before super().__init__()

    Net()


def _class_not_instance():
    import torch

    torch.nn.Sequential(torch.nn.Linear(4, 2), torch.nn.Flatten)  # the class, not nn.Flatten()


def _loss_class_given_tensors():
    import torch

    torch.nn.L1Loss(torch.ones(3), torch.zeros(3))  # the tensors go to the constructor's options


def _tensor_in_if():
    import torch

    if torch.ones(3) > 0:
        pass


def _stack_sizes():
    import torch

    torch.stack([torch.ones(2), torch.ones(3)])


def _dataloader_not_iterator():
    import torch

    next(torch.utils.data.DataLoader([1, 2]))


def _cross_entropy_batch():
    import torch

    torch.nn.functional.cross_entropy(torch.ones(2, 3), torch.zeros(3, dtype=torch.long))


def _pil_data_type():
    import numpy as np
    from PIL import Image

    Image.fromarray(np.zeros((1, 1, 20), np.uint8))


def _pil_chw_image():
    import numpy as np
    from PIL import Image

    Image.fromarray(np.zeros((3, 32, 32), np.uint8))  # channels first, where PIL wants (H, W, C)


def _weights_only(tmp_path):
    import torch

    torch.save(_Pickled(), tmp_path / "whole.pt")
    torch.load(tmp_path / "whole.pt", weights_only=True)


def _dataset_not_found(tmp_path):
    import torchvision

    torchvision.datasets.CIFAR10(tmp_path, download=False)


# entry id -> the actions that make the pinned libraries raise it for real (on the CPU)
TRIGGERED = {
    "linear-shapes": [_linear_shapes],
    "same-device": [_same_device],
    "dtype-mismatch": [_dtype_linear, _dtype_conv],
    "conv-channels": [_conv_channels],
    "conv-input-dims": [_conv_input_dims],
    "output-too-small": [_pool_output_too_small, _conv_kernel_too_big],
    "view-stride": [_view_stride],
    "reshape-size": [_reshape_size],
    "no-grad-fn": [_no_grad_fn],
    "backward-twice": [_backward_twice],
    "leaf-in-place": [_leaf_in_place],
    "module-before-init": [_module_before_init],
    "stack-sizes": [_stack_sizes],
    "class-not-instance": [_class_not_instance],
    "tensor-as-bool": [_loss_class_given_tensors, _tensor_in_if],
    "dataloader-not-iterator": [_dataloader_not_iterator],
    "cross-entropy-batch": [_cross_entropy_batch],
    "pil-data-type": [_pil_data_type, _pil_chw_image],
    "weights-only": [_weights_only],
    "dataset-not-found": [_dataset_not_found],
}

# entry id -> messages recorded from torch's source (they need a GPU or a crashing worker process)
RECORDED = {
    "same-device": [
        # torch 2.14, aten (libtorch_cpu): "Expected all tensors to be on the same device, but got {arg} is on ..."
        "Expected all tensors to be on the same device, but got mat2 is on cpu, different from other tensors on "
        "cuda:0 (when checking argument in method wrapper_CUDA_mm)",
        # torch 2.4 wording
        "Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!",
        # cudnn convolution with a CUDA input and a CPU model
        "Input type (torch.cuda.FloatTensor) and weight type (torch.FloatTensor) should be the same",
        "Input type (torch.FloatTensor) and weight type (torch.cuda.FloatTensor) should be the same or input "
        "should be a MKLDNN tensor and weight is a dense tensor",
    ],
    "dtype-mismatch": [
        "Input type (torch.cuda.DoubleTensor) and weight type (torch.cuda.FloatTensor) should be the same",
        "expected scalar type Float but found Double",
    ],
    "dataloader-worker-died": [
        # torch/utils/data/dataloader.py (_try_get_data)
        "DataLoader worker (pid(s) 4242) exited unexpectedly",
        # torch/csrc/DataLoader.cpp (libtorch_python): the SIGCHLD handler's two messages
        "DataLoader worker (pid 4242) exited unexpectedly with exit code 1. Details are lost due to "
        "multiprocessing. Rerunning with num_workers=0 may give better error trace.",
        "DataLoader worker (pid 4242) is killed by signal: Killed. ",
    ],
    "out-of-memory": [
        # c10/cuda/CUDACachingAllocator.cpp, torch 2.14 (torch.OutOfMemoryError)
        "CUDA out of memory. Tried to allocate 20.00 MiB. GPU 0 has a total capacity of 79.15 GiB of which "
        "3.56 MiB is free. Including non-PyTorch memory, this process has 79.14 GiB memory in use.",
        # older wording, and a kernel launch that failed for lack of memory
        "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 7.79 GiB total capacity; 5.12 GiB already allocated)",
        "CUDA error: out of memory",
        "MPS backend out of memory (MPS allocated: 9.00 GB, other allocations: 0 bytes, max allowed: 9.07 GB).",
    ],
}

IDS = [entry.id for entry in TABLE]


def test_errors_table_is_large_enough_and_well_formed():
    assert len(TABLE) >= 15, f"errors.toml has {len(TABLE)} entries; the issue asks for at least 15"
    assert len(set(IDS)) == len(IDS), f"errors.toml repeats an id: {IDS}"
    for entry in TABLE:
        assert entry.kata in KATAS, f"errors.toml: {entry.id} names kata {entry.kata!r}, which katas.toml lacks"
        assert entry.explanation and entry.explanation.count(". ") <= 2, f"{entry.id}: keep the explanation short"


def test_every_pattern_is_tested_against_a_real_or_recorded_message():
    untested = [entry_id for entry_id in IDS if entry_id not in TRIGGERED and entry_id not in RECORDED]
    assert not untested, f"give these entries a message to match in {__name__}: {untested}"
    assert set(TRIGGERED) | set(RECORDED) <= set(IDS), "a test message names an entry errors.toml lacks"


REAL_CASES = [
    pytest.param(entry_id, action, id=f"{entry_id}-{action.__name__.strip('_')}")
    for entry_id, actions in TRIGGERED.items()
    for action in actions
]
RECORDED_CASES = [
    pytest.param(entry_id, message, id=f"{entry_id}-{number}")
    for entry_id, messages in RECORDED.items()
    for number, message in enumerate(messages)
]


@pytest.mark.parametrize(("entry_id", "action"), REAL_CASES)
def test_pattern_matches_the_message_the_pinned_library_raises(entry_id, action, tmp_path):
    message = _error_of(lambda: action(tmp_path) if action.__code__.co_argcount else action())
    found = explain.explain(message)
    assert found is not None and found.id == entry_id, (
        f"the real message {message!r} was explained as {found and found.id!r}, expected {entry_id!r}"
    )


@pytest.mark.parametrize(("entry_id", "message"), RECORDED_CASES)
def test_pattern_matches_a_message_recorded_from_torch_source(entry_id, message):
    found = explain.explain(message)
    assert found is not None and found.id == entry_id, (
        f"the recorded message {message!r} was explained as {found and found.id!r}, expected {entry_id!r}"
    )


@pytest.mark.parametrize(
    "text",
    ["TODO: implement tensors.reshape (katas/tensors.py)", "assert 3 == 4", ""],
    ids=["kata-stub", "plain-assert", "empty"],
)
def test_explain_leaves_other_failures_alone(text):
    assert explain.explain(text) is None


def test_exception_text_includes_the_error_it_was_raised_from():
    try:
        try:
            _stack_sizes()
        except RuntimeError as exc:
            raise AssertionError("Called collate(batch). It raised an error") from exc
    except AssertionError as exc:
        text = explain.exception_text(exc)
    assert re.search("Called collate", text) and explain.explain(text).id == "stack-sizes", text


PROBE = """
import pytest
import torch


@pytest.mark.kata("modules.CifarNet")
def test_forward_with_a_wrong_flatten_size():
    torch.nn.Linear(3, 2)(torch.ones(1, 4))
"""


def test_failing_kata_test_report_explains_a_known_error(run, tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text(PROBE)
    done = run("-m", "pytest", "-p", "no:cacheprovider", "-p", "kata_harness.plugin", "-c", "pytest.ini", str(probe))
    assert done.returncode == 1, output(done)
    assert explain.SECTION in done.stdout, output(done)
    teaches = f"The kata that teaches it: modules.CifarNet - {KATAS['modules.CifarNet'].title}"
    assert teaches in done.stdout, output(done)
