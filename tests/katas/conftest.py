"""Fixtures shared by the kata tests. Everything they create lives under tmp_path."""

from __future__ import annotations

import pytest


@pytest.fixture
def no_download(monkeypatch):
    """Fail loudly if torchvision tries to download anything."""
    import torchvision.datasets.cifar

    from kata_harness.testing import lesson, says

    def refuse(*args, **kwargs):
        url = args[0] if args else kwargs.get("url")
        raise AssertionError(says(call=f"download_and_extract_archive({url!r}, ...)", lesson=lesson("cifar.never_download")))

    monkeypatch.setattr(torchvision.datasets.cifar, "download_and_extract_archive", refuse)


@pytest.fixture
def cifar_root(tmp_path, monkeypatch, no_download):
    """A CIFAR-10 stand-in in the real on-disk format (100 train, 40 test images), loadable by torchvision."""
    from kata_harness.testing.cifar_standin import lift_md5_check, write_cifar10

    lift_md5_check(monkeypatch)
    return write_cifar10(tmp_path / "data")


@pytest.fixture(autouse=True)
def _work_in_tmp_path(tmp_path, monkeypatch):
    """Run every kata test inside its own tmp_path, so that even a wrong kata writing to a relative path
    (SummaryWriter's default ./runs, a checkpoint 'model.pth') leaves the repository untouched. Code that runs
    outside a test (a kata module's import, a module-scoped fixture's training run) runs in the session's
    temporary working directory (kata_harness.plugin)."""
    monkeypatch.chdir(tmp_path)

