"""The machinery behind the kata suite: not a kata, nothing here for a learner to edit.

The runtime every test run uses (top level):
- ``impl``        chooses which implementation ``kata_impl`` means (katas/, solutions/, a copy, an overlay)
- ``manifest``    reads katas.toml: order, titles, note sections and hints of every kata
- ``plugin``      the pytest plugin loaded by the root conftest (switch, markers, RNG seeding, start method)
- ``progress``    the learner's report at the end of a run, and the quiet failure listing
- ``kata_order``  ``--kata-order``: later katas as stubs, test by test
- ``paths``       where things live

``runner/``   the learner's ``katas`` command: watch mode, progress state, hints, reset, solutions
``checks/``   the maintainers' checks behind ``make check`` (mirror, katas, order, mutants, alternatives,
              clean) and ``checks.seeds``
``testing/``  helpers only the kata tests import: assertions, training spies, the CIFAR-10 stand-in,
              DataLoader fixtures that spawned workers can import
"""
