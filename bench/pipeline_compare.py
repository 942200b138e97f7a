"""Before/after for the pipeline: the same drain against another revision and this tree, with
CPU time per event and a digest of every outbox row (proof that the outcomes are identical).

    python bench/pipeline_compare.py REV [--events N] [--rounds R] [--accuracy high|low]

REV (a commit, branch or tag) is exported with ``git archive`` into a temp dir; each round
runs one drain per side, alternating (the median CPU time of the rounds is compared), each
in its own process pinned to one core, into a
fresh SQLite database (the same synthetic events, the same shipped rules and templates,
logs at info into /dev/null, the city index warmed as the daemon does, then ``--warm`` other
events decided untimed, as by a daemon that has run a while). Compare CPU time:
on a shared machine the wall time mostly measures the neighbours. Prints only; the figures
go to docs/PERFORMANCE_NOTES.md by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Runs in a child process: sys.argv = [-, SRC, N, WARM]; SRC's autoreply is imported ahead of the
# editable install of this tree. SETUP (up to the worker, ready to drain) is shared with
# bench/pipeline_instructions.py, so both measure the same drain.
SETUP = r"""
import hashlib, json, os, re, sys, time
src, n, WARM = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in type(f).__name__.lower()]
sys.path[:0] = [src, BENCH]
from contextlib import suppress
with suppress(AttributeError, OSError):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
from datetime import timedelta
import sqlalchemy as sa
from common import quiet_logs, synthetic_events, workspace
from autoreply import places
from autoreply.clock import FixedClock
from autoreply.config import load_config
from autoreply.daemon import build_detector
from autoreply.pipeline import Engine
from autoreply.store import Store, outbox
from autoreply.synth import DEFAULT_START
from autoreply.worker import InboxWorker
assert os.path.realpath(sys.modules["autoreply"].__file__).startswith(os.path.realpath(src))
events = synthetic_events(n, seed=1)
quiet_logs("info")
with workspace() as ws:
    settings = ws.settings()
    store = Store(settings.database_url, sqlite_synchronous=settings.store.sqlite_synchronous)
    store.migrate()
    clock = FixedClock(DEFAULT_START + timedelta(days=1, hours=1))
    engine = Engine(load_config(settings), build_detector(settings))
    from autoreply import daemon
    if hasattr(daemon, "configure_memory"):  # the process-wide tables set up as the daemon does
        daemon.configure_memory(settings, settings.state_path)
    else:
        places.configure(low_memory=daemon.low_memory(settings), spill_dir=settings.state_path)
    places.warm()
    from autoreply.events import Event
    for _id, _kind, _platform, payload in synthetic_events(WARM, seed=2):  # other events
        engine.decide(Event.model_validate_json(payload), clock.now(), explain=False)
    store.add_events(events, source="bench", now=clock.now())
    worker = InboxWorker(store, lambda: engine, clock, settings.worker.batch_size)
"""

CHILD = SETUP + r"""
    spent = [0.0]  # CPU inside the compliance check (another branch's work): reported apart
    check = Engine.check_compliance
    def timed_check(*args, **kwargs):
        t = time.process_time()
        try:
            return check(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - t
    Engine.check_compliance = timed_check
    cpu, wall = time.process_time(), time.perf_counter()
    done = worker.drain()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    digest = hashlib.sha256()
    skip = {"message_id", "created_at", "updated_at"}  # random / clock: the rest must agree
    with store.engine.connect() as conn:
        cols = [c for c in outbox.c if c.name not in skip]
        for row in conn.execute(sa.select(*cols).order_by(outbox.c.id)):
            digest.update(re.sub(r"[0-9a-f]{32}", "X", repr(tuple(row))).encode())
    print(json.dumps({"events": done, "cpu_us": cpu / n * 1e6, "wall_us": wall / n * 1e6,
                      "compliance_us": spent[0] / n * 1e6,
                      "counts": store.counts(), "digest": digest.hexdigest()[:16]}))
"""


def run(src: Path, n: int, warm: int, accuracy: str) -> dict[str, object]:
    code = CHILD.replace("BENCH", repr(str(REPO / "bench")))
    out = subprocess.run([sys.executable, "-c", code, str(src), str(n), str(warm)], capture_output=True,
                         text=True, check=True, cwd=REPO,
                         env={**os.environ, "AUTOREPLY_LANGUAGE__ACCURACY": accuracy})
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("rev", help="the revision to compare with (e.g. main)")
    p.add_argument("--events", type=int, default=4000)
    p.add_argument("--rounds", type=int, default=3, help="alternating rounds; the median counts")
    p.add_argument("--warm", type=int, default=2000,
                   help="other synthetic events decided (no database) before the timed drain, "
                        "as a daemon that has run a while: per-country city indexes built, "
                        "caches warm [2,000; 0 = a cold start]")
    p.add_argument("--accuracy", choices=("high", "low"), default="high",
                   help="language.accuracy: low is the daemon's low-memory mode (smaller caches) [high]")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="autoreply-compare-") as tmp:
        archive = subprocess.run(["git", "archive", args.rev, "autoreply"], cwd=REPO,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        sides = {args.rev: Path(tmp), "this tree": REPO}
        results: dict[str, list[dict[str, object]]] = {name: [] for name in sides}
        for _ in range(args.rounds):
            for name, src in sides.items():
                results[name].append(run(src, args.events, args.warm, args.accuracy))
                r = results[name][-1]
                print(f"{name:>12}: CPU {r['cpu_us']:,.0f} µs/event (compliance check "
                      f"{r['compliance_us']:,.0f}), wall {r['wall_us']:,.0f} µs/event, "
                      f"outbox {r['counts']}, digest {r['digest']}", flush=True)
    mid = {name: statistics.median(float(r["cpu_us"]) for r in rs)  # type: ignore[arg-type]
           for name, rs in results.items()}
    before, after = mid[args.rev], mid["this tree"]
    rest = {name: statistics.median(float(r["cpu_us"]) - float(r["compliance_us"])  # type: ignore[arg-type]
                                    for r in rs) for name, rs in results.items()}
    same = len({str(r["digest"]) for rs in results.values() for r in rs}) == 1
    print(f"\n{args.events:,} events, median of {args.rounds}: CPU {before:,.0f} → {after:,.0f} "
          f"µs/event ({before / after:.2f}× less CPU); outbox rows identical: "
          f"{'yes' if same else 'NO'}")
    print(f"everything but the compliance check: CPU {rest[args.rev]:,.0f} → "
          f"{rest['this tree']:,.0f} µs/event ({rest[args.rev] / rest['this tree']:.2f}× less)")


if __name__ == "__main__":
    main()
