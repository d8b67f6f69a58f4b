"""What torchrun starts in the end-to-end test: ``python -m kata_impl.distributed``, on the CIFAR-10 stand-in.

The test launches ``python -m torch.distributed.run --nproc_per_node=2 -m kata_harness.testing.distributed_main
--data DIR ...``. Each process torchrun starts runs this module, which does only what the stand-in needs
and then runs ``kata_impl.distributed`` exactly as ``-m`` would (runpy, as ``__main__``, with the same
arguments): it makes kata_impl the implementation the test process chose (kata_harness.impl reads it from
the environment), and lifts torchvision's md5 check, which the stand-in's files cannot pass (the real
CIFAR10 class still parses them). A module that ends without calling ``sys.exit(main())`` under
``if __name__ == "__main__":`` is reported, with exit status 3.
"""

from __future__ import annotations

import runpy
import sys

MODULE = "kata_impl.distributed"


def main() -> int:
    from torchvision.datasets import CIFAR10

    from kata_harness import impl

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
