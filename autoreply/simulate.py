"""The bulk what-if: the very pipeline the daemon runs (``Engine.decide``) over many events,
nothing stored or sent, summed up.

This is how a seller tries a rules or template change against yesterday's traffic: which rule
would fire how often, in which languages, what compliance would block, and — the part that
costs reviews — at what hour of the buyer's day the messages would land.

Events are decided in worker processes (each with its own :class:`Engine`, built from the same
config), in chunks; results come back in file order so the report is deterministic. The counts
per rule and decision are exactly what ``autoreply preview`` says for each event at the same
``now``. Dedupe is a storage fact, not a pipeline one, so it is reported apart, as an estimate:
a replay of each rule's dedupe window in file order.

Without ``--now`` each event is decided as of its own ``occurred_at`` (a replay: what the daemon
would have done when the event arrived); with ``--now`` every event is decided at that instant,
exactly like ``preview --now``.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytz
from pydantic import ValidationError

from autoreply.config import Config
from autoreply.errors import InputError, Problem
from autoreply.events import Event, parse_event
from autoreply.pipeline import Engine

#: hours that count as the buyer's night in the summary (22:00–07:59)
NIGHT_HOURS = frozenset((22, 23, 0, 1, 2, 3, 4, 5, 6, 7))
CHUNK = 500
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class MessageResult:
    """One decision (one rule that fired for one event), reduced to what the report needs."""

    rule: str
    decision: str
    language: str | None
    language_reason: str | None
    verdict: str
    findings: tuple[tuple[str, str], ...]  # (check, severity)
    local_hour: int | None
    seller_hour: int | None
    dedupe_key: str | None
    dedupe_window: float | None  # seconds


@dataclass(frozen=True)
class EventResult:
    line: int
    event_id: str
    platform: str
    decision: str
    decided_at: float  # the "now" it was decided at (POSIX seconds)
    timezone_source: str
    messages: tuple[MessageResult, ...]


# --------------------------------------------------------------------------- deciding
def decide_line(engine: Engine, seller_zone: Any, number: int, line: str, source: str,
                now: datetime | None) -> EventResult | list[Problem]:
    """Parse and decide one JSON line; problems name the file, line and field path."""
    try:
        event = Event.model_validate_json(line)
    except ValidationError:  # the slow path, for errors that name the field
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            return [Problem(f"invalid JSON: {exc.msg}", file=source, line=number, column=exc.colno)]
        try:
            event = parse_event(data, source=source)
        except InputError as exc:
            for problem in exc.problems:
                problem.line = number
            return exc.problems
    at = now or event.occurred_at
    outcome = engine.decide(event, at, explain=False)  # the report shows no explanations
    messages = []
    for d in outcome.decisions:
        local_hour = seller_hour = None
        if d.decision == "queue" and d.send_at_utc is not None:
            local_hour = d.send_at_local.hour if d.send_at_local else None
            seller_hour = seller_zone.normalize(d.send_at_utc.astimezone(seller_zone)).hour
        messages.append(MessageResult(
            rule=d.rule, decision=d.decision,
            language=d.language.template_language if d.language else None,
            language_reason=d.language.reason if d.language else None,
            verdict=d.compliance.verdict,
            findings=tuple((f.check, f.severity) for f in d.compliance.findings),
            local_hour=local_hour, seller_hour=seller_hour,
            dedupe_key=d.dedupe_key if d.decision == "queue" else None,
            dedupe_window=d.dedupe_window.total_seconds() if d.dedupe_window else None,
        ))
    return EventResult(number, event.id, event.platform, outcome.decision, at.timestamp(),
                       outcome.zone.source, tuple(messages))


# Per worker process: the engine, built once by the pool initializer.
_WORKER: dict[str, Any] = {}
# Set in the parent before the pool forks, so forked workers reuse the loaded config and
# read their chunks from the parent's lines (sent as index ranges, not as text to pickle).
_FORK_CONFIG: Config | None = None
_FORK_LINES: list[tuple[int, str]] = []


def _init_worker(config_file: str | None) -> None:
    from autoreply.config import load_config
    from autoreply.daemon import build_detector
    from autoreply.logs import configure
    from autoreply.settings import load_settings

    configure("warning", "json")
    config = _FORK_CONFIG
    if config is None:  # spawned, not forked: load the same files again
        from pathlib import Path

        config = load_config(load_settings(Path(config_file) if config_file else None))
    _WORKER["engine"] = Engine(config, build_detector(config.settings))
    _WORKER["seller_zone"] = pytz.timezone(config.settings.seller.timezone)


Chunk = list[tuple[int, str]] | tuple[int, int]  # the lines, or (start, stop) in _FORK_LINES


def _decide_chunk(args: tuple[Chunk, str, datetime | None]) -> list[EventResult | list[Problem]]:
    part, source, now = args
    chunk = _FORK_LINES[part[0]:part[1]] if isinstance(part, tuple) else part
    engine, zone = _WORKER["engine"], _WORKER["seller_zone"]
    return [decide_line(engine, zone, n, line, source, now) for n, line in chunk]


def numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` for every non-blank line of a JSON-lines text."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield number, line


def _chunks(lines: Iterator[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    chunk: list[tuple[int, str]] = []
    for item in lines:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def default_workers() -> int:
    """One worker per core the process may use (at most 8)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def run(text: str, *, config: Config, source: str, now: datetime | None = None,
        workers: int | None = None, engine: Engine | None = None,
        progress: Callable[[int], None] | None = None) -> Report:
    """Decide every event of a JSON-lines ``text``; raises :class:`InputError` listing bad lines.

    ``workers`` > 1 decides in that many processes (each with its own engine); 1 decides here.
    """
    global _FORK_CONFIG, _FORK_LINES
    lines = list(numbered_lines(text))
    if not lines:
        raise InputError([Problem("no events in input", file=source)])
    if text.lstrip().startswith("["):
        lines = _array_lines(text, source)
    workers = default_workers() if workers is None else max(1, workers)
    if len(lines) < 2 * CHUNK:
        workers = 1
    report = Report(source=source, now=now, workers=workers,
                    seller_timezone=config.settings.seller.timezone)
    started = time.perf_counter()
    if workers == 1:
        if engine is None:
            from autoreply.daemon import build_detector

            engine = Engine(config, build_detector(config.settings))
        zone = pytz.timezone(config.settings.seller.timezone)
        for chunk in _chunks(iter(lines), CHUNK):
            for result in (decide_line(engine, zone, n, line, source, now) for n, line in chunk):
                report.add(result)
            if progress:
                progress(report.lines_seen)
    else:
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        forked = ctx.get_start_method() == "fork"
        _FORK_CONFIG = config if forked else None
        _FORK_LINES = lines if forked else []
        config_file = str(config.settings.config_file)
        parts: Iterator[Chunk] = (
            ((start, start + CHUNK) for start in range(0, len(lines), CHUNK)) if forked
            else _chunks(iter(lines), CHUNK))
        try:
            with ctx.Pool(workers, initializer=_init_worker, initargs=(config_file,)) as pool:
                jobs = ((part, source, now) for part in parts)
                for results in pool.imap(_decide_chunk, jobs):
                    for result in results:
                        report.add(result)
                    if progress:
                        progress(report.lines_seen)
        finally:
            _FORK_CONFIG, _FORK_LINES = None, []
    report.elapsed = time.perf_counter() - started
    if report.problems:
        shown = report.problems[:MAX_PROBLEMS]
        if report.bad_lines > len({p.line for p in shown}):
            shown.append(Problem(f"… and more: {report.bad_lines} bad line(s) in all", file=source))
        raise InputError(shown)
    return report


def _array_lines(text: str, source: str) -> list[tuple[int, str]]:
    """A JSON array of events, as ``(index + 1, object JSON)`` pairs (errors say ``[index]``)."""
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(f"invalid JSON: {exc.msg}", file=source, line=exc.lineno,
                                  column=exc.colno)]) from None
    if not isinstance(items, list):
        raise InputError([Problem("expected JSON lines or an array of events", file=source)])
    return [(i + 1, json.dumps(item, ensure_ascii=False)) for i, item in enumerate(items)]


# --------------------------------------------------------------------------- the report
@dataclass
class Report:
    source: str
    now: datetime | None
    workers: int
    seller_timezone: str
    elapsed: float = 0.0
    lines_seen: int = 0
    events: int = 0
    bad_lines: int = 0
    duplicates: int = 0
    problems: list[Problem] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    by_platform: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    rules: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    dedupe_suppressed: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    language_reasons: Counter[str] = field(default_factory=Counter)
    timezone_sources: Counter[str] = field(default_factory=Counter)
    verdicts: Counter[str] = field(default_factory=Counter)
    findings: Counter[tuple[str, str]] = field(default_factory=Counter)
    buyer_hours: list[int] = field(default_factory=lambda: [0] * 24)
    seller_hours: list[int] = field(default_factory=lambda: [0] * 24)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    _seen_ids: set[str] = field(default_factory=set, repr=False)
    _dedupe_last: dict[str, float] = field(default_factory=dict, repr=False)

    def add(self, result: EventResult | list[Problem]) -> None:
        self.lines_seen += 1
        if isinstance(result, list):
            self.bad_lines += 1
            if len(self.problems) < MAX_PROBLEMS:
                self.problems.extend(result)
            return
        if self.problems:
            return  # bad input: the report will not be shown, just count the lines
        if result.event_id in self._seen_ids:  # the inbox keeps one event per id
            self.duplicates += 1
            return
        self._seen_ids.add(result.event_id)
        self.events += 1
        self.outcomes[result.decision] += 1
        self.by_platform[result.platform][result.decision] += 1
        self.timezone_sources[result.timezone_source] += 1
        if result.decision in ("blocked", "no_rule") and len(self.examples[result.decision]) < 5:
            self.examples[result.decision].append(f"line {result.line}: {result.event_id}")
        for m in result.messages:
            self.rules[m.rule][m.decision] += 1
            if m.decision not in ("queue", "blocked"):
                continue
            self.verdicts[m.verdict] += 1
            for finding in m.findings:
                self.findings[finding] += 1
            if m.decision != "queue":
                continue
            self.languages[m.language or "-"] += 1
            self.language_reasons[m.language_reason or "-"] += 1
            if m.dedupe_key and m.dedupe_window is not None:
                last = self._dedupe_last.get(m.dedupe_key)
                if last is not None and result.decided_at - last <= m.dedupe_window:
                    self.dedupe_suppressed[m.rule] += 1
                    continue
                self._dedupe_last[m.dedupe_key] = result.decided_at
            if m.local_hour is not None:
                self.buyer_hours[m.local_hour] += 1
            if m.seller_hour is not None:
                self.seller_hours[m.seller_hour] += 1

    # -- views ------------------------------------------------------------------------
    @property
    def messages(self) -> int:
        return sum(sum(c.values()) for c in self.rules.values())

    @property
    def would_send(self) -> int:
        return sum(self.buyer_hours)

    @property
    def at_night(self) -> int:
        return sum(self.buyer_hours[h] for h in NIGHT_HOURS)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "now": self.now.isoformat().replace("+00:00", "Z") if self.now else "replay",
            "events": self.events,
            "duplicates": self.duplicates,
            "messages": self.messages,
            "outcomes": dict(sorted(self.outcomes.items())),
            "by_platform": {p: dict(sorted(c.items())) for p, c in sorted(self.by_platform.items())},
            "rules": {r: dict(sorted(c.items())) for r, c in self.rules.items()},
            "dedupe_suppressed_estimate": dict(sorted(self.dedupe_suppressed.items())),
            "languages": dict(self.languages.most_common()),
            "language_reasons": dict(self.language_reasons.most_common()),
            "timezone_sources": dict(self.timezone_sources.most_common()),
            "compliance": {
                "verdicts": dict(sorted(self.verdicts.items())),
                "findings": [{"check": c, "severity": s, "count": n}
                             for (c, s), n in self.findings.most_common()],
            },
            "landing": {
                "would_send": self.would_send,
                "buyer_local_hour": list(self.buyer_hours),
                "seller_hour": list(self.seller_hours),
                "seller_timezone": self.seller_timezone,
                "buyer_night": self.at_night,
                "night_hours": sorted(NIGHT_HOURS),
            },
            "examples": {k: list(v) for k, v in self.examples.items()},
            "workers": self.workers,
            "elapsed_seconds": round(self.elapsed, 3),
        }


def rule_order(report: Report, names: Sequence[str]) -> list[str]:
    """Rules in file order, then any others that fired (a rule renamed since)."""
    return [n for n in names if n in report.rules] + sorted(set(report.rules) - set(names))
