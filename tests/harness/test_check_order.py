"""check-order: a test of kata K passes with the katas up to K solved and every later kata a stub."""

# The passing path runs for real on the whole suite in every `make check-order`; these tests prove the failing paths.

from tests.harness.helpers import output

PROBE = '''
import pytest
import torch
from kata_impl import tensors


@pytest.mark.kata("tensors.pick_device")
def test_pick_device_calls_a_later_kata():
    assert tensors.reshape(torch.arange(4), (2, 2)).shape == (2, 2)


@pytest.mark.kata("tensors.reshape")
def test_reshape_calls_an_earlier_kata():
    assert tensors.pick_device().type in ("cpu", "cuda")
'''


def test_check_order_names_a_test_that_relies_on_a_later_kata(run, tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text(PROBE)
    done = run("-m", "kata_harness.checks.order", "-p", "kata_harness.plugin", "-c", "pytest.ini", str(probe))
    assert done.returncode == 1, output(done)
    assert "test_pick_device_calls_a_later_kata [tensors.pick_device]" in done.stdout, output(done)
    assert "kata tensors.reshape is not solved yet" in done.stdout, output(done)
    assert "test_reshape_calls_an_earlier_kata" not in done.stdout, output(done)
