"""The implementation the kata tests run against: ``import kata_impl.<module>``.

This package has no modules of its own. On import it points its ``__path__`` at the directory named by
$KATAS_IMPL ('katas' - the default -, 'solutions', or a path to a directory laid out like solutions/) and,
when $KATAS_IMPL_OVERLAY names a file such as mutants/<module>/<bug>.py, loads that file in place of
its module. The pytest plugin sets both variables, so every interpreter it starts - a DataLoader worker
under the spawn or forkserver start method, a test's subprocess - imports the same implementation.
See kata_harness/impl.py.
"""

from kata_harness.impl import bootstrap as _bootstrap

_bootstrap(__name__)
