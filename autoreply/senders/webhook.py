"""The ``webhook`` sender: one signed JSON POST per message to the seller's own system.

Request headers (documented in docs/OUTBOX.md, stable for receivers):

``Content-Type: application/json``
``Idempotency-Key: <message_id>``          the same on every attempt: drop repeats by it
``X-Autoreply-Message-Id: <message_id>``
``X-Autoreply-Attempt: <n>``
``X-Autoreply-Timestamp: <unix seconds>``
``X-Autoreply-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>``

A receiver recomputes the HMAC over the timestamp, a dot and the raw body bytes with the
shared secret (``AUTOREPLY_WEBHOOK_SECRET``), compares in constant time, and rejects a
timestamp more than a few minutes old (replays). :func:`verify` does exactly that.

Answers: 2xx sent; 408, 429, 5xx and network errors retry (``Retry-After`` honoured); any
other 4xx is permanent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from autoreply import __version__
from autoreply.clock import Clock
from autoreply.senders import SendResult, classify_http, message_fields
from autoreply.settings import WebhookSenderSettings
from autoreply.store import Claimed

SIGNATURE_HEADER = "X-Autoreply-Signature"
TIMESTAMP_HEADER = "X-Autoreply-Timestamp"


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    return "v1=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(
    secret: bytes,
    headers: Mapping[str, str],
    body: bytes,
    now_unix: float,
    tolerance: float = 300.0,
) -> bool:
    """What a receiver does: check the signature and that the timestamp is recent."""
    timestamp = headers.get(TIMESTAMP_HEADER) or headers.get(TIMESTAMP_HEADER.lower()) or ""
    given = headers.get(SIGNATURE_HEADER) or headers.get(SIGNATURE_HEADER.lower()) or ""
    if not timestamp.isdigit() or abs(now_unix - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(given, sign(secret, timestamp, body))


def payload(m: Claimed) -> dict[str, Any]:
    return message_fields(m)


class WebhookSender:
    name = "webhook"

    def __init__(
        self,
        settings: WebhookSenderSettings,
        secret: str,
        clock: Clock,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.secret = secret.encode()
        self.clock = clock
        self.client = httpx.Client(
            timeout=httpx.Timeout(
                settings.timeout_seconds, connect=settings.connect_timeout_seconds
            ),
            headers={"User-Agent": f"autoreply/{__version__}", **settings.headers},
            transport=transport,
            follow_redirects=False,
        )

    def send_one(self, m: Claimed) -> SendResult:
        body = json.dumps(payload(m), ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = str(int(self.clock.now().timestamp()))
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": m.message_id,
            "X-Autoreply-Message-Id": m.message_id,
            "X-Autoreply-Attempt": str(m.attempts),
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(self.secret, timestamp, body),
        }
        try:
            response = self.client.post(self.settings.url, content=body, headers=headers)
        except httpx.TimeoutException as exc:
            return SendResult.retry(f"timeout: {type(exc).__name__}")
        except httpx.HTTPError as exc:
            return SendResult.retry(f"{type(exc).__name__}: {exc}")
        error = f"HTTP {response.status_code}: {response.text[:200]}".rstrip(": ")
        return classify_http(response.status_code, response.headers, self.clock.now(), error)

    def send_batch(self, messages: Sequence[Claimed]) -> list[SendResult]:
        results: list[SendResult] = []
        for index, m in enumerate(messages):
            result = self.send_one(m)
            results.append(result)
            if result.status_code == 429:  # do not hammer a receiver that said "slow down"
                results += [
                    SendResult.not_tried("not sent: the receiver answered 429", result.retry_after)
                    for _ in messages[index + 1 :]
                ]
                break
        return results

    def close(self) -> None:
        self.client.close()
