"""Before/after for the pipeline in instructions, not seconds: the drain of bench/pipeline_compare.py
under valgrind's callgrind, counted only while the worker drains (``--instr-atstart=no``, switched
on and off with ``callgrind_control``), for another revision and this tree side by side.

    python bench/pipeline_instructions.py REV [--events N] [--warm W] [--outside-compliance]

On a machine other sessions load (2 cores, load average 10+), CPU time per event moves by ±5 %
from run to run and a 1–3 % change cannot be seen; an instruction count is the same on a quiet
machine and a busy one (``PYTHONHASHSEED=0`` on both sides). It is not time — a cache miss costs
more than an instruction — so confirm a claim with bench/pipeline_compare.py on a quiet machine.
Slow: the setup (language detector, city index, ``--warm`` events) runs under valgrind too,
~10 minutes for 1,000 events after 1,000 warm ones. ``--outside-compliance`` counts everything but
the compliance check (stubbed to pass, no language detector): a few minutes for 600 events after
300. Needs valgrind (``apt-get install valgrind``).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from pipeline_compare import SETUP

REPO = Path(__file__).resolve().parent.parent

# the drain pipeline_compare.py times, set up the same way (sys.argv = [-c, SRC, N, WARM])
CHILD = SETUP + r"""
    print("ready", flush=True)
    sys.stdin.readline()
    worker.drain()
    print("done", flush=True)
    sys.stdin.readline()
"""


# --outside-compliance: everything but the compliance check (another branch's work) counted
# alone, and set up in minutes rather than ten: no language detector (nothing is detected:
# the language step takes its priors), the check answers "pass" at once (so nothing is blocked)
OUTSIDE = r"""
    from autoreply.compliance import Verdict
    PASS = Verdict("pass")
    Engine.check_compliance = lambda self, *a, **k: PASS
"""


def _start(src: Path, n: int, warm: int, out: Path, outside: bool = False) -> subprocess.Popen[str]:
    code = CHILD.replace("BENCH", repr(str(REPO / "bench")))
    if outside:
        code = code.replace("build_detector(settings)", "None").replace(
            '    print("ready", flush=True)', OUTSIDE + '    print("ready", flush=True)', 1)
    return subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
         sys.executable, "-c", code, str(src), str(n), str(warm)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        env=dict(os.environ, PYTHONHASHSEED="0"))


def _send(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.write("go\n")
    proc.stdin.flush()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("rev", help="the revision to compare with (e.g. main)")
    p.add_argument("--events", type=int, default=1000)
    p.add_argument("--warm", type=int, default=1000, help="other events decided before the drain [1,000]")
    p.add_argument("--outside-compliance", action="store_true",
                   help="no language detector, the compliance check stubbed to pass: the rest of "
                        "the pipeline alone, set up in ~2 minutes (outbox rows differ from a real drain)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="autoreply-instructions-") as tmp:
        archive = subprocess.run(["git", "archive", args.rev, "autoreply"], cwd=REPO,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        sides = {args.rev: Path(tmp), "this tree": REPO}
        procs = {name: _start(src, args.events, args.warm, Path(tmp) / f"callgrind.{i}",
                              args.outside_compliance)
                 for i, (name, src) in enumerate(sides.items())}
        for proc in procs.values():  # both set up (the two run at once: counts do not mind)
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        for proc in procs.values():
            subprocess.run(["callgrind_control", "-i", "on", str(proc.pid)], check=True, capture_output=True)
            _send(proc)
        for proc in procs.values():
            assert proc.stdout is not None and proc.stdout.readline().strip() == "done"
            subprocess.run(["callgrind_control", "-i", "off", str(proc.pid)], check=True, capture_output=True)
            _send(proc)
        counts = {}
        for name, proc in procs.items():
            _out, err = proc.communicate()
            found = re.search(r"Collected : (\d+)", err)
            assert found is not None, err[-2000:]
            counts[name] = int(found.group(1)) / args.events
    before, after = counts[args.rev], counts["this tree"]
    print(f"{args.events:,} events after {args.warm:,} warm: {before / 1e3:,.0f} → {after / 1e3:,.0f} "
          f"thousand instructions per event ({after / before:.3f}×)")


if __name__ == "__main__":
    main()
