"""check-mirror: katas/ and solutions/ match, every kata is stubbed properly and listed in katas.toml."""

import shutil

import pytest

from kata_harness.checks import mirror as check_mirror
from kata_harness.paths import MANIFEST, SOLUTIONS_DIR


@pytest.fixture
def trees(tmp_path, katas_copy):
    solutions = tmp_path / "solutions"
    shutil.copytree(SOLUTIONS_DIR, solutions, ignore=shutil.ignore_patterns("__pycache__"))
    manifest = tmp_path / "katas.toml"
    shutil.copyfile(MANIFEST, manifest)
    return katas_copy, solutions, manifest


def run_check(trees, capsys):
    katas, solutions, manifest = trees
    code = check_mirror.main(["--katas", str(katas), "--solutions", str(solutions), "--manifest", str(manifest)])
    return code, capsys.readouterr().out


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"fixture drift: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_check_mirror_accepts_the_repository(capsys):
    assert check_mirror.main([]) == 0, capsys.readouterr().out


def test_check_mirror_fails_on_signature_mismatch(trees, capsys):
    edit(trees[0] / "tensors.py", "def reshape(x: torch.Tensor, shape", "def reshape(x: torch.Tensor, new_shape")
    code, out = run_check(trees, capsys)
    assert code == 1 and "katas/tensors.py::reshape: signature differs" in out, out


def test_check_mirror_fails_on_docstring_mismatch(trees, capsys):
    edit(trees[1] / "tensors.py", "Return ``x`` rearranged", "Give back ``x`` rearranged")
    code, out = run_check(trees, capsys)
    assert code == 1 and "reshape: docstrings differ" in out, out


def test_check_mirror_fails_on_missing_todo(trees, capsys):
    edit(trees[0] / "tensors.py", "# TODO: give x the new shape", "# give x the new shape")
    code, out = run_check(trees, capsys)
    assert code == 1 and "katas/tensors.py::reshape: the kata has no '# TODO:' line" in out, out


def test_check_mirror_fails_on_kata_that_does_not_raise(trees, capsys):
    edit(trees[0] / "tensors.py", 'raise NotImplementedError("kata tensors.reshape is not solved yet")', "pass")
    code, out = run_check(trees, capsys)
    assert code == 1 and "reshape: the kata does not raise NotImplementedError" in out, out


def test_check_mirror_fails_on_function_missing_from_katas(trees, capsys):
    (trees[1] / "tensors.py").write_text((trees[1] / "tensors.py").read_text() + "\n\ndef extra():\n    return 1\n")
    code, out = run_check(trees, capsys)
    assert code == 1 and "extra is in solutions/ but not in katas/" in out, out


def test_check_mirror_fails_on_kata_missing_from_manifest(trees, capsys):
    edit(trees[2], 'id = "tensors.reshape"', 'id = "tensors.reshape_elsewhere"')
    code, out = run_check(trees, capsys)
    assert code == 1, out
    assert "katas/tensors.py::reshape is not listed in katas.toml" in out
    assert "tensors.reshape_elsewhere is not a public function or class of katas/tensors.py" in out


def test_check_mirror_fails_on_module_missing_from_katas(trees, capsys):
    (trees[0] / "tensors.py").unlink()
    code, out = run_check(trees, capsys)
    assert code == 1 and "tensors.py: in solutions/ but not in katas/" in out, out


def test_check_mirror_bad_directory_is_a_clear_error(tmp_path, capsys):
    code = check_mirror.main(["--katas", str(tmp_path / "nope")])
    captured = capsys.readouterr()
    assert code == 2 and "is not a directory" in captured.err


def test_stub_of_a_solution_mirrors_it_but_needs_real_todos(trees, capsys):
    from kata_harness.checks.stub import PLACEHOLDER, stub_source

    katas, solutions, _ = trees
    (katas / "tensors.py").write_text(stub_source((solutions / "tensors.py").read_text(), "tensors"))
    code, out = run_check(trees, capsys)
    problems = [line for line in out.splitlines() if line.startswith("  ")]
    assert code == 1 and problems, out
    assert all("placeholder" in line for line in problems), f"only the placeholders should be reported:\n{out}"
    assert PLACEHOLDER in (katas / "tensors.py").read_text()


def insert_into_docstring(path, definition, text):
    """Add ``text`` as the first line after the opening quotes of ``definition``'s docstring."""
    source = path.read_text(encoding="utf-8")
    start = source.index(definition)
    quotes = source.index('"""', start) + 3
    path.write_text(source[:quotes] + text + "\n\n    " + source[quotes:], encoding="utf-8")


@pytest.mark.parametrize(
    "where, text",
    [
        ("def reshape(", "Just write torch.reshape(x, shape)."),  # English part
        ("def reshape(", "【中文】直接写 torch.reshape( x,  shape ) 即可。"),  # Chinese part, other spacing
        ("class CifarNet(", "Return self.fc2(self.fc1(self.flatten(x)))."),  # a class's docstring
    ],
)
def test_check_mirror_fails_on_docstring_that_gives_away_a_key_line(trees, capsys, where, text):
    module = "tensors.py" if "reshape" in where else "modules.py"
    for side in trees[:2]:  # both sides, so that only the giveaway is wrong
        insert_into_docstring(side / module, where, text)
    code, out = run_check(trees, capsys)
    kata = "tensors.reshape" if "reshape" in where else "modules.CifarNet"
    assert code == 1 and f"{kata}: its docstring gives away the answer: it contains the solution's" in out, out


def test_check_mirror_fails_on_method_docstring_that_gives_away_a_key_line(trees, capsys):
    signature = "    def forward(self, x: torch.Tensor) -> torch.Tensor:\n"
    for side in trees[:2]:
        edit(side / "modules.py", signature, signature + '        """Return self.fc2(self.fc1(self.flatten(x)))."""\n')
    code, out = run_check(trees, capsys)
    assert code == 1 and "modules.CifarNet: its docstring gives away the answer" in out, out


def test_check_mirror_fails_on_hint_that_gives_away_a_key_line(trees, capsys):
    text = trees[2].read_text(encoding="utf-8")
    marker = 'id = "tensors.reshape"'
    hints = text.index("hints = [", text.index(marker)) + len("hints = [")
    trees[2].write_text(text[:hints] + '\n    "return torch.reshape(x, shape)",' + text[hints:], encoding="utf-8")
    code, out = run_check(trees, capsys)
    assert code == 1 and "tensors.reshape: hint 1 gives away the answer" in out, out
