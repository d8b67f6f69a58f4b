"""Fixtures shared by the kata tests. Everything they create lives under tmp_path."""

from __future__ import annotations

import pytest


@pytest.fixture
def no_download(monkeypatch):
    """Fail loudly if torchvision tries to download anything."""
    import torchvision.datasets.cifar

    def refuse(*args, **kwargs):
        raise AssertionError(f"a kata tried to download {args[:1]}: pass download=False, the tests are offline")

    monkeypatch.setattr(torchvision.datasets.cifar, "download_and_extract_archive", refuse)


@pytest.fixture
def cifar_root(tmp_path, monkeypatch, no_download):
    """A CIFAR-10 stand-in in the real on-disk format (100 train, 40 test images), loadable by torchvision."""
    from kata_harness.testing.cifar_standin import lift_md5_check, write_cifar10

    lift_md5_check(monkeypatch)
    return write_cifar10(tmp_path / "data")


@pytest.fixture(scope="session", autouse=True)
def _session_in_tmp_dir(tmp_path_factory):
    """Module- and session-scoped fixtures run kata code too (a whole training run, once per module), before
    any function-scoped fixture: give them a temporary working directory as well. Session scope and
    autouse make this the first fixture set up, in every test process (xdist workers included)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path_factory.mktemp("cwd"))
        yield


@pytest.fixture(autouse=True)
def _work_in_tmp_path(tmp_path, monkeypatch):
    """Run every kata test inside its own tmp_path, so that even a wrong kata writing to a relative path
    (SummaryWriter's default ./runs, a checkpoint 'model.pth') leaves the repository untouched."""
    monkeypatch.chdir(tmp_path)

