"""check-clean: paths that appeared in the checkout since 'before' are reported; older ones are not."""

from kata_harness.checks import clean as check_clean


def test_check_clean_reports_only_new_paths(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(check_clean, "record_file", lambda: tmp_path / "record.txt")
    monkeypatch.setattr(check_clean, "stray_paths", lambda: {"notes.txt"})
    assert check_clean.main(["before"]) == 0
    assert check_clean.main(["after"]) == 0
    assert "check-clean: OK" in capsys.readouterr().out
    monkeypatch.setattr(check_clean, "stray_paths", lambda: {"notes.txt", "runs/events.out"})
    assert check_clean.main(["after"]) == 1
    out = capsys.readouterr().out
    assert "runs/events.out: written into the checkout" in out and "notes.txt" not in out


def test_check_clean_without_a_record_reports_every_stray_path(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(check_clean, "record_file", lambda: tmp_path / "none.txt")
    monkeypatch.setattr(check_clean, "stray_paths", lambda: {"model.pth"})
    assert check_clean.main([]) == 1
    assert "model.pth" in capsys.readouterr().out


def test_check_clean_ignores_bytecode_and_the_venv():
    assert check_clean.IGNORED_PARTS >= {".venv", "__pycache__"}


def test_check_clean_usage_error(capsys):
    assert check_clean.main(["sideways"]) == 2
    assert "usage:" in capsys.readouterr().err
