"""Senders deliver messages and classify the result; the dispatcher owns retries.

A sender answers each message with a :class:`SendResult`: ``sent``, ``retry`` (try again
later, optionally not before ``retry_after`` seconds) or ``failed`` (permanent: never retry),
each with the status code the far side gave (HTTP-like: 200, 403, 500, …).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from autoreply.store import Claimed

SendOutcome = Literal["sent", "retry", "failed"]


@dataclass(frozen=True)
class SendResult:
    outcome: SendOutcome
    status_code: int | None = None
    error: str | None = None
    retry_after: float | None = None

    @classmethod
    def sent(cls, status_code: int = 200) -> SendResult:
        return cls("sent", status_code)

    @classmethod
    def retry(cls, error: str, status_code: int | None = None, retry_after: float | None = None) -> SendResult:
        return cls("retry", status_code, error, retry_after)

    @classmethod
    def failed(cls, error: str, status_code: int | None = None) -> SendResult:
        return cls("failed", status_code, error)


class Sender(Protocol):
    name: str

    def send_batch(self, messages: Sequence[Claimed]) -> list[SendResult]:
        """Deliver each message; one result per message, in order. Must not raise."""
        ...

    def close(self) -> None: ...
