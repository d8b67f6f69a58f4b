# PyTorch katas. Learners: `uv sync` then `uv run katas` (every OS; README), or `make katas`.
# Maintainers and CI: `make check`.
#
# Every target bootstraps .venv/ on first use with `uv sync --locked --extra test`: the environment of uv.lock
# (pinned torch==2.14.1 + torchvision==0.29.1, about 5.6 GB). uv is installed with pip when it is missing.
# To use an interpreter that already has torch >= 2.4 (a GPU runner), skip the venv:
#     make check PYTHON=python3

VENV        ?= .venv
PYTHON      ?= $(VENV)/bin/python
PYTEST      := $(PYTHON) -m pytest
JOBS        ?= auto
STAMP       := $(VENV)/.setup-stamp
BOOTSTRAP   ?= python3
UV          ?= $(shell command -v uv 2>/dev/null || echo "$(BOOTSTRAP) -m uv")
ACTIONLINT  ?= $(VENV)/bin/actionlint
EXPORT      := export --no-header --format requirements-txt --no-hashes --all-extras --no-emit-project --frozen

ifeq ($(PYTHON),$(VENV)/bin/python)
SETUP := $(STAMP)
CHECK_LOCK := check-lock
else
SETUP :=
CHECK_LOCK :=  # an interpreter of your own (PYTHON=python3): no uv.lock environment, nothing of it to check
endif

.PHONY: help setup katas check check-mirror check-solutions check-katas check-order check-mutants check-alternatives \
	check-order-spawn check-spawn check-harness check-clean check-lock lock cuda bench bench-feedback hints list watch doctor \
	clean

help:
	@echo "make katas            run the suite against katas/ and show your progress (red at first, by design)"
	@echo "make watch            the current kata, re-run on every save (= .venv/bin/katas)"
	@echo "make list             every kata, in order;  make hints KATA=tensors.reshape  its next hint"
	@echo "make doctor           is this machine ready? python, torch/torchvision, GPU, packages, disk, CIFAR-10"
	@echo "KATAS_LANG=zh|en      the language of what katas, make katas and pytest print (default: the locale); 中文：KATAS_LANG=zh"
	@echo "make check            everything CI runs: mirror, order (implies solutions), katas, mutants, alternatives, spawn,"
	@echo "                      harness, clean"
	@echo "make check-solutions  every non-cuda test passes against solutions/ (parallel)"
	@echo "make check-katas      every test fails against katas/, on the kata's own NotImplementedError"
	@echo "make check-mirror     katas/ and solutions/ match; TODOs, docstrings and katas.toml are complete"
	@echo "make check-order      a test of kata K passes with only the katas up to K solved (later ones stubs)"
	@echo "make check-mutants    every deliberately wrong version in mutants/ is caught by the tests"
	@echo "make check-alternatives  every correct-but-different version in alternatives/ passes every test"
	@echo "make check-spawn      the DataLoader tests pass with workers started by spawn (macOS, Windows)"
	@echo "make check-harness    the harness's own tests"
	@echo "make check-clean      the checks wrote nothing into the checkout (git status)"
	@echo "make check-lock       uv.lock answers pyproject.toml, constraints.txt agrees, the CI workflow passes actionlint"
	@echo "make lock             after a dependency change: a new uv.lock and requirements/constraints.txt"
	@echo "make cuda             the cuda-marked tests against solutions/ (GPU runners)"
	@echo "make bench            training images/s: tutorial loop vs fast path (cpu, and cuda when available)"
	@echo "make bench-feedback   seconds from saving a kata to its result: the runner vs a fresh pytest"
	@echo "make setup            create .venv/ from uv.lock (= uv sync --locked --extra test; every target does this first)"

setup: $(SETUP)

$(STAMP): pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(BOOTSTRAP) -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --locked --extra test --compile-bytecode  # make check's parallel workers would each compile torch
	touch $@

# After a change of dependencies in pyproject.toml: a new uv.lock, and the same pins for pip users.
lock:
	$(UV) lock
	$(UV) $(EXPORT) --output-file requirements/constraints.txt --quiet

# uv.lock answers pyproject.toml, and requirements/constraints.txt (pip's path) pins what uv.lock does.
check-lock: $(SETUP)
	$(UV) lock --check
	$(UV) $(EXPORT) --quiet | diff -u requirements/constraints.txt - >/dev/null || \
		{ echo "requirements/constraints.txt differs from uv.lock: run make lock"; exit 1; }
	$(ACTIONLINT) .github/workflows/*.yml

# Unsolved katas are the normal state here, not an error of make: only a usage or collection problem
# (pytest status 2-5) fails the target. `katas verify` exits 1 until every kata is green.
katas: $(SETUP)
	@$(PYTEST) --impl=katas -q; status=$$?; [ $$status -le 1 ] || exit $$status

watch: $(SETUP)
	@$(PYTHON) -m kata_harness watch

list: $(SETUP)
	@$(PYTHON) -m kata_harness list

hints: $(SETUP)
	@$(PYTHON) -m kata_harness hint $(KATA)

# No $(SETUP): the doctor is for when setup went wrong. Without the venv it runs on $(BOOTSTRAP) and says so.
doctor:
	@py=$(PYTHON); command -v $$py >/dev/null || py=$(BOOTSTRAP); $$py -m kata_harness doctor

# check-order runs every test against solutions/ with the later katas as stubs: a test that passes there
# passes with them solved too (it never reached their stubs), so it also proves check-solutions.
check: $(SETUP)
	$(PYTHON) -m kata_harness.checks.clean before
	$(MAKE) --no-print-directory $(CHECK_LOCK) check-mirror check-order-spawn check-katas check-mutants \
		check-alternatives check-harness
	$(PYTHON) -m kata_harness.checks.clean after

check-mirror: $(SETUP)
	$(PYTHON) -m kata_harness.checks.mirror

check-solutions: $(SETUP)
	$(PYTEST) --impl=solutions -m "not cuda" -n $(JOBS) -p no:cacheprovider

check-katas: $(SETUP)
	$(PYTHON) -m kata_harness.checks.katas -n $(JOBS)

check-order: $(SETUP)
	$(PYTHON) -m kata_harness.checks.order -n $(JOBS)

# What `make check` runs: check-order with every DataLoader worker started by spawn (macOS, Windows), so that
# one pass over the suite proves the order, the solutions and check-spawn together.
check-order-spawn: $(SETUP)
	$(PYTHON) -m kata_harness.checks.order -n $(JOBS) --start-method=spawn

check-mutants: $(SETUP)
	$(PYTHON) -m kata_harness.checks.mutants

check-alternatives: $(SETUP)
	$(PYTHON) -m kata_harness.checks.alternatives

# The start method macOS and Windows use (and Linux from Python 3.14 uses forkserver): every DataLoader
# worker is a fresh interpreter that must import what it is handed.
check-spawn: $(SETUP)
	$(PYTEST) --impl=solutions tests/katas/test_dataloader.py --start-method=spawn -m "not cuda" -p no:cacheprovider -q

check-clean: $(SETUP)
	$(PYTHON) -m kata_harness.checks.clean after

check-harness: $(SETUP)
	$(PYTEST) tests/harness -n $(JOBS) --dist loadgroup -p no:cacheprovider

cuda: $(SETUP)
	$(PYTEST) --impl=solutions -m cuda -p no:cacheprovider -rs

bench: $(SETUP)
	$(PYTHON) bench/benchmark.py $(BENCH_ARGS)

bench-feedback: $(SETUP)
	$(PYTHON) bench/feedback.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
