"""The pytest plugin behind the suite, loaded by the root conftest.py.

- ``--impl`` / ``KATAS_IMPL``: which implementation ``kata_impl`` means (default: katas/);
  ``--impl-overlay``: one module replaced by a file from mutants/.
- ``--kata ID[,ID]``: only those katas' tests (other kata test files are not even imported).
- ``--kata-order``: every test runs with the katas after its own left as stubs (make check-order).
- with pytest-timeout, each kata test is bounded by its kata's timeout (kata_harness.deadlines).
- ``--start-method`` / ``KATAS_START_METHOD``: the multiprocessing start method for DataLoader workers
  (fork, spawn, forkserver), to run the suite as macOS, Windows or Python 3.14 would.
- ``@pytest.mark.kata("module.name")``: ties a test to its manifest entry; every kata test needs one.
- ``@pytest.mark.cuda``: skipped, with the reason, where CUDA is not available.
- an autouse fixture seeds torch, random and numpy and restores their state afterwards.
- the session runs in a fresh temporary working directory (collection imports the kata modules, and module
  level code such as ``torch.save(model, "model.pth")`` must not write into the checkout).
- a kata test file that does not import because of the learner's code: its collection report carries the
  kata module and the learner's line (``kata_module``, ``kata_load_error``) for the progress report.
- a failure raised by a kata's own NotImplementedError is labelled (for check-katas) and shown in one line.
- at the end of a run against katas/ (or a learner's own copy), the progress report.
"""

from __future__ import annotations

import linecache
import os
import random
import shutil
import sys
import tempfile
import threading
from pathlib import Path

import _pytest._code
import pytest

from kata_harness import deadlines, explain, failure, impl, manifest
from kata_harness.paths import ALTERNATIVES_DIR, KATA_TESTS_DIR, KATAS_DIR, MUTANTS_DIR, SOLUTIONS_DIR

SEED = 0
START_METHOD_ENV = "KATAS_START_METHOD"
NO_CUDA_REASON = "CUDA is not available (torch.cuda.is_available() is False): run this on a GPU runner"


def pytest_addoption(parser: pytest.Parser) -> None:
    from kata_harness import i18n  # --lang zh|en: the language of what the harness prints, failures' framing included

    group = parser.getgroup("katas")
    group.addoption(
        "--impl",
        default=None,
        help="implementation to test: 'katas' (default), 'solutions', or the path of a directory laid out like "
        f"solutions/. Also read from ${impl.ENV_VAR}.",
    )
    group.addoption(
        "--kata",
        default=None,
        metavar="ID[,ID...]",
        help="run only the tests of these katas, e.g. --kata tensors.reshape (see python -m kata_harness list)",
    )
    group.addoption(
        "--all-failures",
        action="store_true",
        help="show the failures of every kata, not only those of the first unsolved one",
    )
    group.addoption(
        "--kata-order",
        action="store_true",
        help="run each test with every later kata (katas.toml order) replaced by its stub: a test of kata K may "
        "rely on the katas up to K only (make check-order)",
    )
    group.addoption(
        "--start-method",
        default=None,
        choices=["fork", "spawn", "forkserver"],
        help=f"multiprocessing start method for DataLoader workers (default: the platform's). Also read from "
        f"${START_METHOD_ENV}.",
    )
    group.addoption(
        "--impl-overlay",
        default=None,
        help="a file mutants/<module>/<bug>.py that stands in for that module of the implementation (how the "
        "deliberately wrong versions are run).",
    )
    group.addoption(
        "--lang",
        default=None,
        metavar="zh|en",
        help=f"the language of the progress report and the error explanations (default: ${i18n.ENV_VAR}, else "
        "the locale: LC_ALL / LC_MESSAGES / LANG starting with zh gives zh)",
    )


def pytest_configure(config: pytest.Config) -> None:
    from kata_harness import i18n

    _keep_hypothesis_out_of_the_repo()
    _share_cores_between_xdist_workers()
    choice = config.getoption("--impl") or os.environ.get(impl.ENV_VAR)
    overlay_choice = config.getoption("--impl-overlay") or os.environ.get(impl.ENV_OVERLAY)
    start = config.invocation_params.dir  # relative paths are the user's, from where pytest was started
    try:
        base = impl.resolve(choice, start)
        overlay = impl.resolve_overlay(overlay_choice, start)
        katas = manifest.load()
        lang = i18n.detect(config.getoption("--lang"))
    except (impl.ImplError, manifest.ManifestError, i18n.LanguageError) as exc:
        raise pytest.UsageError(str(exc)) from None
    _set_start_method(config.getoption("--start-method") or os.environ.get(START_METHOD_ENV))
    impl.activate(base, overlay)
    state = config.stash[_STATE] = _State(base, overlay, katas, lang)
    from kata_harness import testing

    testing.set_lang(lang)  # the framing of the kata tests' failures ("Called ... It returned ...")
    config.pluginmanager.register(_TemporaryWorkingDirectory(), "kata-temporary-cwd")
    config.pluginmanager.register(_FailureLabels(), "kata-failure-labels")
    config.pluginmanager.register(_NoProcessExit(), "kata-no-process-exit")
    config.pluginmanager.register(_Pictures(lang), "kata-pictures")
    config.pluginmanager.register(_WideTitles(), "kata-wide-titles")
    if deadlines.active(config):
        timeouts = deadlines.Deadlines(state.by_id, lang, state.roots, config.rootpath)
        config.pluginmanager.register(timeouts, "kata-deadlines")
    config.pluginmanager.register(_ShapeTraces(), "kata-shape-traces")
    config.pluginmanager.register(explain.FailureExplainer({k.id: k.title_in(lang) for k in katas}, lang), "kata-explain")
    if config.getoption("--kata-order"):
        from kata_harness.kata_order import LaterKatasStubbed

        config.pluginmanager.register(LaterKatasStubbed(katas), "kata-order")
    if not config.option.collectonly and base != SOLUTIONS_DIR and overlay is None:
        from kata_harness.progress import ProgressReport

        keep_state = base == KATAS_DIR or bool(os.environ.get("KATAS_STATE"))  # katas/, or a copy with its own file
        report = ProgressReport(katas, keep_state=keep_state, all_failures=config.getoption("--all-failures"), lang=lang)
        config.pluginmanager.register(report, "kata-progress")


def _set_start_method(method: str | None) -> None:
    """Force the start method of every multiprocessing context created with the default (DataLoader's)."""
    if not method:
        return
    import multiprocessing

    if method not in multiprocessing.get_all_start_methods():
        raise pytest.UsageError(
            f"start method {method!r} is not available here; choose one of {', '.join(multiprocessing.get_all_start_methods())}"
        )
    os.environ[START_METHOD_ENV] = method  # xdist workers and subprocesses follow
    multiprocessing.set_start_method(method, force=True)


def _share_cores_between_xdist_workers() -> None:
    """Under pytest-xdist, give each worker its share of the cores: N workers x all-core torch thrash."""
    workers = os.environ.get("PYTEST_XDIST_WORKER_COUNT")
    if workers and "OMP_NUM_THREADS" not in os.environ:
        import torch

        torch.set_num_threads(max(1, (os.cpu_count() or 1) // int(workers)))


def _keep_hypothesis_out_of_the_repo() -> None:
    """Hypothesis caches what it learns in ./.hypothesis; keep that out of the learner's working tree."""
    home = os.path.join(tempfile.gettempdir(), "pytorch-katas-hypothesis")
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", home)
    configuration = sys.modules.get("hypothesis.configuration")
    if configuration is not None:
        configuration.set_hypothesis_home_dir(os.environ["HYPOTHESIS_STORAGE_DIRECTORY"])


class _TemporaryWorkingDirectory:
    """From the start of the session to the end, the working directory is a fresh folder in the system's temp.

    Collection imports the kata modules, and a module may run code at import (``writer = SummaryWriter("logs")``,
    ``torch.save(model, "model.pth")``): it must write there, not into the checkout or the folder pytest was
    started from. The move comes after pytest has read the command line, its ini file and rootdir, and after
    pytest-xdist has started its workers from the starting folder (each worker moves to a folder of its own)."""

    def __init__(self) -> None:
        self.previous: str | None = None
        self.folder: str | None = None

    @pytest.hookimpl(wrapper=True)
    def pytest_sessionstart(self):
        result = yield
        self.previous = os.getcwd()
        self.folder = tempfile.mkdtemp(prefix="pytorch-katas-cwd-")
        os.chdir(self.folder)
        return result

    # trylast: the innermost wrapper, so back (and the folder removed) right after the session's fixtures are
    # torn down - before an xdist worker says it has finished (the controller may then end it at once) and
    # before the progress report saves the state file (whose path may be relative).
    @pytest.hookimpl(wrapper=True, trylast=True)
    def pytest_sessionfinish(self):
        try:
            return (yield)
        finally:
            if self.previous is not None:
                os.chdir(self.previous)
                shutil.rmtree(self.folder, ignore_errors=True)
                self.previous = None


class _State:
    def __init__(self, base: Path, overlay: Path | None, katas: list[manifest.Kata], lang: str = "en") -> None:
        self.lang = lang
        self.base = base
        self.overlay = overlay
        self.katas = katas
        self.by_id = {k.id: k for k in katas}

    @property
    def roots(self) -> list[Path]:
        """Where the learner's code lives: the implementation, and mutants/ and alternatives/, which stand in for
        a learner's code when the checks swap them in."""
        return [self.base, MUTANTS_DIR, ALTERNATIVES_DIR] + ([self.overlay.parent] if self.overlay else [])


_STATE = pytest.StashKey[_State]()


def pytest_report_header(config: pytest.Config) -> str:
    state = config.stash[_STATE]
    overlay = f" (overlaid by {state.overlay})" if state.overlay else ""
    return f"kata implementation: {state.base}{overlay}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    state = config.stash[_STATE]
    problems = []
    for item in items:
        marks = list(item.iter_markers("kata"))
        if marks:
            kata_id = marks[0].args[0] if marks[0].args else None
            if kata_id not in state.by_id:
                problems.append(f"{item.nodeid}: @pytest.mark.kata({kata_id!r}) names no entry of katas.toml")
            item.user_properties.append(("kata", kata_id))
        elif _is_kata_test(item):
            problems.append(f"{item.nodeid}: a kata test needs @pytest.mark.kata('<module>.<name>')")
    if problems:
        raise pytest.UsageError("badly tagged kata tests:\n  " + "\n  ".join(problems))
    _in_learning_order(items, state)
    _select_katas(config, items, state)

    cuda_items = [item for item in items if item.get_closest_marker("cuda")]
    if cuda_items:
        import torch

        if not torch.cuda.is_available():
            skip = pytest.mark.skip(reason=NO_CUDA_REASON)
            for item in cuda_items:
                item.add_marker(skip)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config):
    """With --kata, do not even import the test files of other kata modules (tests/katas/test_<module>.py)."""
    option = config.getoption("--kata")
    tested = _kata_module_tested_by(collection_path) if option else None
    if tested is None:
        return None
    modules = {kata_id.strip().split(".", 1)[0] for kata_id in option.split(",")}
    return True if tested not in modules else None


def _kata_module_tested_by(path: Path) -> str | None:
    """'tensors' for tests/katas/test_tensors.py; None for any other path."""
    if path.suffix != ".py" or not path.name.startswith("test_") or path.parent.resolve() != KATA_TESTS_DIR:
        return None
    return path.stem[len("test_") :]


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):
    """A kata test file that failed to import: tag its report with the kata module it tests and, when the error
    lies in the learner's code, with that line ('katas/tensors.py:12: SyntaxError: invalid syntax').

    Tagged here, where the exception is at hand (in the xdist worker that collected the file); plain
    attributes travel with the report to the controller's progress report."""
    report = yield
    call = report.__dict__.get("call")  # pytest's own, removed once the hook has returned
    module = _kata_module_tested_by(Path(str(collector.path)))
    if report.failed and module is not None and call is not None and call.excinfo is not None:
        report.kata_module = module
        roots = collector.config.stash[_STATE].roots
        report.kata_load_error = failure.load_error(call.excinfo, roots, collector.config.rootpath)
    return report


def _in_learning_order(items: list[pytest.Item], state: _State) -> None:
    """Run the kata test files in the order of katas.toml (tensors first), not alphabetically.

    A stable sort on the module's position: the order inside a file, and xdist's need for the same
    order on every worker, are kept."""
    modules: dict[str, int] = {}
    for kata in state.katas:
        modules.setdefault(kata.module, len(modules))
    first = {}

    def position(item: pytest.Item) -> int:
        kata_id = dict(item.user_properties).get("kata")
        return modules.get(kata_id.split(".", 1)[0], -1) if kata_id else -1

    items.sort(key=lambda item: first.setdefault(item.path, position(item)))


def _select_katas(config: pytest.Config, items: list[pytest.Item], state: _State) -> None:
    """--kata ID[,ID...]: keep only the tests tagged with those katas."""
    option = config.getoption("--kata")
    if not option:
        return
    wanted = [kata_id.strip() for kata_id in option.split(",") if kata_id.strip()]
    unknown = [kata_id for kata_id in wanted if kata_id not in state.by_id]
    if unknown:
        raise pytest.UsageError(f"--kata: no kata named {', '.join(unknown)}; see 'python -m kata_harness list'")
    keep, drop = [], []
    for item in items:
        (keep if dict(item.user_properties).get("kata") in wanted else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _is_kata_test(item: pytest.Item) -> bool:
    try:
        Path(item.path).resolve().relative_to(KATA_TESTS_DIR)
    except ValueError:
        return False
    return True


@pytest.fixture(autouse=True)
def _seeded_rngs():
    """Seed every RNG a kata may touch, and give the next test the state this one found."""
    import numpy as np
    import torch

    py_state = random.getstate()
    np_state = np.random.get_state()
    torch_state = torch.random.get_rng_state()
    cuda_states = torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)  # seeds every CUDA device too
    try:
        yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)
        torch.random.set_rng_state(torch_state)
        if cuda_states is not None:
            torch.cuda.set_rng_state_all(cuda_states)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Two failures get a report built here instead of pytest's traceback:

    - an unsolved kata's: one line, labelled for check-katas - without formatting a traceback (reading and
      parsing the source of every frame costs more than most katas' tests, and would be thrown away);
    - an exception that passed through the learner's code: what was called, where it raised, and the
      traceback cut to the test's line and the learner's frames (kata_harness.failure). ``-v`` or
      ``--full-trace`` keeps pytest's full report."""
    if call.excinfo is None or item.config.getoption("tbstyle") not in ("auto", "short"):
        return None
    if item.config.getoption("verbose") <= 0:
        _drop_introspection(call.excinfo.value)
        _drop_property_test_noise(call.excinfo)
    state = item.config.stash[_STATE]
    stub = classify(call.excinfo, state) == impl.STUB_FAILURE
    if stub:
        entry = call.excinfo.traceback[-1]
        path = Path(str(entry.path))
        where = path.relative_to(item.config.rootpath) if path.is_relative_to(item.config.rootpath) else path
        from kata_harness.i18n import t

        kata_id = dict(item.user_properties).get("kata", "")
        kata = state.by_id.get(kata_id)
        title = kata.title_in(state.lang) if kata else ""
        longrepr = t(
            "plugin.stub", state.lang, where=f"{where}:{entry.lineno + 1}", message=call.excinfo.value, id=kata_id, title=title
        )
    else:
        if item.config.getoption("verbose") > 0 or item.config.getoption("fulltrace"):
            return None
        try:
            longrepr = failure.learner_report(call.excinfo, state.roots, item.config.rootpath, KATA_TESTS_DIR)
        except Exception:  # noqa: BLE001 - never hide a failure behind a bug of the report
            longrepr = None
        if longrepr is None:
            return None
    from _pytest.reports import TestReport

    sections = [(f"Captured {key} {when}", content) for when, key, content in item._report_sections]
    labels = [("failure", impl.STUB_FAILURE)] if stub else []
    return TestReport(
        nodeid=item.nodeid, location=item.location, keywords=dict.fromkeys(item.keywords, 1), outcome="failed",
        longrepr=longrepr, when=call.when, sections=sections, duration=call.duration, start=call.start,
        stop=call.stop, user_properties=[*item.user_properties, *labels],
    )  # fmt: skip


def _drop_property_test_noise(excinfo: pytest.ExceptionInfo) -> None:
    """A property-based test (hypothesis) whose own message already says what was called: drop the frame at its
    ``@settings(...)`` / ``@given(...)`` decorator line, hypothesis's "Failing test case: ..." dump of the
    drawn arguments and, where hypothesis detects CI (its ``print_blob`` profile), its ``@reproduce_failure``
    advice to the suite's maintainers. ``-v`` keeps them."""
    exc = excinfo.value
    message = str(exc.args[0]) if isinstance(exc, AssertionError) and exc.args else ""
    if not message.startswith(("Called ", "调用了 ")):  # kata_harness.testing's framing, in either language
        return
    notes = getattr(exc, "__notes__", None)
    if notes:
        noise = ("Failing test case:", "Falsifying example:", "You can reproduce this test case")  # the last: CI's print_blob
        kept = [n for n in notes if not str(n).lstrip().startswith(noise)]
        if len(kept) != len(notes):
            exc.__notes__ = kept

    def at_a_decorator(entry) -> bool:
        # The frame's own line, not entry.statement: that parses the frame's whole file (torch's are huge), which
        # cost a third of a second per failing test.
        return linecache.getline(str(entry.path), entry.lineno + 1).lstrip().startswith("@")

    entries = [entry for entry in excinfo.traceback if not at_a_decorator(entry)]
    if entries and len(entries) != len(excinfo.traceback):
        excinfo.traceback = _pytest._code.Traceback(entries)


def _drop_introspection(exc: BaseException) -> None:
    """A test's own assertion message says it all: drop pytest's ``assert ... / + where ...`` lines after it
    (they print tensors' reprs and generator objects at the learner). ``-v`` keeps them."""
    if type(exc) is not AssertionError or len(exc.args) != 1 or not isinstance(exc.args[0], str):
        return
    message, separator, _ = exc.args[0].partition("\nassert ")
    if separator and message.strip():
        exc.args = (message,)


class _Pictures:
    """A failing image check gets its picture (kata_harness.pictures) under the failure: an image comparison's
    (assert_tensors_close(picture=True)) or a shape or size check's (says(picture=...))."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    @staticmethod
    def _testing():
        return sys.modules.get("kata_harness.testing")  # loaded by the kata tests, not by the harness's

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        testing = self._testing()
        if testing is not None:
            testing.take_picture(None)  # a picture left by an earlier test (an assertion it caught) is not ours

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        outcome = yield
        error = call.excinfo.value if call.excinfo is not None else None
        pictures = getattr(error, "kata_pictures", None)
        testing = self._testing()
        if pictures is None and isinstance(error, AssertionError) and testing is not None:
            pictures = testing.take_picture(str(error))  # says(picture=...): an image check that is not a comparison
        if pictures is None:
            return
        report = outcome.get_result()
        if not report.failed:
            return
        from kata_harness import pictures as drawing
        from kata_harness.i18n import t

        writer = item.config.get_terminal_writer()
        mode = drawing.terminal_mode(writer.hasmarkup)
        lines = pictures.lines(self.lang, drawing.columns(max(40, writer.fullwidth - 2)), mode)
        report.sections.append((t("pictures.section", self.lang), "\n".join(lines)))


class _WideTitles:
    """pytest centres a section's title ("--- 图示 ---") by its length in characters, but a Chinese character takes
    two columns: the line ran past the terminal's width and wrapped. Measure titles in columns instead."""

    def pytest_sessionstart(self, session: pytest.Session) -> None:  # the terminal reporter has its writer by now
        from kata_harness.i18n import width

        config = session.config
        writer = config.get_terminal_writer() if config.pluginmanager.has_plugin("terminalreporter") else None
        if writer is None:
            return
        original = writer.sep

        def sep(sepchar: str, title: str | None = None, fullwidth: int | None = None, **markup: bool) -> None:
            wider = width(title) - len(title) if title else 0
            if wider > 0:
                fullwidth = (fullwidth if fullwidth is not None else writer.fullwidth) - wider
            original(sepchar, title, fullwidth, **markup)

        writer.sep = sep


class _ShapeTraces:
    """A failing network test gets the shape trace of the forward passes it ran (kata_harness.testing.shapes)."""

    @staticmethod
    def _module():
        return sys.modules.get("kata_harness.testing.shapes")  # loaded only by the tests that trace

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        shapes = self._module()
        if shapes is not None:
            shapes.take_traces()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        outcome = yield
        shapes = self._module()
        if shapes is None or call.when != "call":
            return
        report = outcome.get_result()
        if report.failed:
            report.sections.extend(shapes.report_sections())
        else:
            shapes.take_traces()


class KataEndedTheProcess(BaseException):
    """Raised in place of os._exit() called by a kata: a BaseException, so that ``except Exception`` lets it by."""


class _NoProcessExit:
    """While a test runs, os._exit() from the kata fails that test instead of ending pytest.

    Called in pytest's own process, it would stop the whole run on the spot - no report, no progress, and
    exit status 0 for os._exit(0): a silent green. Processes started during the test (a forked DataLoader
    worker, multiprocessing's children) and other threads (pytest-timeout's thread method) get the real one."""

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item):
        real, pid = os._exit, os.getpid()

        def guarded(status: int) -> None:
            if os.getpid() != pid or threading.current_thread() is not threading.main_thread():
                real(status)
            raise KataEndedTheProcess(
                f"os._exit({status}) was called: it ends the whole test process at once (pytest, the runner), "
                "with no report. Return a value or raise an exception instead."
            )

        os._exit = guarded
        try:
            yield
        finally:
            os._exit = real


class _FailureLabels:
    """Record where any other failure came from (check-katas names it)."""

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        outcome = yield
        report = outcome.get_result()
        if report.failed and call.excinfo is not None and ("failure", impl.STUB_FAILURE) not in report.user_properties:
            failure = classify(call.excinfo, item.config.stash[_STATE])
            report.user_properties = [*report.user_properties, ("failure", failure)]


def classify(excinfo: pytest.ExceptionInfo, state: _State) -> str:
    """'kata-stub' when a kata's own NotImplementedError was raised inside the implementation, else a short
    description (torch's own NotImplementedError, raised on the learner's line, is a real error)."""
    if impl.is_stub_error(excinfo.value):
        origin = Path(str(excinfo.traceback[-1].path)).resolve()
        roots = [state.base] + ([state.overlay.parent] if state.overlay else [])
        if any(origin.is_relative_to(root) for root in roots):
            return impl.STUB_FAILURE
    message = str(excinfo.value).strip().splitlines()[0][:160] if str(excinfo.value).strip() else ""
    return f"{excinfo.typename}: {message}" if message else excinfo.typename
