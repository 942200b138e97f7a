"""`autoreply simulate` on many synthetic events, as a user runs it: wall time and CPU time of
all its processes — optionally beside another revision, in the same run.

    python bench/simulate.py [--quick] [--events N] [--workers N] [--compare REV]

The events come from `autoreply synth -n N` (seed 1). Each side runs `autoreply simulate --json`
in its own process tree; with --compare, REV is exported with `git archive` and run from its
sources by the same interpreter, sides alternating, and the two reports must agree (every
count; only the elapsed time and the worker count may differ).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import REPO, fmt, parser, table, verdict, write_section

TARGET_SECONDS = 60

# Runs SRC's autoreply (ahead of the editable install of this tree) as the CLI does.
CHILD = r"""
import sys
src = sys.argv[1]
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in type(f).__name__.lower()]
sys.path[:] = [src] + [p for p in sys.path if p not in ("", REPO)]
import autoreply
assert autoreply.__file__.startswith(src), autoreply.__file__
from autoreply.cli import main
sys.argv = ["autoreply", *sys.argv[2:]]
main()
"""


def run_side(src: Path, events: Path, workers: int | None) -> dict[str, Any]:
    args = ["simulate", "--json", str(events)] + (["--workers", str(workers)] if workers else [])
    code = CHILD.replace("REPO", repr(str(REPO)))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, str(src), *args], cwd=REPO,
                         capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = json.loads(out.stdout)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "report": report, "workers": report["workers"]}


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k not in ("elapsed_seconds", "workers")}


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--events", type=int, help="how many events [100,000; --quick 20,000]")
    p.add_argument("--workers", type=int, help="simulate --workers [default: one per core]")
    p.add_argument("--compare", metavar="REV", help="also run this revision, side by side")
    p.add_argument("--rounds", type=int, default=1, help="alternating rounds; the median counts")
    args = p.parse_args()
    n = args.events or (20000 if args.quick else 100000)
    with tempfile.TemporaryDirectory(prefix="autoreply-simbench-") as tmp:
        events = Path(tmp) / "events.jsonl"
        subprocess.run([sys.executable, "-m", "autoreply", "synth", "-n", str(n), "-o", str(events)],
                       cwd=REPO, check=True, capture_output=True)
        sides: dict[str, Path] = {"this tree": REPO}
        if args.compare:
            other = Path(tmp) / "other"
            other.mkdir()
            archive = subprocess.run(["git", "archive", args.compare, "autoreply"], cwd=REPO,
                                     capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(other)], input=archive, check=True)
            sides = {args.compare: other, "this tree": REPO}
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in sides}
        for _ in range(args.rounds):
            for name, src in sides.items():
                print(f"{name}: simulate {n:,} events …", flush=True)
                runs[name].append(run_side(src, events, args.workers))
    median = {name: sorted(rs, key=lambda r: r["wall"])[len(rs) // 2] for name, rs in runs.items()}
    agree = len({json.dumps(comparable(r["report"]), sort_keys=True)
                 for rs in runs.values() for r in rs}) == 1
    print()
    rows = []
    for name, r in median.items():
        rows.append([name, f"{r['wall']:.1f}", f"{r['cpu']:.1f}", fmt(r["cpu"] / n * 1e6),
                     str(r["workers"])])
    md = table(["side", "wall s", "CPU s (all processes)", "CPU µs / event", "workers"], rows)
    mine = median["this tree"]
    summary = table(["measure", "value", "target"], [
        [f"`autoreply simulate` of {n:,} synthetic events, wall", f"{mine['wall']:.1f} s",
         f"well under {TARGET_SECONDS} s {verdict(mine['wall'] < TARGET_SECONDS)}"],
        ["reports agree between the sides" if args.compare else "report",
         ("yes" if agree else "NO") if args.compare else
         f"{mine['report']['events']:,} events, {mine['report']['messages']:,} messages", ""],
    ])
    write_section("simulate", "simulate: the bulk what-if", f"""
{summary}

{md}

Each side is `autoreply simulate --json` run as a user runs it (worker processes forked after
the config is loaded; each builds its language detector and loads the city index, ≈ 8–10 s of
CPU before its first event). CPU is user + system time of the whole process tree; on this
shared 2-core machine the wall time also measures the neighbours. The counts per rule and
decision agree with `preview` (tests/test_simulate.py).
""", enabled=not args.no_write)


if __name__ == "__main__":
    main()
