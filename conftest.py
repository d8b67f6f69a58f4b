"""Root conftest: everything lives in kata_harness.plugin (the --impl switch, markers, seeding, progress)."""

pytest_plugins = ["kata_harness.plugin"]
