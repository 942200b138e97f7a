"""Pipeline throughput on one core, SQLite: events/s end to end through the real worker
(inbox → pipeline → outbox, one transaction per batch) and µs per stage.

    python bench/pipeline.py [--quick] [--events N] [--profile FILE.html]

Three drains of the same synthetic events, each into a fresh database, each after ``--warm``
other events were decided untimed (a daemon that has run a while: the per-country city
indexes are built on first use, a one-off that a short cold run would count per event):
1. as the daemon runs (logs at info, written as JSON to /dev/null) → events/s;
2. the same with logs at warning → what per-event logging costs;
3. instrumented: a timing wrapper around each stage function (installed here, not in the
   product) → µs per event and per stage.
With --profile, a pyinstrument profile of drain 1 is written as HTML.
"""

from __future__ import annotations

import functools
import importlib
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from common import (
    fmt,
    parser,
    pin_to_one_core,
    quiet_logs,
    synthetic_events,
    table,
    verdict,
    workspace,
    write_section,
)

TARGET_EVENTS_PER_S = 2000

# (stage, "module:attribute path"): the functions timed. Extend when the pipeline grows;
# a target that does not exist (renamed after a merge) is reported as "not found".
STAGES: list[tuple[str, str]] = [
    ("inbox claim", "autoreply.store:Store.claim_new_events"),
    ("parse event", "autoreply.worker:Event.model_validate_json"),
    ("pipeline total (Engine.decide)", "autoreply.pipeline:Engine.decide"),
    ("· route (rules)", "autoreply.rules:RuleSet.route"),
    ("· language", "autoreply.pipeline:Engine.choose_language"),
    ("· time zone", "autoreply.pipeline:Engine.resolve_zone"),
    ("· send time", "autoreply.pipeline:plan_send"),
    ("· local time", "autoreply.localtime:to_local"),
    ("· render context", "autoreply.pipeline:Engine.context"),
    ("· render", "autoreply.render:TemplateSet.render"),
    ("· compliance", "autoreply.pipeline:Engine.check_compliance"),
    ("outbox rows (messages_of)", "autoreply.worker:messages_of"),
    ("outbox insert", "autoreply.store:Store.insert_messages"),
    ("inbox mark done", "autoreply.store:Store.finish_events"),
]


class Timings:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.missing: list[str] = []
        self._undo: list[Callable[[], None]] = []

    def wrap(self, stage: str, target: str) -> None:
        module_name, path = target.split(":")
        parts = path.split(".")
        try:
            owner: Any = importlib.import_module(module_name)
            for part in parts[:-1]:
                owner = getattr(owner, part)
            name = parts[-1]
            if isinstance(owner, type):  # the raw attribute (classmethod stays a classmethod)
                original = next(k.__dict__[name] for k in owner.__mro__ if name in k.__dict__)
                own = name in owner.__dict__
            else:
                original, own = getattr(owner, name), True
        except (ImportError, AttributeError, StopIteration):
            self.missing.append(stage)
            return
        func = original.__func__ if isinstance(original, classmethod | staticmethod) else original
        perf = time.perf_counter
        seconds, calls = self.seconds, self.calls

        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Any:
            t = perf()
            try:
                return func(*args, **kwargs)
            finally:
                seconds[stage] += perf() - t
                calls[stage] += 1

        if isinstance(original, classmethod):
            # pydantic model classmethod: replace on the owner, keep it a classmethod
            bound = getattr(owner, parts[-1])

            def timed_cm(*args: Any, **kwargs: Any) -> Any:
                t = perf()
                try:
                    return bound(*args, **kwargs)
                finally:
                    seconds[stage] += perf() - t
                    calls[stage] += 1

            setattr(owner, parts[-1], staticmethod(timed_cm))
        else:
            setattr(owner, parts[-1], timed)
        self._undo.append(lambda: setattr(owner, name, original) if own else delattr(owner, name))

    def restore(self) -> None:
        for undo in reversed(self._undo):
            undo()
        self._undo.clear()


def drain(events: list[tuple[str, str, str, str]], *, log_level: str, warm: int = 0,
          timings: Timings | None = None, profile: str | None = None) -> dict[str, Any]:
    """Fresh SQLite database; events into the inbox; one worker drains it. Returns figures."""
    from autoreply import places
    from autoreply.clock import FixedClock
    from autoreply.config import load_config
    from autoreply.daemon import build_detector
    from autoreply.pipeline import Engine
    from autoreply.store import Store
    from autoreply.synth import DEFAULT_START
    from autoreply.worker import InboxWorker

    quiet_logs(log_level)
    with workspace() as ws:
        settings = ws.settings()
        store = Store(settings.database_url, sqlite_synchronous=settings.store.sqlite_synchronous)
        store.migrate()
        clock = FixedClock(DEFAULT_START + timedelta(days=1, hours=1))
        t = time.perf_counter()
        detector = build_detector(settings)
        detector_s = time.perf_counter() - t
        engine = Engine(load_config(settings), detector)
        places.warm()  # the daemon loads the city index at start, before the first event
        # a daemon that has run a while: other events decided untimed (per-country city
        # indexes built on first use, caches warm); the timed events are not among them
        from autoreply.events import Event

        for _id, _kind, _platform, payload in synthetic_events(warm, seed=2):
            engine.decide(Event.model_validate_json(payload), clock.now(), explain=False)
        t = time.perf_counter()
        store.add_events(events, source="bench", now=clock.now())
        intake_s = time.perf_counter() - t
        worker = InboxWorker(store, lambda: engine, clock, settings.worker.batch_size)
        profiler = None
        if profile:
            from pyinstrument import Profiler

            profiler = Profiler()
            profiler.start()
        if timings:
            for stage, target in STAGES:
                timings.wrap(stage, target)
        t, cpu = time.perf_counter(), time.process_time()
        try:
            done = worker.drain()
        finally:
            elapsed = time.perf_counter() - t
            cpu = time.process_time() - cpu
            if timings:
                timings.restore()
        if profiler is not None and profile:
            profiler.stop()
            with open(profile, "w", encoding="utf-8") as fh:
                fh.write(profiler.output_html())
            print(f"profile written to {profile}")
        counts = store.counts()
        store.close()
    return {"events": done, "seconds": elapsed, "cpu": cpu, "rate": done / elapsed, "outbox": counts,
            "detector": type(detector).__name__ if detector else "none",
            "detector_s": detector_s, "intake_rate": len(events) / intake_s,
            "batch": settings.worker.batch_size,
            "sync": settings.store.sqlite_synchronous,
            "accuracy": settings.language.accuracy}


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--events", type=int, help="how many events [20,000; --quick 4,000]")
    p.add_argument("--profile", metavar="FILE.html", help="write a pyinstrument profile of the drain")
    p.add_argument("--warm", type=int, default=2000,
                   help="other events decided untimed first, as a daemon that has run a while "
                        "[2,000; 0 = measure from a cold start]")
    args = p.parse_args()
    n = args.events or (4000 if args.quick else 20000)
    pinned = pin_to_one_core()
    print(f"generating {n:,} synthetic events …")
    events = synthetic_events(n, seed=1)

    print("drain 1: as the daemon runs (info logs) …")
    real = drain(events, log_level="info", warm=args.warm, profile=args.profile)
    print("drain 2: logs at warning …")
    quiet = drain(events, log_level="warning", warm=args.warm)
    print("drain 3: instrumented …")
    timings = Timings()
    timed = drain(events, log_level="info", warm=args.warm, timings=timings)

    waiting = "language detection (issue 3)" if real["detector"] == "none" else None
    per_event = lambda s: s / n * 1e6  # noqa: E731
    log_cost = per_event(real["cpu"]) - per_event(quiet["cpu"])
    print()
    summary = table(["measure", "value", "target"], [
        ["events/s end to end (info logs)", fmt(real["rate"]),
         f"≥ {TARGET_EVENTS_PER_S:,} with high-accuracy detection "
         + verdict(None if waiting else real["rate"] >= TARGET_EVENTS_PER_S, waiting)],
        ["events/s with logs at warning", fmt(quiet["rate"]), ""],
        ["µs per event, end to end: wall / CPU",
         f"{fmt(per_event(real['seconds']))} / {fmt(per_event(real['cpu']))}",
         "wall − CPU ≈ waiting for fsync"],
        ["CPU µs per event spent logging (info − warning)", fmt(log_cost), ""],
        ["events/s into the inbox (Store.add_events)", fmt(real["intake_rate"]), ""],
        ["language detector", f"{real['detector']} ({real['accuracy']} accuracy, "
                              f"built in {real['detector_s']:.2f} s)", ""],
        ["events / worker batch / SQLite synchronous", f"{n:,} / {real['batch']} / {real['sync']}", ""],
        ["warm-up before timing", f"{args.warm:,} other events decided (no database)" if args.warm
         else "none (cold start)", ""],
        ["outbox after the drain", ", ".join(f"{k} {v:,}" for k, v in sorted(real["outbox"].items())), ""],
        ["CPU", pinned, ""],
    ])
    print()
    total = timed["seconds"]
    rows = []
    for stage, _target in STAGES:
        if stage in timings.missing:
            rows.append([stage, "not found", "", ""])
            continue
        s = timings.seconds.get(stage, 0.0)
        rows.append([stage, fmt(per_event(s), 1), fmt(timings.calls.get(stage, 0)),
                     f"{100 * s / total:.1f}%"])
    inner = sum(timings.seconds.get(s, 0.0) for s, _ in STAGES if not s.startswith("·"))
    rows.append(["other (metrics, logging, loop, commit)", fmt(per_event(total - inner), 1), "",
                 f"{100 * (total - inner) / total:.1f}%"])
    rows.append(["total (instrumented drain)", fmt(per_event(total), 1), "", "100%"])
    stages = table(["stage", "µs / event", "calls", "share"], rows)
    write_section("pipeline", "Pipeline throughput (one core, SQLite)", f"""
{summary}

Time per stage (drain 3, a timing wrapper around each stage function; `·` stages are inside
`Engine.decide`; the wrappers add about 1 µs per call):

{stages}
""", enabled=not args.no_write)


if __name__ == "__main__":
    main()
