"""Senders deliver messages and classify the result; the dispatcher owns retries.

A sender answers each message with a :class:`SendResult`: ``sent``, ``retry`` (try again
later, optionally not before ``retry_after`` seconds) or ``failed`` (permanent: never retry),
each with the status code the far side gave (HTTP-like: 200, 403, 500, …; SMTP reply codes
for ``smtp``). A result made with :meth:`SendResult.not_tried` means the sender did not
contact anyone for that message (e.g. it stopped after a 429): the dispatcher hands it back
to the queue without counting an attempt.

Every sender passes our ``message_id`` to the far side as its idempotency key (webhook
``Idempotency-Key`` header, SMTP ``Message-ID``), so a receiver can drop the repeat that
at-least-once delivery allows after a crash (docs/OUTBOX.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal, Protocol

from autoreply.store import Claimed

SendOutcome = Literal["sent", "retry", "failed"]


@dataclass(frozen=True)
class SendResult:
    outcome: SendOutcome
    status_code: int | None = None
    error: str | None = None
    retry_after: float | None = None
    tried: bool = True

    @classmethod
    def sent(cls, status_code: int = 200) -> SendResult:
        return cls("sent", status_code)

    @classmethod
    def retry(cls, error: str, status_code: int | None = None,
              retry_after: float | None = None) -> SendResult:
        return cls("retry", status_code, error, retry_after)

    @classmethod
    def failed(cls, error: str, status_code: int | None = None) -> SendResult:
        return cls("failed", status_code, error)

    @classmethod
    def not_tried(cls, why: str, retry_after: float | None = None) -> SendResult:
        return cls("retry", None, why, retry_after, tried=False)


class Sender(Protocol):
    name: str

    def send_batch(self, messages: Sequence[Claimed]) -> list[SendResult]:
        """Deliver each message; one result per message, in order. Must not raise."""
        ...

    def close(self) -> None: ...


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """``Retry-After`` as seconds to wait: delta-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max((when - now).total_seconds(), 0.0)


def classify_http(status: int, headers: Mapping[str, str], now: datetime, error: str) -> SendResult:
    """The house rule for HTTP answers: 2xx sent; 408, 429 and 5xx retry (``Retry-After``
    honoured); any other status is permanent — a 403 "not eligible" is never retried."""
    if 200 <= status < 300:
        return SendResult.sent(status)
    if status in (408, 429) or 500 <= status < 600:
        return SendResult.retry(error, status, parse_retry_after(headers.get("retry-after"), now))
    return SendResult.failed(error, status)


def message_fields(m: Claimed, *, message_type: bool = True) -> dict[str, Any]:
    """What a sender hands on about a claimed message (the webhook's JSON body, the log
    sender's line), in one order; the log line leaves out the SP-API message type."""
    fields: dict[str, Any] = {
        "message_id": m.message_id,
        "idempotency_key": m.idempotency_key,
        "event_id": m.event_id,
        "rule": m.rule,
        "kind": m.kind,
    }
    if message_type:
        fields["message_type"] = m.message_type
    fields.update({
        "platform": m.platform,
        "marketplace": m.marketplace,
        "order_id": m.order_id,
        "buyer_id": m.buyer_id,
        "recipient": m.recipient,
        "language": m.language,
        "send_at": m.send_at.isoformat().replace("+00:00", "Z"),
        "attempt": m.attempts,
        "subject": m.subject,
        "body": m.body,
    })
    return fields
