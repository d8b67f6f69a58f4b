"""The machinery behind the kata suite: not a kata, nothing here for a learner to edit.

- ``impl``      chooses which implementation the tests exercise (katas/, solutions/ or any copy of them)
- ``manifest``  reads katas.toml: order, titles, note sections and hints of every kata
- ``plugin``    the pytest plugin loaded by the root conftest (switch, cuda marker, RNG seeding, progress)
- ``testing``   small helpers the kata tests share (cpu_and_cuda, raises, shape_of)
- ``check_katas``, ``check_mirror``, ``check_mutants``  the maintainers' checks behind ``make check``
"""
