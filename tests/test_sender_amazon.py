"""The amazon sender against a local fake of SP-API Messaging and LWA (tests/fake_spapi.py)
that checks every request against the official model: eligibility first, message types,
text limits, token refresh, and the model's 201 / 403 / 429 / 503 answers."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from autoreply.clock import FixedClock
from autoreply.dispatch import Dispatcher
from autoreply.ratelimit import RateLimits
from autoreply.senders.amazon import AmazonSender
from autoreply.settings import AmazonSenderSettings, DispatchSettings, SenderSettings
from autoreply.store import Store
from tests.conftest import NOW
from tests.fake_spapi import FakeSpApi, Scripted
from tests.test_store import message

ORDER = "123-1234567-1234567"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def fake(clock: FixedClock) -> Iterator[FakeSpApi]:
    api = FakeSpApi(now=lambda: clock.now().timestamp()).start()
    api.orders[ORDER] = ["unexpectedProblem", "confirmDeliveryDetails", "digitalAccessKey"]
    yield api
    api.stop()
    assert api.rejections == [], "a request did not match the SP-API model"


def settings(fake: FakeSpApi, **extra: object) -> AmazonSenderSettings:
    return AmazonSenderSettings(
        client_id=fake.client_id,
        endpoint=fake.url,
        token_url=fake.token_url,
        timeout_seconds=5,
        **extra,
    )  # type: ignore[arg-type]


def amazon(fake: FakeSpApi, clock: FixedClock, **extra: object) -> AmazonSender:
    return AmazonSender(settings(fake, **extra), fake.client_secret, fake.refresh_token, clock)


def dispatcher(
    store: Store, sender: AmazonSender, clock: FixedClock, limits: RateLimits | None = None
) -> Dispatcher:
    return Dispatcher(
        store,
        {"amazon": sender},
        clock,
        DispatchSettings(retry_base_seconds=10),
        "w",
        rng=random.Random(3),
        limits=limits,
    )


def queue(store: Store, key: str = "e1:r", **fields: object) -> None:
    values = {
        "platform": "amazon",
        "marketplace": "US",
        "order_id": ORDER,
        "kind": "out_of_stock",
        "message_type": "unexpectedProblem",
        "channel": "amazon",
        **fields,
    }
    with store.begin() as conn:
        store.insert_messages(conn, [message(key, **values)], NOW)


def test_a_message_goes_out_after_the_eligibility_check(
    store: Store, fake: FakeSpApi, clock: FixedClock
) -> None:
    """The sender asks getMessagingActionsForOrder, then POSTs the text to the type's path: 201 is sent."""
    queue(store)
    dispatcher(store, amazon(fake, clock), clock).drain()
    row = store.get_message("e1:r")
    assert row is not None and row.status == "sent" and row.last_status_code == 201
    assert [(r["method"], r["path"]) for r in fake.requests] == [
        ("GET", f"/messaging/v1/orders/{ORDER}"),
        ("POST", f"/messaging/v1/orders/{ORDER}/messages/unexpectedProblem"),
    ]
    assert fake.requests[1]["query"] == {"marketplaceIds": ["ATVPDKIKX0DER"]}
    assert fake.requests[1]["body"] == b'{"text":"hola"}'
    assert fake.token_requests == 1


def test_503_three_times_then_201_gets_through(
    store: Store, fake: FakeSpApi, clock: FixedClock
) -> None:
    """Three 503s are retried; the fourth POST succeeds; all four attempts are recorded."""
    fake.script[(ORDER, "unexpectedProblem")] = [Scripted(503)] * 3
    queue(store)
    d = dispatcher(store, amazon(fake, clock), clock)
    for _ in range(4):
        d.drain()
        row = store.get_message("e1:r")
        assert row is not None
        clock.set(max(clock.now(), row.next_attempt_at))
    assert row.status == "sent"
    assert [(a.outcome, a.status_code) for a in store.attempts_of(row.id)] == [
        ("retry", 503),
        ("retry", 503),
        ("retry", 503),
        ("sent", 201),
    ]
    assert "ServiceUnavailable" in (store.attempts_of(row.id)[0].error or "")


def test_a_403_gets_one_attempt_and_fails(store: Store, fake: FakeSpApi, clock: FixedClock) -> None:
    """Amazon's 403 is permanent: one attempt, 'failed', never tried again."""
    fake.script[(ORDER, "unexpectedProblem")] = [Scripted(403)]
    queue(store)
    d = dispatcher(store, amazon(fake, clock), clock)
    d.drain()
    clock.advance(timedelta(days=2))
    d.drain()
    row = store.get_message("e1:r")
    assert row is not None and row.status == "failed" and row.last_status_code == 403
    assert len(store.attempts_of(row.id)) == 1 and len(fake.posts()) == 1


def test_a_type_the_order_does_not_offer_is_never_posted(
    store: Store, fake: FakeSpApi, clock: FixedClock
) -> None:
    """If getMessagingActionsForOrder does not offer the type, the message fails without a POST."""
    fake.orders[ORDER] = ["confirmDeliveryDetails"]
    queue(store)
    dispatcher(store, amazon(fake, clock), clock).drain()
    row = store.get_message("e1:r")
    assert row is not None and row.status == "failed" and row.last_status_code == 403
    assert "does not offer unexpectedProblem" in (row.last_error or "") and fake.posts() == []


def test_429_with_retry_after_waits_at_least_that_long(
    store: Store, fake: FakeSpApi, clock: FixedClock
) -> None:
    """A 429 carrying Retry-After is not tried again before it; the bucket pauses too."""
    fake.script[(ORDER, "unexpectedProblem")] = [Scripted(429, {"Retry-After": "30"})]
    queue(store)
    limits = RateLimits.from_settings(SenderSettings(amazon=settings(fake)), clock)
    d = dispatcher(store, amazon(fake, clock), clock, limits)
    d.drain()
    row = store.get_message("e1:r")
    assert row is not None and row.status == "scheduled" and row.last_status_code == 429
    assert row.next_attempt_at >= NOW + timedelta(seconds=30)
    clock.set(NOW + timedelta(seconds=29))
    d.drain()
    assert len(fake.posts()) == 1
    clock.set(row.next_attempt_at)
    d.drain()
    assert store.get_message("e1:r").status == "sent"  # type: ignore[union-attr]


def test_429_without_retry_after_waits_for_the_rate_limit(
    store: Store, fake: FakeSpApi, clock: FixedClock
) -> None:
    """Amazon's own 429 (no Retry-After) is retried later, never at once."""
    fake.script[(ORDER, "unexpectedProblem")] = [Scripted(429)]
    queue(store)
    dispatcher(store, amazon(fake, clock), clock).drain()
    row = store.get_message("e1:r")
    assert row is not None and row.status == "scheduled" and row.next_attempt_at > NOW


@pytest.mark.parametrize(
    ("kind", "limit"),
    [("unexpectedProblem", 2000), ("confirmDeliveryDetails", 2000), ("digitalAccessKey", 400)],
)
def test_text_limits_per_message_type(
    store: Store, fake: FakeSpApi, clock: FixedClock, kind: str, limit: int
) -> None:
    """A text at the type's limit goes out; one character more fails before any request is made."""
    queue(store, "fits:r", message_type=kind, body="x" * limit)
    queue(store, "long:r", message_type=kind, body="x" * (limit + 1))
    dispatcher(store, amazon(fake, clock), clock).drain()
    fits, long = store.get_message("fits:r"), store.get_message("long:r")
    assert fits is not None and fits.status == "sent"
    assert long is not None and long.status == "failed"
    assert long.last_error == f"text is {limit + 1} characters; Amazon {kind} allows {limit}"
    assert len(fake.posts()) == 1


def test_the_kind_picks_the_type_when_the_rule_names_none(
    store: Store, fake: FakeSpApi, clock: FixedClock
) -> None:
    """Out of stock maps to unexpectedProblem; a welcome has no Amazon type and fails with advice."""
    queue(store, "oos:r", message_type=None, kind="out_of_stock")
    queue(store, "hi:r", message_type=None, kind="welcome")
    dispatcher(store, amazon(fake, clock), clock).drain()
    assert store.get_message("oos:r").status == "sent"  # type: ignore[union-attr]
    hi = store.get_message("hi:r")
    assert hi is not None and hi.status == "failed" and "smtp" in (hi.last_error or "")
    assert [p["path"].rsplit("/", 1)[1] for p in fake.posts()] == ["unexpectedProblem"]


def test_the_access_token_is_refreshed_before_it_expires(
    store: Store, fake: FakeSpApi, clock: FixedClock
) -> None:
    """One LWA call serves many sends; after its lifetime a new token is fetched (no 403 from the fake)."""
    sender = amazon(fake, clock)
    d = dispatcher(store, sender, clock)
    queue(store, "a:r")
    d.drain()
    clock.advance(timedelta(minutes=30))
    queue(store, "b:r")
    d.drain()
    assert fake.token_requests == 1
    clock.advance(timedelta(minutes=31))
    queue(store, "c:r")
    d.drain()
    assert fake.token_requests == 2
    assert {store.get_message(k).status for k in ("a:r", "b:r", "c:r")} == {"sent"}  # type: ignore[union-attr]


def test_a_bad_client_secret_keeps_the_message_queued(
    store: Store, fake: FakeSpApi, clock: FixedClock
) -> None:
    """LWA refusing our credentials is a setting to fix, not a reason to drop messages: retry."""
    sender = AmazonSender(settings(fake), "wrong-secret", fake.refresh_token, clock)
    queue(store)
    dispatcher(store, sender, clock).drain()
    row = store.get_message("e1:r")
    assert (
        row is not None and row.status == "scheduled" and "invalid_client" in (row.last_error or "")
    )
    assert fake.requests == []


def test_the_token_bucket_spaces_calls_at_the_amazon_rate(
    store: Store, fake: FakeSpApi, clock: FixedClock
) -> None:
    """With rate 1/s and burst 5, eight due messages go out 5 at once, then one per second; waiting uses no attempt."""
    for i in range(8):
        queue(store, f"e{i}:r")
    limits = RateLimits.from_settings(SenderSettings(amazon=settings(fake)), clock)
    d = dispatcher(store, amazon(fake, clock), clock, limits)
    d.drain()
    assert store.counts() == {"sent": 5, "scheduled": 3}
    waiting = [r for r in store.list_messages(status="scheduled")]
    assert all(r.attempts == 0 for r in waiting)
    clock.advance(timedelta(seconds=1))
    d.drain()
    assert store.counts() == {"sent": 6, "scheduled": 2}
    clock.advance(timedelta(seconds=2))
    d.drain()
    assert store.counts() == {"sent": 8}


@pytest.mark.parametrize(
    ("method", "path", "params", "headers", "body", "status"),
    [
        (
            "POST",
            f"/messaging/v1/orders/{ORDER}/messages/unexpectedProblem",
            {},
            {"ctype": "json"},
            {"text": "hi"},
            400,
        ),  # no marketplaceIds
        (
            "POST",
            f"/messaging/v1/orders/{ORDER}/messages/unexpectedProblem",
            {"marketplaceIds": "ATVPDKIKX0DER,A1PA6795UKMFR9"},
            {"ctype": "json"},
            {"text": "hi"},
            400,
        ),  # two ids
        (
            "POST",
            f"/messaging/v1/orders/{ORDER}/messages/unexpectedProblem",
            {"marketplaceIds": "ATVPDKIKX0DER"},
            {"ctype": "json"},
            {"text": "x" * 2001},
            400,
        ),  # over maxLength
        (
            "POST",
            f"/messaging/v1/orders/{ORDER}/messages/unexpectedProblem",
            {"marketplaceIds": "ATVPDKIKX0DER"},
            {"ctype": "json"},
            {"text": ""},
            400,
        ),  # under minLength
        (
            "POST",
            f"/messaging/v1/orders/{ORDER}/messages/unexpectedProblem",
            {"marketplaceIds": "ATVPDKIKX0DER"},
            {"ctype": "json"},
            {"text": "hi", "subject": "x"},
            400,
        ),  # unknown property
        (
            "POST",
            f"/messaging/v1/orders/{ORDER}/messages/unexpectedProblem",
            {"marketplaceIds": "ATVPDKIKX0DER"},
            {"ctype": "text"},
            {"text": "hi"},
            415,
        ),  # not JSON
        (
            "POST",
            f"/messaging/v1/orders/{ORDER}/messages/unexpectedProblem",
            {"marketplaceIds": "ATVPDKIKX0DER"},
            {"ctype": "json", "no_token": True},
            {"text": "hi"},
            403,
        ),  # no access token
        (
            "POST",
            f"/messaging/v1/orders/{ORDER}/messages/bogusType",
            {"marketplaceIds": "ATVPDKIKX0DER"},
            {"ctype": "json"},
            {"text": "hi"},
            400,
        ),  # not an operation
        (
            "GET",
            f"/messaging/v1/orders/{ORDER}",
            {"marketplaceIds": "ATVPDKIKX0DER", "foo": "1"},
            {},
            None,
            400,
        ),
    ],
)
def test_the_fake_rejects_requests_that_do_not_match_the_model(
    fake: FakeSpApi,
    method: str,
    path: str,
    params: dict[str, str],
    headers: dict[str, object],
    body: object,
    status: int,
) -> None:
    """Malformed requests get the model's error shape, so a sender bug cannot pass the suite."""
    token = httpx.post(
        fake.token_url,
        data={
            "grant_type": "refresh_token",
            "refresh_token": fake.refresh_token,
            "client_id": fake.client_id,
            "client_secret": fake.client_secret,
        },
    ).json()
    sent_headers = {} if headers.get("no_token") else {"x-amz-access-token": token["access_token"]}
    if headers.get("ctype") == "json":
        sent_headers["Content-Type"] = "application/json"
    elif headers.get("ctype") == "text":
        sent_headers["Content-Type"] = "text/plain"
    import json as _json

    response = httpx.request(
        method,
        fake.url + path,
        params=params,
        headers=sent_headers,
        content=_json.dumps(body).encode() if body is not None else None,
    )
    assert response.status_code == status
    assert response.json()["errors"][0]["code"]
    assert len(fake.rejections) == 1
    fake.rejections.clear()  # expected here; the fixture asserts none elsewhere
