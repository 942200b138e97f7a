"""The HTTP intake, served by uvicorn on a real port inside an embedded daemon: the shared
secret, 202-after-persist, 422 with field paths, duplicates, size limits, health, metrics,
Amazon notifications, reloads, and buyer text that stays data all the way to the outbox."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from autoreply.clock import SystemClock
from autoreply.daemon import Daemon
from autoreply.httpauth import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from autoreply.sources.amazon import example_payloads
from autoreply.store import Store
from tests.conftest import ConfigDir, event_data
from tests.servicekit import AUTH, TOKEN, embedded, service_config, wait_for
from tests.test_render import SSTI_PAYLOADS

Running = tuple[Daemon, httpx.Client]


@pytest.fixture
def running(cfgdir: ConfigDir, monkeypatch: pytest.MonkeyPatch) -> Iterator[Running]:
    monkeypatch.setenv("AUTOREPLY_INTAKE_TOKEN", TOKEN)
    service_config(cfgdir)
    with embedded(cfgdir) as pair:
        yield pair


@pytest.fixture
def limited(cfgdir: ConfigDir, monkeypatch: pytest.MonkeyPatch) -> Iterator[Running]:
    monkeypatch.setenv("AUTOREPLY_INTAKE_TOKEN", TOKEN)
    monkeypatch.setenv("AUTOREPLY_INTAKE__MAX_BODY_BYTES", "4096")
    monkeypatch.setenv("AUTOREPLY_INTAKE__MAX_EVENTS", "3")
    service_config(cfgdir)
    with embedded(cfgdir) as pair:
        yield pair


def inbox_ids(daemon: Daemon) -> list[str]:
    from autoreply.store import inbox

    assert daemon.store is not None
    with daemon.store.engine.connect() as conn:
        return sorted(
            r[0] for r in conn.execute(inbox.select().with_only_columns(inbox.c.event_id))
        )


def messages(daemon: Daemon) -> list[Any]:
    assert daemon.store is not None
    return daemon.store.list_messages(limit=1000)


def hmac_headers(body: bytes, *, skew: int = 0, secret: str = TOKEN) -> dict[str, str]:
    ts = str(int(SystemClock().now().timestamp()) + skew)
    return {
        TIMESTAMP_HEADER: ts,
        SIGNATURE_HEADER: sign(secret, ts, body),
        "content-type": "application/json",
    }


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": f"Basic {TOKEN}"},
        "hmac-wrong-secret",
        "hmac-stale",
        {TIMESTAMP_HEADER: "1"},
    ],
    ids=["none", "wrong-bearer", "basic", "hmac-wrong-secret", "hmac-stale", "timestamp-only"],
)
def test_without_the_shared_secret_nothing_is_accepted(running: Running, headers: Any) -> None:
    """Missing, wrong, stale or half-present credentials get 401 and nothing is stored."""
    daemon, client = running
    body = json.dumps(event_data(id="evt-unauth")).encode()
    if headers == "hmac-wrong-secret":
        headers = hmac_headers(body, secret="not-the-secret")
    elif headers == "hmac-stale":
        headers = hmac_headers(body, skew=-3600)
    response = client.post("/v1/events", content=body, headers=headers)
    assert response.status_code == 401, response.text
    assert response.json()["error"] == "unauthorized"
    assert (
        client.post("/v1/amazon/notifications", content=b"{}", headers=headers).status_code == 401
    )
    assert inbox_ids(daemon) == []


def test_a_bearer_token_or_an_hmac_signature_is_accepted(running: Running) -> None:
    """Both documented ways to present the secret work."""
    daemon, client = running
    assert (
        client.post("/v1/events", json=event_data(id="evt-bearer"), headers=AUTH).status_code == 202
    )
    body = json.dumps(event_data(id="evt-hmac")).encode()
    response = client.post("/v1/events", content=body, headers=hmac_headers(body))
    assert response.status_code == 202, response.text
    assert inbox_ids(daemon) == ["evt-bearer", "evt-hmac"]


def test_202_is_answered_only_once_the_events_are_persisted(running: Running) -> None:
    """The ids a 202 lists are already in the inbox when the answer arrives (another connection sees
    them)."""
    daemon, client = running
    batch = [event_data(id=f"evt-p{i}", buyer={"id": f"b{i}", "locale": "es"}) for i in range(20)]
    response = client.post("/v1/events", json=batch, headers=AUTH)
    assert response.status_code == 202
    assert response.json() == {
        "accepted": [e["id"] for e in batch],
        "new": [e["id"] for e in batch],
        "duplicates": [],
    }
    other = Store(daemon.settings.database_url)
    try:
        counts = other.inbox_counts()  # one read: the worker may move rows from new to done meanwhile
        assert sum(counts.values()) == 20
    finally:
        other.close()


def test_bad_events_get_422_naming_each_field_and_none_is_stored(running: Running) -> None:
    """One bad event in a batch refuses the whole batch; every problem names its field path."""
    daemon, client = running
    good = event_data(id="evt-good")
    bad = event_data(
        id="evt-bad", occurred_at="2026-11-22T11:59:00", buyer={"id": "b", "colour": "red"}
    )
    response = client.post("/v1/events", json=[good, bad], headers=AUTH)
    assert response.status_code == 422
    paths = {p["path"] for p in response.json()["problems"]}
    assert paths == {"[1].occurred_at", "[1].buyer.colour"}
    out_of_range = json.dumps(event_data(id="evt-old", occurred_at="0001-01-01T00:30:00+01:00"))
    for body, path in [(b'{"id": "x",', None), (b"[]", None), (b'{"id": "\\u0000"}', "id"),
                       (out_of_range.encode(), "occurred_at")]:
        answer = client.post("/v1/events", content=body, headers=AUTH)
        assert answer.status_code == 422, body
        if path:
            assert path in {p.get("path") for p in answer.json()["problems"]}
    assert inbox_ids(daemon) == []


def test_a_repeated_id_is_accepted_and_processed_once(running: Running) -> None:
    """Posting the same id again (or twice in one batch) answers 202, reports it, and yields one
    message."""
    daemon, client = running
    event = event_data(id="evt-dup", buyer={"id": "b-dup", "locale": "es"})
    first = client.post("/v1/events", json=[event, event], headers=AUTH).json()
    assert first == {"accepted": ["evt-dup"], "new": ["evt-dup"], "duplicates": []}
    second = client.post("/v1/events", json=event, headers=AUTH)
    assert second.status_code == 202
    assert second.json() == {"accepted": ["evt-dup"], "new": [], "duplicates": ["evt-dup"]}
    wait_for(lambda: messages(daemon), what="the message")
    assert [m.event_id for m in messages(daemon)] == ["evt-dup"]


def test_bodies_and_batches_over_the_limits_get_413(limited: Running) -> None:
    """A body over max_body_bytes (declared or streamed) or more events than max_events is refused
    whole."""
    daemon, client = limited
    big = json.dumps([event_data(id=f"evt-big{i}") for i in range(30)]).encode()
    assert len(big) > 4096
    assert client.post("/v1/events", content=big, headers=AUTH).status_code == 413

    def chunks() -> Iterator[bytes]:
        yield from (big[i : i + 1000] for i in range(0, len(big), 1000))

    assert client.post("/v1/events", content=chunks(), headers=AUTH).status_code == 413
    four = [event_data(id=f"evt-four{i}", message=None, order=None) for i in range(4)]
    response = client.post("/v1/events", json=four, headers=AUTH)
    assert response.status_code == 413 and "limit is 3" in response.json()["error"]
    assert inbox_ids(daemon) == []


def test_health_reports_ready_and_a_failed_reload(running: Running, cfgdir: ConfigDir) -> None:
    """GET /healthz is 200 when store, scheduler and config are fine, 503 naming the check that is
    not."""
    daemon, client = running
    ok = client.get("/healthz")
    assert ok.status_code == 200
    assert ok.json() == {
        "status": "ok",
        "checks": {"store": "ok", "scheduler": "ok", "config": "ok"},
    }
    rules = cfgdir.rules_file.read_text()
    cfgdir.rules_file.write_text(rules.replace('template = "welcome"', 'template = "welcom"'))
    assert daemon.reload() is False
    bad = client.get("/healthz")
    assert bad.status_code == 503 and bad.json()["checks"]["config"].startswith(
        "last reload failed"
    )
    cfgdir.rules_file.write_text(rules)
    assert daemon.reload() is True
    assert client.get("/healthz").status_code == 200


def test_a_broken_rules_file_keeps_the_old_rules_serving_until_it_is_fixed(
    running: Running, cfgdir: ConfigDir
) -> None:
    """A reload with an invalid rules file is refused (metric 0); a fixed file then takes effect."""
    daemon, client = running
    rules = cfgdir.rules_file.read_text()
    cfgdir.rules_file.write_text(
        rules + '\n[[rules]]\nname = "broken"\ntemplate = "nope"\n[rules.match]\nkind = "x"\n'
    )
    assert daemon.reload() is False
    assert "autoreply_config_last_reload_success 0.0" in client.get("/metrics").text
    assert (
        client.post(
            "/v1/events",
            json=event_data(id="evt-old", buyer={"id": "b1", "locale": "es"}),
            headers=AUTH,
        ).status_code
        == 202
    )
    wait_for(
        lambda: any(m.event_id == "evt-old" for m in messages(daemon)), what="old rules at work"
    )
    cfgdir.rules_file.write_text(rules.replace('name = "welcome"', 'name = "welcome-v2"'))
    assert daemon.reload() is True
    assert "autoreply_config_last_reload_success 1.0" in client.get("/metrics").text
    assert (
        client.post(
            "/v1/events",
            json=event_data(id="evt-new", buyer={"id": "b2", "locale": "es"}),
            headers=AUTH,
        ).status_code
        == 202
    )
    wait_for(
        lambda: any(m.event_id == "evt-new" for m in messages(daemon)), what="new rules at work"
    )
    rule_of = {m.event_id: m.rule for m in messages(daemon)}
    assert rule_of == {"evt-old": "welcome", "evt-new": "welcome-v2"}


def test_metrics_count_events_and_messages_by_state(running: Running) -> None:
    """GET /metrics is Prometheus text with events in, messages by state (fresh) and sends by status
    code."""
    daemon, client = running
    client.post(
        "/v1/events",
        json=[event_data(id=f"evt-m{i}", buyer={"id": f"m{i}", "locale": "es"}) for i in range(3)],
        headers=AUTH,
    )
    wait_for(lambda: len([m for m in messages(daemon) if m.status == "sent"]) == 3, what="3 sent")
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'autoreply_messages{state="sent"} 3.0' in text
    assert 'autoreply_messages{state="scheduled"} 0.0' in text
    assert 'autoreply_sends_total{channel="log",outcome="sent",status_code="200"}' in text
    assert 'autoreply_events_received_total{source="http"}' in text
    assert 'autoreply_inbox_events{status="done"} 3.0' in text
    for family in (
        "autoreply_send_seconds_bucket",
        "autoreply_config_reloads_total",
        "autoreply_sla_breaches_total",
        "autoreply_http_requests_total",
    ):
        assert family in text


def test_amazon_notifications_become_events_once(running: Running) -> None:
    """An official ORDER_CHANGE example is accepted as its event; redelivered, it is a duplicate."""
    daemon, client = running
    (example,) = example_payloads()["ORDER_CHANGE"]
    first = client.post("/v1/amazon/notifications", json=example, headers=AUTH)
    assert first.status_code == 202, first.text
    assert first.json()["notifications"] == [
        {
            "notification_id": "d0e9e693-c3ad-4373-979f-ed4ec98dd746",
            "notification_type": "ORDER_CHANGE",
            "events": ["amazon-d0e9e693-c3ad-4373-979f-ed4ec98dd746"],
        }
    ]
    again = client.post("/v1/amazon/notifications", json=[example], headers=AUTH).json()
    assert (
        again["duplicates"] == ["amazon-d0e9e693-c3ad-4373-979f-ed4ec98dd746"]
        and again["new"] == []
    )
    broken = copy.deepcopy(example)
    broken["Payload"]["OrderChangeNotification"]["Summary"]["OrderStatus"] = "Lost"
    refused = client.post("/v1/amazon/notifications", json=[example, broken], headers=AUTH)
    assert refused.status_code == 422
    assert (
        refused.json()["problems"][0]["path"]
        == "[1].Payload.OrderChangeNotification.Summary.OrderStatus"
    )
    assert inbox_ids(daemon) == ["amazon-d0e9e693-c3ad-4373-979f-ed4ec98dd746"]


@pytest.mark.parametrize("payload", SSTI_PAYLOADS)
def test_a_template_injection_in_buyer_fields_arrives_verbatim(
    cfgdir: ConfigDir, monkeypatch: pytest.MonkeyPatch, payload: str
) -> None:
    """Posted over HTTP, a buyer name and message carrying a Jinja payload appear verbatim in the
    stored message."""
    monkeypatch.setenv("AUTOREPLY_INTAKE_TOKEN", TOKEN)
    service_config(cfgdir)
    cfgdir.write_template(
        "welcome",
        "en",
        "Hi {{ buyer.name }}",
        "Hello {{ buyer.name }}, you wrote: {{ message.text }}",
    )
    with embedded(cfgdir) as (daemon, client):
        event = event_data(
            id="evt-ssti",
            buyer={"id": "b-ssti", "name": payload[:200], "locale": "en"},
            message={"text": payload},
        )
        assert client.post("/v1/events", json=event, headers=AUTH).status_code == 202
        (message,) = wait_for(lambda: messages(daemon), what="the rendered message")
        assert message.subject == f"Hi {payload[:200]}"
        assert message.body == f"Hello {payload[:200]}, you wrote: {payload}"


def test_openapi_describes_the_contract(running: Running) -> None:
    """GET /openapi.json lists the paths, the event schema and both ways to authenticate."""
    _, client = running
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {"/v1/events", "/v1/amazon/notifications", "/healthz", "/metrics"}
    assert "Event" in spec["components"]["schemas"]
    assert set(spec["components"]["securitySchemes"]) == {"HTTPBearer", "APIKeyHeader"}
    assert spec["paths"]["/v1/events"]["post"]["responses"].keys() >= {"202", "401", "413", "422"}


def test_a_taken_port_is_a_config_error_and_nothing_keeps_running(
    cfgdir: ConfigDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If intake.port is taken, start() fails naming intake.port and leaves no scheduler running."""
    import socket

    from autoreply.errors import ConfigError

    holder = socket.create_server(("127.0.0.1", 0))
    try:
        monkeypatch.setenv("AUTOREPLY_INTAKE__PORT", str(holder.getsockname()[1]))
        service_config(cfgdir)
        daemon = Daemon(cfgdir.settings())
        with pytest.raises(ConfigError, match=r"intake.port: cannot listen on 127.0.0.1:\d+"):
            daemon.start()
        assert daemon.scheduler is not None and not daemon.scheduler.running
    finally:
        holder.close()
