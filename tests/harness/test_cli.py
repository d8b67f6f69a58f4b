"""python -m kata_harness list|hints, and the make targets that make up `make check`."""

from kata_harness import manifest
from tests.harness.helpers import output


def test_cli_list_names_every_kata_in_order(run):
    done = run("-m", "kata_harness", "list")
    assert done.returncode == 0, output(done)
    import re

    ids = [m.group(1) for m in (re.match(r"\[.\]\s+\d+\. (\S+)", line) for line in done.stdout.splitlines()) if m]
    assert ids == [k.id for k in manifest.load()], done.stdout


def test_cli_hints_prints_staged_hints(run):
    kata = manifest.load()[0]
    done = run("-m", "kata_harness", "hints", kata.id)
    assert done.returncode == 0, output(done)
    assert all(hint in done.stdout for hint in kata.hints)


def test_cli_hints_unknown_kata_is_a_clear_error(run):
    done = run("-m", "kata_harness", "hints", "tensors.nope")
    assert done.returncode == 2, output(done)
    assert "no kata named 'tensors.nope'" in done.stderr and "Traceback" not in done.stderr


def test_make_check_runs_every_check(tmp_path):
    import subprocess

    from kata_harness.paths import ROOT

    done = subprocess.run(["make", "-n", "check", "PYTHON=python3"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, output(done)
    tools = (
        "checks.clean before", "checks.mirror", "checks.katas", "checks.order", "checks.mutants",
        "checks.alternatives", "--start-method=spawn", "tests/harness", "checks.clean after",
    )  # fmt: skip
    for tool in tools:
        assert tool in done.stdout, f"make check does not run {tool}:\n{done.stdout}"


def test_readme_lists_every_kata_module():
    from kata_harness.paths import KATAS_DIR, ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [p.name for p in sorted(KATAS_DIR.glob("*.py")) if p.name != "__init__.py" and f"katas/{p.name}" not in readme]
    assert not missing, f"README.md's kata table misses {missing}"


def test_training_module_runs_from_the_command_line(run):
    done = run("-m", "solutions.training", "--help")
    assert done.returncode == 0, output(done)
    assert "--data" in done.stdout and "--device" in done.stdout


def test_benchmark_rejects_bad_arguments_clearly(run):
    for args, message in ((["--images", "10"], "at least 640"), (["--device", "tpu"], "use cpu, cuda or all")):
        done = run("bench/benchmark.py", *args)
        assert done.returncode == 2, output(done)
        assert message in done.stderr and "Traceback" not in done.stderr, output(done)


def test_readme_names_only_tests_that_exist():
    import re

    from kata_harness.paths import KATA_TESTS_DIR, ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    defined = set(re.findall(r"^def (test_\w+)", "\n".join(p.read_text() for p in KATA_TESTS_DIR.glob("test_*.py")), re.M))
    named = set(re.findall(r"`(test_\w+)`", readme))
    assert named and not named - defined, f"README.md names tests that do not exist: {sorted(named - defined)}"
