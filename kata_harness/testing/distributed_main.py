"""What torchrun starts in the end-to-end test: ``python -m kata_impl.distributed``, on the CIFAR-10 stand-in.

The test launches ``python -m torch.distributed.run --nproc_per_node=2 -m kata_harness.testing.distributed_main
--data DIR ...``. Each process torchrun starts runs this module, which does only what the stand-in needs
and then runs ``kata_impl.distributed`` exactly as ``-m`` would (runpy, as ``__main__``, with the same
arguments): it makes kata_impl the implementation the test process chose (kata_harness.impl reads it from
the environment), and lifts torchvision's md5 check, which the stand-in's files cannot pass (the real
CIFAR10 class still parses them). A module that ends without calling ``sys.exit(main())`` under
``if __name__ == "__main__":`` is reported, with exit status 3.

Two guards, so that a worker never hangs the test: an alarm ends it at the launch's deadline
(KATAS_DISTRIBUTED_DEADLINE_S, set by kata_harness.testing.distributed.launch_torchrun), even if torchrun
is gone; and the kata's destroy_process_group is kata_harness.testing.distributed_ranks.destroy_process_group,
without torch < 2.8's deadlock after a gloo collective.
"""

from __future__ import annotations

import os
import runpy
import signal
import sys

MODULE = "kata_impl.distributed"
DEADLINE_ENV = "KATAS_DISTRIBUTED_DEADLINE_S"


def main() -> int:
    deadline = os.environ.get(DEADLINE_ENV)
    if deadline and hasattr(signal, "SIGALRM"):
        signal.alarm(int(deadline))  # its default action ends the process
    from torchvision.datasets import CIFAR10

    from kata_harness import impl
    from kata_harness.testing.distributed_ranks import guard_destroy_process_group

    guard_destroy_process_group()  # before the kata is imported
    impl.activate_from_env()
    CIFAR10.train_list = [[name, None] for name, _ in CIFAR10.train_list]
    CIFAR10.test_list = [[name, None] for name, _ in CIFAR10.test_list]
    CIFAR10.meta = {**CIFAR10.meta, "md5": None}
    runpy.run_module(MODULE, run_name="__main__", alter_sys=True)  # sys.exit(main()) ends the process here
    print(
        f"python -m {MODULE} ran the module but did not exit: it must end with "
        "`if __name__ == \"__main__\": sys.exit(main())`",
        file=sys.stderr,
    )
    return 3


if __name__ == "__main__":
    sys.exit(main())
