"""`autoreply simulate`: the daemon's pipeline over many events, counted — and it agrees with
`autoreply preview` event by event."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from autoreply.cli import cli
from autoreply.synth import write_jsonl
from tests.conftest import ConfigDir, event_data, write

NOW = "2026-11-23T14:00:00Z"


def run(cfg: ConfigDir, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--config", str(cfg.settings_file), *args],
                                catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def events_file(path: Path, count: int, seed: int) -> Path:
    buf = io.StringIO()
    write_jsonl(buf, count, seed)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def preview_objects(out: str) -> list[dict[str, Any]]:
    """The JSON objects `preview --json` printed, one per event."""
    decoder, objects, pos = json.JSONDecoder(), [], 0
    while pos < len(out):
        if out[pos].isspace():
            pos += 1
            continue
        obj, pos = decoder.raw_decode(out, pos)
        objects.append(obj)
    return objects


@pytest.fixture
def shipped(cfgdir: ConfigDir) -> ConfigDir:
    return cfgdir.copy_shipped()


def test_counts_agree_with_preview_event_by_event(shipped: ConfigDir, tmp_path: Path) -> None:
    """Per outcome, rule × decision, language, verdict, finding and landing hour, simulate
    counts exactly what preview says for each of the same events at the same --now."""
    path = events_file(tmp_path / "sample.jsonl", 400, 21)
    code, out, _ = run(shipped, "preview", str(path), "--now", NOW, "--json")
    assert code in (0, 3, 4)
    previews = preview_objects(out)
    assert len(previews) == 400

    outcomes: Counter[str] = Counter(p["decision"] for p in previews)
    rules: dict[str, Counter[str]] = {}
    languages: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    findings: Counter[str] = Counter()
    for p in previews:
        for d in p["decisions"]:
            rules.setdefault(d["rule"], Counter())[d["decision"]] += 1
            if d["decision"] in ("queue", "blocked"):
                verdicts[d["compliance"]["verdict"]] += 1
                findings.update(f["check"] for f in d["compliance"]["findings"])
            if d["decision"] == "queue":
                languages[d["language"]["template_language"]] += 1

    code, out, err = run(shipped, "simulate", str(path), "--now", NOW, "--json")
    assert code == 0, err
    sim = json.loads(out)
    assert sim["events"] == 400
    assert sim["outcomes"] == dict(outcomes)
    assert sim["rules"] == {r: dict(c) for r, c in rules.items()}
    assert sim["languages"] == dict(languages)
    assert sim["compliance"]["verdicts"] == dict(verdicts)
    assert {f["check"]: f["count"] for f in sim["compliance"]["findings"]} == dict(findings)
    # with --now fixed and no dedupe repeats, the landing hours are preview's send_at hours
    suppressed = sum(sim["dedupe_suppressed_estimate"].values())
    hours = Counter(datetime.fromisoformat(d["send_at"]).hour
                    for p in previews for d in p["decisions"] if d["decision"] == "queue")
    assert sum(sim["landing"]["buyer_local_hour"]) == sum(hours.values()) - suppressed
    assert set(outcomes) >= {"queue", "skipped", "no_rule"}


def test_several_workers_give_the_same_report_as_one(shipped: ConfigDir, tmp_path: Path) -> None:
    """Deciding in two processes changes nothing in the report but the timing."""
    path = events_file(tmp_path / "e.jsonl", 1200, 4)
    reports = []
    for workers in ("1", "2"):
        code, out, err = run(shipped, "simulate", str(path), "--json", "--workers", workers)
        assert code == 0, err
        data = json.loads(out)
        assert data["workers"] == int(workers)
        reports.append({k: v for k, v in data.items() if k not in ("elapsed_seconds", "workers")})
    assert reports[0] == reports[1]
    assert reports[0]["events"] == 1200


def test_terminal_report_and_html_file(shipped: ConfigDir, tmp_path: Path) -> None:
    """The terminal view shows rules and the landing-hour chart; --html writes a standalone page."""
    path = events_file(tmp_path / "e.jsonl", 300, 8)
    html_file = tmp_path / "report.html"
    code, out, _ = run(shipped, "simulate", str(path), "--html", str(html_file))
    assert code == 0
    assert "messages by rule" in out and "welcome" in out and "buyer local time" in out
    assert "land at night for the buyer" in out
    page = html_file.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and page.count("<svg") == 2
    assert "logistics-shipped" in page and "Asia/Shanghai" in page
    assert "<script" not in page and "src=" not in page and "href=" not in page


def test_repeated_ids_count_once_and_dedupe_is_estimated(shipped: ConfigDir, tmp_path: Path) -> None:
    """A repeated event id is one event; a second welcome to one buyer within 24 h is
    counted as queued by the pipeline and as suppressed by the dedupe estimate."""
    first = event_data(id="e-1", occurred_at="2026-11-23T10:00:00Z", buyer={"id": "b-9", "locale": "es"})
    again = event_data(id="e-2", occurred_at="2026-11-23T12:00:00Z", buyer={"id": "b-9", "locale": "es"})
    path = write(tmp_path / "e.jsonl", "\n".join(json.dumps(e) for e in (first, first, again)) + "\n")
    code, out, _ = run(shipped, "simulate", str(path), "--json")
    data = json.loads(out)
    assert code == 0
    assert data["events"] == 2 and data["duplicates"] == 1
    assert data["rules"]["welcome"] == {"queue": 2}
    assert data["dedupe_suppressed_estimate"] == {"welcome": 1}
    assert data["landing"]["would_send"] == 1


def test_bad_lines_are_named_and_nothing_is_reported(shipped: ConfigDir, tmp_path: Path) -> None:
    """Exit 1; every bad line is named with its line number and field; no report is printed."""
    good = json.dumps(event_data())
    unknown = json.dumps({**event_data(), "colour": "red"})
    missing = json.dumps({k: v for k, v in event_data().items() if k != "kind"})
    path = write(tmp_path / "bad.jsonl", "\n".join([good, "", unknown, good, "{not json", missing]) + "\n")
    code, out, err = run(shipped, "simulate", str(path))
    assert code == 1
    assert f"{path}:3: colour: unknown field" in err
    assert f"{path}:5:2: invalid JSON" in err
    assert f"{path}:6: kind: Field required" in err
    assert "messages by rule" not in out
    empty = write(tmp_path / "empty.jsonl", "\n")
    code, _, err = run(shipped, "simulate", str(empty))
    assert code == 1 and "no events in input" in err
    code, _, err = run(shipped, "simulate", str(path.with_name("missing.jsonl")))
    assert code == 1 and "cannot read" in err
