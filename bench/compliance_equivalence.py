"""Compliance verdict equivalence and speed: every corpus text and every rendered message.

    .venv/bin/python bench/compliance_equivalence.py --save FILE      # record verdicts + findings
    .venv/bin/python bench/compliance_equivalence.py --compare FILE   # exit 1 if any differs
    taskset -c 0 .venv/bin/python bench/compliance_equivalence.py --time [--baseline REF]

The cases are the exact ``ComplianceEngine.check`` calls of three sources:
* ``corpus`` — each text of ``bench/data/compliance_*.jsonl`` on amazon, aliexpress and taobao;
* ``samples`` — every rule × template language × platform rendered with the sample data of
  ``autoreply check``, with the event's context;
* ``pipeline`` — the pipeline's decisions on ``--events`` synthetic events (``autoreply.synth``,
  the events ``bench/pipeline.py`` drains), with their contexts.

``--save`` / ``--compare`` cover a speed-up that must not change any verdict: every finding's
check, severity, field, span, excerpt, message and source are compared. ``--time`` prints µs per
check (median, p90, mean) for each source; with ``--baseline REF`` the engine of that git
revision is timed on the same calls in interleaved rounds (same load). Messages rendered from
templates share most of their lines and the engine keeps what it found per line, so every round
starts with those caches empty and runs the calls in stream order: a message's template lines
were seen in earlier messages, its own lines (names, order ids, dates) were not.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from compliance_bench import DEFAULT_CORPORA, _engine_at, load  # noqa: E402

from autoreply.compliance import ComplianceEngine, Verdict  # noqa: E402

Case = tuple[str, str, dict[str, Any]]  # (source, id, check() keyword arguments)


def corpus_cases() -> list[Case]:
    out: list[Case] = []
    for path in DEFAULT_CORPORA:
        for i, row in enumerate(load(path)):
            for platform in ("amazon", "aliexpress", "taobao"):
                out.append(("corpus", f"{path.stem}:{i}:{platform}", {
                    "platform": platform, "subject": row.get("subject"), "body": row["text"],
                    "message_type": row.get("message_type")}))
    return out


class _Recorder:
    """Replaces ``ComplianceEngine.check`` while the pipeline runs, keeping each call's arguments."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self._original = ComplianceEngine.check

    def __enter__(self) -> _Recorder:
        original, calls = self._original, self.calls

        def check(engine: ComplianceEngine, **kwargs: Any) -> Verdict:
            calls.append(dict(kwargs))
            return original(engine, **kwargs)

        ComplianceEngine.check = check  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        ComplianceEngine.check = self._original  # type: ignore[method-assign]


def rendered_cases(events: int) -> list[Case]:
    from common import synthetic_events, workspace

    from autoreply.cli.check import render_problems
    from autoreply.config import load_config
    from autoreply.events import Event
    from autoreply.pipeline import Engine

    out: list[Case] = []
    with workspace() as ws:
        config = load_config(ws.settings())
        with _Recorder() as rec:
            render_problems(config)
        out += [("samples", f"samples:{i}", kw) for i, kw in enumerate(rec.calls)]
        engine = Engine(config)
        with _Recorder() as rec:
            for _id, _kind, _platform, payload in synthetic_events(events, seed=1):
                event = Event.model_validate_json(payload)
                engine.decide(event, event.occurred_at, explain=False)
        out += [("pipeline", f"pipeline:{i}", kw) for i, kw in enumerate(rec.calls)]
    return out


def all_cases(events: int) -> list[Case]:
    return corpus_cases() + rendered_cases(events)


def outcome(verdict: Verdict) -> list[Any]:
    return [verdict.verdict, [[f.check, f.severity, f.field, f.start, f.end, f.excerpt, f.message, f.source]
                              for f in verdict.findings]]


def results(cases: list[Case], engine: ComplianceEngine) -> dict[str, list[Any]]:
    return {cid: outcome(engine.check(**kw)) for _src, cid, kw in cases}


def forget_lines(engine: ComplianceEngine) -> None:
    """Empty the per-line caches (folding, spaced runs, term hits) so that a round does not reuse
    the lines of the same messages in an earlier round: within a round, lines repeat only as they
    do in the stream (template lines), as in the daemon."""
    # the engine's own modules (a baseline's are not in sys.modules): found through its globals
    engine_globals = type(engine).check.__globals__
    scan_globals = engine_globals["Scan"].of.__func__.__globals__
    # (scan.py imports normalize_masked since the round-15 refactor; older revisions import normalize)
    normalize_globals = (scan_globals.get("normalize_masked") or scan_globals["normalize"]).__globals__
    for module_globals, cache in ((normalize_globals, "_LINES"), (normalize_globals, "_MASKED_LINES"),
                                  (normalize_globals, "_SPACED_LINES"), (normalize_globals, "_LEET_LINES"),
                                  (scan_globals, "_LINE_ENDS")):
        module_globals.get(cache, {}).clear()
    getattr(engine_globals.get("channels"), "_IBAN_LINES", {}).clear()
    getattr(engine_globals.get("promises"), "_HINT_LINES", {}).clear()
    getattr(engine_globals.get("contacts"), "_DIGIT_LETTER_LINES", {}).clear()
    getattr(engine_globals.get("contacts"), "_PHONE_START_LINES", {}).clear()
    getattr(engine_globals.get("spelled"), "_CJK_HINT_LINES", {}).clear()
    getattr(engine.index, "_lines", {}).clear()
    getattr(engine.index, "_grouped", {}).clear()
    getattr(engine, "_subject_raws", {}).clear()
    getattr(engine, "_blind", {}).clear()
    getattr(getattr(engine, "model", None), "_kept", {}).clear()
    getattr(getattr(engine, "model", None), "_by_masked", {}).clear()


def timing(cases: list[Case], engines: dict[str, ComplianceEngine], rounds: int) -> str:
    """µs per check per source and engine: each call's best of ``rounds`` interleaved rounds."""
    best = {name: [float("inf")] * len(cases) for name in engines}
    perf = time.perf_counter
    for _ in range(rounds):
        for name, engine in engines.items():
            forget_lines(engine)
            mine = best[name]
            for i, (_src, _cid, kw) in enumerate(cases):
                t = perf()
                engine.check(**kw)
                d = perf() - t
                if d < mine[i]:
                    mine[i] = d
    lines = ["| source | checks | engine | median µs | p90 µs | mean µs |", "|---|---|---|---|---|---|"]
    for source in dict.fromkeys(src for src, _, _ in cases):
        idx = [i for i, (src, _, _) in enumerate(cases) if src == source]
        for name in engines:
            values = sorted(best[name][i] * 1e6 for i in idx)
            lines.append(f"| {source} | {len(idx)} | {name} | {values[len(values) // 2]:.0f} "
                         f"| {values[int(len(values) * 0.9)]:.0f} | {statistics.fmean(values):.0f} |")
    return "\n".join(lines) + f"\n\n(each check's best of {rounds} interleaved rounds)"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, default=2000, help="synthetic events for the pipeline source [2000]")
    p.add_argument("--save", type=Path, help="write every case's verdict and findings to this JSON file")
    p.add_argument("--compare", type=Path, help="compare with a file written by --save; exit 1 on a difference")
    p.add_argument("--time", action="store_true", help="print µs per check per source")
    p.add_argument("--baseline", metavar="REF", help="with --time: also time the engine of this git revision")
    p.add_argument("--rounds", type=int, default=5)
    args = p.parse_args()
    cases = all_cases(args.events)
    counts = {src: sum(1 for s, _, _ in cases if s == src) for src in dict.fromkeys(s for s, _, _ in cases)}
    print("cases: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    engine = ComplianceEngine()
    failed = False
    if args.save or args.compare:
        got = results(cases, engine)
        if args.save:
            args.save.write_text(json.dumps(got, ensure_ascii=False, indent=0), encoding="utf-8")
            print(f"saved {len(got):,} verdicts to {args.save}")
        if args.compare:
            want = json.loads(args.compare.read_text(encoding="utf-8"))
            diff = [cid for cid in want.keys() | got.keys() if want.get(cid) != got.get(cid)]
            for cid in sorted(diff)[:20]:
                print(f"DIFF {cid}\n  was {want.get(cid)}\n  now {got.get(cid)}")
            print(f"{len(diff)} of {len(want):,} cases differ")
            failed = bool(diff)
    if args.time:
        engines = {f"baseline {args.baseline}": _engine_at(args.baseline)} if args.baseline else {}
        engines["this tree"] = engine
        print(timing(cases, engines, args.rounds))
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
