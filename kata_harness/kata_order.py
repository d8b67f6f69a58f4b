"""``--kata-order``: run each test with every LATER kata (katas.toml order) replaced by its pristine stub.

A learner works through the katas in order, so a test of kata K meets an implementation in which every
kata up to K is solved and every later one still raises NotImplementedError. Run against solutions/ with
this option, the suite reproduces exactly that for each test in turn: a test that needs a later kata
fails on that kata's stub. ``make check-order`` (kata_harness.checks.order) runs it.

The stubs are the files of katas/ imported under a private package name, so they never replace the
modules of kata_impl; the later katas' names are patched on kata_impl's modules for the duration of one
test (setup, call and teardown) and restored afterwards.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

import pytest

from kata_harness import impl, manifest
from kata_harness.paths import KATAS_DIR

STUBS = "_kata_order_stubs"


def _stub_module(module: str) -> types.ModuleType:
    if STUBS not in sys.modules:
        package = types.ModuleType(STUBS, "The pristine katas/, imported for --kata-order.")
        package.__path__ = [str(KATAS_DIR)]
        sys.modules[STUBS] = package
    return importlib.import_module(f"{STUBS}.{module}")


class LaterKatasStubbed:
    def __init__(self, katas: list[manifest.Kata]) -> None:
        self.katas = katas
        self.position = {kata.id: number for number, kata in enumerate(katas)}
        self._patch: pytest.MonkeyPatch | None = None

    def later_than(self, kata_id: str) -> list[manifest.Kata]:
        return self.katas[self.position[kata_id] + 1 :]

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        kata_id = dict(item.user_properties).get("kata")
        if kata_id not in self.position:
            return
        self._patch = pytest.MonkeyPatch()
        for kata in self.later_than(kata_id):
            target = sys.modules.get(f"{impl.PACKAGE}.{kata.module}")
            if target is not None and hasattr(target, kata.name):
                self._patch.setattr(target, kata.name, getattr(_stub_module(kata.module), kata.name))

    @pytest.hookimpl(hookwrapper=True, trylast=True)
    def pytest_runtest_teardown(self, item: pytest.Item, nextitem):
        yield
        if self._patch is not None:
            self._patch.undo()
            self._patch = None
