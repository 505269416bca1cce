"""``python -m bench NAME [--quick]``: run one benchmark; its last line is one JSON object."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = {
    "devices": "bench.devices",
    "store": "bench.store",
    "till": "bench.till",
    "console": "bench.console",
    "server": "bench.server",
    "sync": "bench.sync",
    "notify": "bench.notify",
    "backoffice": "bench.backoffice",
    "cabinet": "bench.cabinet",
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in BENCHMARKS:
        names = ", ".join(sorted(BENCHMARKS))
        print(f"usage: python -m bench NAME [--quick]   (NAME: {names})", file=sys.stderr)
        return 2
    module = importlib.import_module(BENCHMARKS[args[0]])
    result: int = module.main(args[1:])
    return result


if __name__ == "__main__":
    raise SystemExit(main())
