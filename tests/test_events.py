"""The event contract: required fields, aware times, unknown fields rejected with their path."""

from __future__ import annotations

import json

import pytest

from autoreply.errors import InputError
from autoreply.events import parse_event, parse_events
from tests.conftest import EXAMPLES, NOTICES, event_data


@pytest.mark.parametrize("missing", ["id", "kind", "platform", "occurred_at"])
def test_required_fields_are_required(missing: str) -> None:
    """An event without id, kind, platform or occurred_at is rejected naming the field."""
    data = event_data()
    del data[missing]
    with pytest.raises(InputError, match=rf"e.json: {missing}: Field required"):
        parse_event(data, source="e.json")


def test_occurred_at_needs_an_offset() -> None:
    """A time without a zone is refused: its meaning would be a guess."""
    with pytest.raises(InputError, match=r"occurred_at: Input should have timezone info"):
        parse_event(event_data(occurred_at="2026-11-22T01:02:03"), source="e.json")


def test_times_are_normalised_to_utc() -> None:
    """An offset time is stored as the same instant in UTC."""
    event = parse_event(event_data(occurred_at="2026-11-22T09:02:03+08:00"))
    assert event.occurred_at.isoformat() == "2026-11-22T01:02:03+00:00"


def test_unknown_fields_are_rejected_with_their_path() -> None:
    """A typo deep in the event is reported with its full path."""
    data = event_data()
    data["order"]["items"][0]["qty"] = 2
    with pytest.raises(InputError, match=r"order.items\[0\].qty: unknown field"):
        parse_event(data, source="e.json")


def test_arrays_and_json_lines_report_where_each_bad_event_is() -> None:
    """In an array the index, in JSON lines the line number, locates the bad event."""
    good, bad = event_data(), event_data()
    del bad["kind"]
    with pytest.raises(InputError, match=r"x: \[1\].kind: Field required"):
        parse_events(json.dumps([good, bad]), source="x")
    with pytest.raises(InputError, match=r"x: line 2.kind: Field required"):
        parse_events(json.dumps(good) + "\n" + json.dumps(bad) + "\n", source="x")


def test_broken_json_names_line_and_column() -> None:
    """Malformed JSON is reported with its position."""
    with pytest.raises(InputError, match=r"x:1:\d+: invalid JSON"):
        parse_events('{"id": "a", "kind": }', source="x")


def test_every_example_event_is_valid() -> None:
    """The shipped examples follow the contract."""
    files = sorted(EXAMPLES.glob("*.json")) + sorted(NOTICES.glob("*.json"))
    assert len(files) >= 6
    for path in files:
        parse_events(path.read_text(), source=str(path))
