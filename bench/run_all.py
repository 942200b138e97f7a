"""Run every bench, one after the other, each in its own process; each prints its table and
rewrites its section of docs/BENCHMARKS.md.

    python bench/run_all.py [--quick] [--no-write] [--pg URL|skip] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = ("pipeline", "intake", "dispatch", "memory", "memory_breakdown", "naive", "simulate")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--no-write", action="store_true")
    p.add_argument("--pg", help="PostgreSQL admin URL or 'skip' [env AUTOREPLY_BENCH_PG]")
    p.add_argument("--only", nargs="+", choices=BENCHES, default=list(BENCHES))
    args = p.parse_args()
    passthrough = [flag for flag, on in (("--quick", args.quick), ("--no-write", args.no_write)) if on]
    if args.pg:
        passthrough += ["--pg", args.pg]
    results = []
    for name in args.only:
        print(f"\n=== bench/{name}.py {' '.join(passthrough)}", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(HERE / f"{name}.py"), *passthrough], cwd=HERE.parent)
        results.append((name, code, time.perf_counter() - started))
    print("\nbench       exit   seconds")
    for name, code, seconds in results:
        print(f"{name:<10}{code:>6}{seconds:>10.0f}")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
