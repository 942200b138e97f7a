"""The HTTP intake's shared secret: a bearer token, or an HMAC-SHA256 signature with a timestamp.

The secret is ``AUTOREPLY_INTAKE_TOKEN`` (environment, or a file of that name in the systemd
credentials directory). ``intake.auth`` picks what is accepted:

- ``bearer``: ``Authorization: Bearer <secret>``
- ``hmac``: ``X-Autoreply-Timestamp: <unix seconds>`` and
  ``X-Autoreply-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + raw body)>``;
  the timestamp must be within ``intake.hmac_max_skew_seconds`` of our clock, so a captured
  request cannot be replayed later (and a replay inside the window is harmless: event ids are
  idempotent)
- ``any`` (default): either one.

Comparisons are constant-time. The check is pure: the caller passes the time.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

TIMESTAMP_HEADER = "X-Autoreply-Timestamp"
SIGNATURE_HEADER = "X-Autoreply-Signature"


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The ``X-Autoreply-Signature`` value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str
    method: str | None = None


def bearer_ok(secret: str, authorization: str | None) -> bool:
    if not authorization:
        return False
    scheme, _, value = authorization.strip().partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        value.strip().encode("utf-8", "surrogateescape"), secret.encode("utf-8")
    )


def check(
    *,
    mode: str,
    secret: str | None,
    authorization: str | None,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now_unix: float,
    max_skew: int,
) -> Verdict:
    """Whether a request carries the shared secret in a form ``mode`` accepts."""
    if not secret:
        return Verdict(False, "no intake secret is configured (set AUTOREPLY_INTAKE_TOKEN)")
    if mode in ("any", "bearer") and bearer_ok(secret, authorization):
        return Verdict(True, "ok", "bearer")
    if mode in ("any", "hmac") and (timestamp or signature):
        if not (timestamp and signature):
            return Verdict(False, f"HMAC needs both {TIMESTAMP_HEADER} and {SIGNATURE_HEADER}")
        ts = timestamp.strip()
        if not ts.isdigit() or len(ts) > 12:
            return Verdict(False, f"{TIMESTAMP_HEADER} must be unix seconds")
        if abs(now_unix - int(ts)) > max_skew:
            return Verdict(
                False, f"{TIMESTAMP_HEADER} is more than {max_skew}s away from our clock"
            )
        expected = sign(secret, ts, body)
        if hmac.compare_digest(
            signature.strip().encode("utf-8", "surrogateescape"), expected.encode()
        ):
            return Verdict(True, "ok", "hmac")
        return Verdict(False, "bad signature")
    wanted = {
        "any": "a bearer token or an HMAC signature",
        "bearer": "a bearer token",
        "hmac": "an HMAC signature",
    }[mode]
    return Verdict(False, f"this endpoint needs {wanted}")
