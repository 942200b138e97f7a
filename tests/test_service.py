"""`autoreply run` as a real process: SIGTERM closes the intake first and lets in-flight work
finish, a second SIGTERM exits at once, `autoreply reload` refuses a broken config and applies a
fixed one, and the JSON log carries no buyer data."""

from __future__ import annotations

import json
import re
import signal
import socket
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import ConfigDir, event_data
from tests.servicekit import AUTH, TOKEN, Service, sent_lines, service_config, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def service(cfgdir: ConfigDir) -> Iterator[Service]:
    service_config(cfgdir, drain=30)
    svc = Service(cfgdir)
    yield svc
    svc.close()


def events(prefix: str, n: int) -> list[dict[str, Any]]:
    return [
        event_data(id=f"{prefix}-{i:04d}", buyer={"id": f"{prefix}-b{i}", "locale": "es"})
        for i in range(n)
    ]


class SlowUpload:
    """A POST whose body has not finished arriving: an in-flight request."""

    def __init__(self, url: str, event: dict[str, Any]) -> None:
        parts = urlsplit(url)
        self.body = json.dumps(event).encode()
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=30)
        head = (
            f"POST /v1/events HTTP/1.1\r\nHost: {parts.netloc}\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(self.body)}\r\n\r\n"
        )
        self.sock.sendall(head.encode() + self.body[:10])

    def finish(self) -> str:
        self.sock.sendall(self.body[10:])
        chunks = []
        while chunk := self.sock.recv(65536):  # the server closes: it is shutting down
            chunks.append(chunk)
        self.sock.close()
        return b"".join(chunks).decode()


def refuses_connections(url: str) -> bool:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=1).close()
    except OSError:
        return True
    return False


def test_sigterm_stops_the_intake_first_finishes_in_flight_work_and_keeps_the_rest(
    service: Service, cfgdir: ConfigDir
) -> None:
    """After SIGTERM no new connection is accepted, an in-flight request still gets its 202, the
    daemon exits 0, and after a restart every accepted event has gone out exactly once."""
    service.start()
    url = service.url
    batch = events("term", 400)
    with service.client() as client:
        assert client.post("/v1/events", json=batch, headers=AUTH).status_code == 202
    slow = SlowUpload(url, event_data(id="term-inflight", buyer={"id": "slow", "locale": "es"}))
    time.sleep(0.3)
    service.send(signal.SIGTERM)
    wait_for(
        lambda: refuses_connections(url), what="the intake to stop listening", proc=service.proc
    )
    assert service.proc is not None and service.proc.poll() is None  # still draining
    answer = slow.finish()
    assert answer.startswith("HTTP/1.1 202"), answer
    assert '"accepted":["term-inflight"]' in answer
    assert service.proc.wait(60) == 0
    service.start()
    expected = sorted([e["id"] for e in batch] + ["term-inflight"])
    wait_for(lambda: len(sent_lines(cfgdir)) >= len(expected), what="every message", timeout=300)
    time.sleep(0.5)
    assert sorted(line["event_id"] for line in sent_lines(cfgdir)) == expected
    assert service.stop() == 0


def test_a_second_sigterm_stops_at_once(service: Service) -> None:
    """While a stop waits for an in-flight request, a second SIGTERM exits immediately."""
    service.start()
    slow = SlowUpload(service.url, event_data(id="never-finished"))
    time.sleep(0.3)
    service.send(signal.SIGTERM)
    wait_for(
        lambda: refuses_connections(service.url),
        what="the intake to stop listening",
        proc=service.proc,
    )
    assert (
        service.proc is not None and service.proc.poll() is None
    )  # waiting up to drain_seconds (30)
    service.send(signal.SIGTERM)
    assert service.proc.wait(10) == 1
    assert any(line.get("event") == "forced_exit" for line in service.log_lines())
    slow.sock.close()


def test_reload_refuses_a_broken_config_and_applies_a_fixed_one(
    service: Service, cfgdir: ConfigDir
) -> None:
    """`autoreply reload` prints file:line and exits 1 on a broken rules file while the old rules
    keep serving; after the fix it exits 0 and the new rules decide."""
    service.start()
    rules = cfgdir.rules_file.read_text()
    cfgdir.rules_file.write_text(rules.replace('template = "welcome"', 'template = "welcom"'))
    refused = service.cli("reload")
    assert refused.returncode == 1
    assert re.search(
        rf"error: {re.escape(str(cfgdir.rules_file))}:\d+: .*undefined template 'welcom'",
        refused.stderr,
    ), refused.stderr
    failed = [line for line in service.log_lines() if line.get("event") == "reload_failed"]
    assert failed and failed[-1]["file"] == str(cfgdir.rules_file) and failed[-1]["line"] > 0
    with service.client() as client:
        assert "autoreply_config_last_reload_success 0.0" in client.get("/metrics").text
        assert client.get("/healthz").status_code == 503
        client.post("/v1/events", json=events("old", 1), headers=AUTH)
        wait_for(
            lambda: [x for x in sent_lines(cfgdir) if x["event_id"] == "old-0000"], what="old rules"
        )
        cfgdir.rules_file.write_text(rules.replace('name = "welcome"', 'name = "welcome-fixed"'))
        applied = service.cli("reload")
        assert applied.returncode == 0, applied.stderr
        assert "reloaded" in applied.stdout
        assert "autoreply_config_last_reload_success 1.0" in client.get("/metrics").text
        client.post("/v1/events", json=events("new", 1), headers=AUTH)
        wait_for(
            lambda: [x for x in sent_lines(cfgdir) if x["event_id"] == "new-0000"], what="new rules"
        )
    rule_of = {line["event_id"]: line["rule"] for line in sent_lines(cfgdir)}
    assert rule_of == {"old-0000": "welcome", "new-0000": "welcome-fixed"}
    assert service.stop() == 0


def test_reload_without_a_daemon_says_so(cfgdir: ConfigDir) -> None:
    """`autoreply reload` with no daemon running exits 1 naming the card it looked for."""
    service_config(cfgdir)
    result = Service(cfgdir).cli("reload")
    assert result.returncode == 1
    assert "daemon.json: no running daemon found" in result.stderr


def test_the_log_is_json_lines_with_no_buyer_data(service: Service, cfgdir: ConfigDir) -> None:
    """Every log line is one JSON object with a snake_case event; the buyer's name, email, address
    and message text never appear at info level."""
    secrets = {
        "name": "Zelda Quuxington",
        "email": "zelda.quux@example.invalid",
        "city": "Frobnitz Falls",
        "postal_code": "Q9Z-77X",
        "text": "MY-PRIVATE-NOTE-48151623",
    }
    service.start()
    event = event_data(
        id="log-1",
        buyer={
            "id": "b-log",
            "name": secrets["name"],
            "email": secrets["email"],
            "city": secrets["city"],
            "postal_code": secrets["postal_code"],
            "country": "ES",
            "locale": "es",
        },
        message={"text": secrets["text"]},
    )
    with service.client() as client:
        assert client.post("/v1/events", json=event, headers=AUTH).status_code == 202
        bad = dict(event, id="log-2", buyer={**event["buyer"], "email": ["not", "a", "string"]})
        assert client.post("/v1/events", json=bad, headers=AUTH).status_code == 422
    wait_for(lambda: sent_lines(cfgdir), what="the message")
    assert secrets["name"] in sent_lines(cfgdir)[0]["body"]  # the message itself does carry it
    assert service.stop() == 0
    text = service.log.read_text()
    for value in secrets.values():
        assert value not in text
    names = set()
    for line in service.log_lines():
        assert line["event"] != "<not json>", line
        assert re.fullmatch(r"[a-z][a-z0-9_]*", line["event"]), line
        names.add(line["event"])
    assert {
        "ready",
        "events_accepted",
        "events_rejected",
        "event_decided",
        "message_attempted",
        "daemon_stopped",
    } <= names
