"""The synthetic event generator: deterministic, valid, and shaped like real traffic."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from autoreply.cli import cli
from autoreply.events import parse_event
from autoreply.synth import BUYER_TEXTS, generate, write_jsonl
from tests.conftest import REPO


def jsonl(count: int, seed: int, **options: object) -> str:
    buf = io.StringIO()
    write_jsonl(buf, count, seed, **options)
    return buf.getvalue()


def test_the_same_seed_gives_the_same_events_byte_for_byte() -> None:
    """Two runs with one seed write identical JSON lines; another seed writes other events."""
    assert jsonl(500, 7) == jsonl(500, 7)
    assert jsonl(500, 7) != jsonl(500, 8)


def test_every_generated_event_is_valid_against_the_event_model() -> None:
    """Each of thousands of generated events passes the native event contract unchanged."""
    for data in generate(3000, 11):
        event = parse_event(data, source="<synth>")
        assert event.id == data["id"]


def test_the_stream_mixes_kinds_platforms_statuses_and_languages() -> None:
    """The stream covers every kind, platform, shipment status and template language."""
    events = list(generate(4000, 3))
    assert {e["kind"] for e in events} >= {"welcome", "out_of_stock", "logistics_update"}
    assert {e["platform"] for e in events} == {"amazon", "aliexpress", "taobao"}
    statuses = {e["shipment"]["status"] for e in events if e["kind"] == "logistics_update"}
    assert statuses >= {"shipped", "in_transit", "delayed", "delivered"}
    template_langs = {p.stem for p in (REPO / "templates" / "welcome").glob("*.j2")}
    assert set(BUYER_TEXTS) == template_langs  # a text for each of the 16 languages + zh-Hant
    texts = {e["message"]["text"] for e in events if "message" in e}
    written = {lang for lang, options in BUYER_TEXTS.items() if texts & set(options)}
    assert written == set(BUYER_TEXTS)
    assert len({e["buyer"]["country"] for e in events}) >= 20


def test_buyers_and_orders_repeat_and_some_amazon_buyers_opted_out() -> None:
    """Repeat buyers and repeated parcels give dedupe work; some Amazon buyers opted out."""
    events = list(generate(3000, 5))
    buyers = Counter(e["buyer"]["id"] for e in events)
    assert sum(1 for n in buyers.values() if n > 1) > 100
    parcels = Counter(e["order"]["id"] for e in events if e["kind"] == "logistics_update")
    assert any(n > 1 for n in parcels.values())
    opted = [e for e in events if e["buyer"].get("opted_out")]
    assert opted and {e["platform"] for e in opted} == {"amazon"}
    # one buyer id is always the same person
    seen: dict[str, str] = {}
    for e in events:
        assert seen.setdefault(e["buyer"]["id"], e["buyer"]["country"]) == e["buyer"]["country"]


def test_events_arrive_in_order_inside_the_requested_span() -> None:
    """occurred_at never goes backwards and stays inside [start, start + span]."""
    start = datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
    times = [datetime.fromisoformat(e["occurred_at"].replace("Z", "+00:00"))
             for e in generate(1000, 2, start=start, span=timedelta(hours=6))]
    assert times == sorted(times)
    assert start <= times[0] and times[-1] <= start + timedelta(hours=6)


def test_synth_command_writes_json_lines(tmp_path: Path) -> None:
    """`autoreply synth -n N --seed S -o FILE` writes the same N events the module does."""
    out = tmp_path / "events.jsonl"
    result = CliRunner().invoke(cli, ["synth", "-n", "40", "--seed", "9", "-o", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text == jsonl(40, 9)
    assert all(json.loads(line)["id"].startswith("syn-9-") for line in text.splitlines())
