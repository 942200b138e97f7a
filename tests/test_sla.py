"""Response-time SLAs: the deadline rule, clocks in the real database, warnings to a real
webhook before the deadline, and the figures `autoreply status` shows."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from autoreply.clock import FixedClock
from autoreply.daemon import Daemon
from autoreply.events import parse_event
from autoreply.localtime import to_local
from autoreply.settings import Settings
from autoreply.sla import SlaTracker, conversation_key, deadline_for, list_clocks, summary
from autoreply.store import Store
from tests.conftest import ConfigDir, event_data

FRIDAY_2350_SHANGHAI = datetime(2026, 11, 27, 15, 50, tzinfo=UTC)  # Fri 23:50 +08:00


def _settings(**business: Any) -> Settings:
    return Settings(business_hours={"hours": "09:00-22:00", **business},
                    sla={"first_response": "2h", "hard_limit": "24h", "warn_before": "30m"})


@pytest.mark.parametrize(("days", "deadline", "by"), [
    ("mon-sun", "2026-11-28T11:00:00+08:00", "first_response"),   # Sat 09:00 + 2 business hours
    ("mon-fri", "2026-11-28T23:50:00+08:00", "hard_limit"),       # Mon 11:00 is past 24 h
])
def test_a_message_at_2350_on_friday_gets_the_documented_deadline(days: str, deadline: str, by: str) -> None:
    """Friday 23:50 seller time: 2 business hours from Saturday 09:00, or the 24 h hard limit."""
    due = deadline_for(FRIDAY_2350_SHANGHAI, _settings(days=days), "aliexpress")
    assert (to_local(due.deadline, "Asia/Shanghai").isoformat(), due.deadline_by) == (deadline, by)
    assert due.warn_at == due.deadline - timedelta(minutes=30)


def test_a_public_holiday_is_not_business_time() -> None:
    """With the CN calendar, a message on the eve of National Day waits for the holiday to end
    or hits the hard limit."""
    eve = datetime(2026, 9, 30, 13, 0, tzinfo=UTC)  # Wed 21:00 Shanghai; Oct 1-7 are holidays
    due = deadline_for(eve, _settings(holiday_calendar="CN"), "aliexpress")
    assert due.deadline_by == "hard_limit"
    assert to_local(due.business_due_at, "Asia/Shanghai").date().isoformat() >= "2026-10-04"  # type: ignore[arg-type]


def test_a_platform_override_counts_wall_time() -> None:
    """Amazon's 24 hours include weekends: with business_time = false the deadline is +24 h."""
    settings = Settings(sla={"platforms": {"amazon": {"first_response": "24h", "business_time": False}}})
    due = deadline_for(FRIDAY_2350_SHANGHAI, settings, "amazon")
    assert due.deadline == FRIDAY_2350_SHANGHAI + timedelta(hours=24)


def test_the_conversation_key() -> None:
    """conversation_id when given, else platform + buyer id."""
    with_id = parse_event(event_data(message={"text": "hi", "conversation_id": "c-9"}))
    without = parse_event(event_data(buyer={"id": "b-5"}))
    assert (conversation_key(with_id), conversation_key(without)) == ("aliexpress:c-9",
                                                                      "aliexpress:buyer:b-5")


# --------------------------------------------------------------------------- in the database
def _message(at: datetime, buyer: str = "b-1", **extra: Any) -> Any:
    iso = at.isoformat().replace("+00:00", "Z")
    return parse_event(event_data(occurred_at=iso, buyer={"id": buyer},
                                  message={"text": "hola", "received_at": iso}, **extra))


def _observe(store: Store, tracker: SlaTracker, event: Any, now: datetime) -> None:
    with store.begin() as conn:
        tracker.observe(conn, event, now)


def test_clocks_open_once_keep_the_first_deadline_and_stop_only_for_a_person(store: Store) -> None:
    """A conversation has one running clock; a second message keeps the first deadline; an
    auto-reply changes nothing; a conversation_answered event stops it within the SLA."""
    tracker = SlaTracker(lambda: _settings())
    t0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Mon 10:00 Shanghai
    first = _message(t0)
    _observe(store, tracker, first, t0)
    _observe(store, tracker, first, t0)  # the same event again: nothing new
    _observe(store, tracker, _message(t0 + timedelta(minutes=20)), t0 + timedelta(minutes=20))
    (clock,) = list_clocks(store, status=None, now=t0)
    assert (clock.status, clock.messages, clock.deadline) == ("open", 2, t0 + timedelta(hours=2))
    # our own welcome went out: not an answer (nothing observes outbox sends) — still open
    answered = parse_event(event_data(kind="conversation_answered", buyer={"id": "b-1"}, message=None,
                                      occurred_at="2026-11-23T03:00:00Z"))
    _observe(store, tracker, answered, t0 + timedelta(hours=1))
    (clock,) = list_clocks(store, status=None, now=t0)
    assert (clock.status, clock.answered_by) == ("answered", "event")
    _observe(store, tracker, _message(t0 + timedelta(hours=3)), t0 + timedelta(hours=3))
    assert [c.status for c in list_clocks(store, status=None, now=t0)] == ["answered", "open"]


class Hook:
    """A real local HTTP server that records the JSON posted to it (and can fail on demand)."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.fail_next = 0
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if hook.fail_next:
                    hook.fail_next -= 1
                    self.send_response(503)
                else:
                    hook.received.append({**json.loads(body),
                                          "_signature": self.headers.get("X-Autoreply-Signature")})
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sla"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook() -> Iterator[Hook]:
    h = Hook()
    yield h
    h.close()


def test_warnings_and_breaches_reach_the_webhook_once_with_retries(store: Store, hook: Hook) -> None:
    """Before the deadline a due_soon alert is POSTed (retried after a 503), at the deadline the
    conversation is breached and a breached alert follows; each is delivered once."""
    settings = _settings()
    settings.sla.webhook_url = hook.url
    tracker = SlaTracker(lambda: settings, webhook_secret=lambda: "s3cret")
    t0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    _observe(store, tracker, _message(t0), t0)
    assert tracker.sweep(store, t0 + timedelta(minutes=80)).alerts_created == 0
    hook.fail_next = 1
    first = tracker.sweep(store, t0 + timedelta(minutes=95))  # warn_at = deadline - 30m = +90m
    assert (first.alerts_created, first.alerts_sent, hook.received) == (1, 0, [])
    retry = tracker.sweep(store, t0 + timedelta(minutes=97))  # retry after 30 s back-off
    assert retry.alerts_sent == 1 and retry.alerts_created == 0
    (warning,) = hook.received
    assert warning["alert"] == "sla_due_soon" and warning["minutes_left"] > 0
    assert warning["deadline"] == "2026-11-23T04:00:00Z" and warning["_signature"].startswith("sha256=")
    assert "hola" not in json.dumps(warning)  # never the buyer's words
    late = tracker.sweep(store, t0 + timedelta(hours=2, minutes=1))
    assert (late.breached, late.alerts_sent) == (1, 1)
    assert tracker.sweep(store, t0 + timedelta(hours=3)).alerts_sent == 0
    assert [h["alert"] for h in hook.received] == ["sla_due_soon", "sla_breached"]
    figures = summary(store, t0 + timedelta(hours=3), settings)
    assert (figures["open"], figures["breached"], figures["answered_within_sla_pct_7d"]) == (0, 1, 0.0)


def test_the_daemon_reports_an_unanswered_conversation_before_its_deadline(
        cfgdir: ConfigDir, hook: Hook) -> None:
    """Embedded daemon: a buyer message opens a clock; the SLA job warns the webhook 30 min before
    the deadline; `sla answer` on another conversation counts it answered within the SLA."""
    cfgdir.copy_shipped()
    cfgdir.write_settings(f'\n[sla]\nwebhook_url = "{hook.url}"\ncheck_interval_seconds = 3600\n')
    clock = FixedClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))  # Mon 10:00 Shanghai
    daemon = Daemon(cfgdir.settings(), clock=clock)
    daemon.start()
    try:
        daemon.submit([_message(clock.now(), "b-1"), _message(clock.now(), "b-2")])
        daemon.process_inbox()
        assert daemon.store is not None
        daemon.sla.answer(daemon.store, "aliexpress:buyer:b-2", at=clock.now(), by="test",
                          now=clock.now())
        clock.advance(timedelta(minutes=91))
        daemon.sla_sweep()
        assert [(h["alert"], h["conversation"]) for h in hook.received] == [
            ("sla_due_soon", "aliexpress:buyer:b-1")]
        assert hook.received[0]["deadline"] == "2026-11-23T04:00:00Z"
        figures = summary(daemon.store, clock.now(), daemon.settings)
        assert (figures["open"], figures["due_soon"], figures["answered"]) == (1, 1, 1)
    finally:
        daemon.stop()


def test_status_and_sla_commands_show_the_figures(cfgdir: ConfigDir) -> None:
    """`status --json` carries the SLA figures; `sla deadline` prints the documented rule."""
    cfgdir.copy_shipped()
    base = [sys.executable, "-m", "autoreply", "--config", str(cfgdir.settings_file)]
    status = subprocess.run([*base, "status", "--json"], capture_output=True, text=True, timeout=60)
    assert status.returncode == 0, status.stderr
    assert set(json.loads(status.stdout)["sla"]) >= {"open", "due_soon", "breached",
                                                     "answered_within_sla_pct_7d"}
    due = subprocess.run([*base, "sla", "deadline", "--at", "2026-11-27T23:50:00+08:00", "--json"],
                         capture_output=True, text=True, timeout=60)
    out = json.loads(due.stdout)
    assert out["deadline"]["seller_local"] == "2026-11-28T11:00:00+08:00"
    missing = subprocess.run([*base, "sla", "answer", "aliexpress:buyer:nobody"], capture_output=True,
                             text=True, timeout=60)
    assert missing.returncode == 1 and "no open conversation" in missing.stderr
