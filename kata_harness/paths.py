"""Where things live in the repository."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KATAS_DIR = ROOT / "katas"
SOLUTIONS_DIR = ROOT / "solutions"
MUTANTS_DIR = ROOT / "mutants"
KATA_TESTS_DIR = ROOT / "tests" / "katas"
MANIFEST = ROOT / "katas.toml"
ALTERNATIVES_DIR = ROOT / "alternatives"
