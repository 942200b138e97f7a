"""The ``amazon`` sender: Selling Partner API Messaging (``messaging.json`` in
shared/reference/amazon-sp-api).

For each message:

1. the Amazon message type is the rule's ``message_type``, else ``senders.amazon.message_types``
   by event kind, else the built-in default for the kind (out of stock and logistics
   trouble → ``unexpectedProblem``). Only the types that carry text are supported;
2. the text must fit the type's limit (2000 characters; 800 for
   ``confirmCustomizationDetails``, 400 for ``digitalAccessKey``) — never cut, a message
   that does not fit is ``failed`` so a person rewrites the template;
3. an LWA access token is fetched with the refresh token (cached until a minute before it
   expires; client secret and refresh token are secrets);
4. ``getMessagingActionsForOrder`` must offer the type for the order — if not, the message is
   ``failed`` (status 403, as Amazon would answer the POST) and the POST is not made;
5. ``POST /messaging/v1/orders/{id}/messages/{type}?marketplaceIds=…`` with ``{"text": …}``.

Answers: 201 sent; 429, 5xx and network errors retry (``Retry-After``, or the
``x-amzn-RateLimit-Limit`` rate, sets the wait); 400 / 403 / 404 / 413 / 415 are permanent —
a 403 ("not eligible for this order") is never retried. After a 429 the rest of the chunk
is handed back untried and the daemon's bucket pauses. SP-API Messaging has no idempotency
key: a crash between Amazon's 201 and our commit can repeat a message (docs/OUTBOX.md).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx

from autoreply import __version__
from autoreply.clock import Clock
from autoreply.senders import SendResult, classify_http, parse_retry_after
from autoreply.settings import AmazonSenderSettings
from autoreply.store import Claimed

#: message types whose request body is ``{"text": …}``, with the text's maximum length
TEXT_LIMITS: dict[str, int] = {
    "confirmCustomizationDetails": 800,
    "confirmDeliveryDetails": 2000,
    "confirmOrderDetails": 2000,
    "confirmServiceDetails": 2000,
    "digitalAccessKey": 400,
    "unexpectedProblem": 2000,
}

#: event kind -> message type when neither the rule nor the settings say
DEFAULT_MESSAGE_TYPES: dict[str, str] = {
    "out_of_stock": "unexpectedProblem",
    "logistics_update": "unexpectedProblem",
    "delivery_scheduling": "confirmDeliveryDetails",
}

ENDPOINTS = {
    "na": "https://sellingpartnerapi-na.amazon.com",
    "eu": "https://sellingpartnerapi-eu.amazon.com",
    "fe": "https://sellingpartnerapi-fe.amazon.com",
}

#: marketplace (country code as in events) -> Amazon marketplace id
MARKETPLACE_IDS: dict[str, str] = {
    "US": "ATVPDKIKX0DER",
    "CA": "A2EUQ1WTGCTBG2",
    "MX": "A1AM78C64UM0Y8",
    "BR": "A2Q3Y263D00KWC",
    "GB": "A1F83G8C2ARO7P",
    "UK": "A1F83G8C2ARO7P",
    "DE": "A1PA6795UKMFR9",
    "FR": "A13V1IB3VIYZZH",
    "IT": "APJ6JRA9NG5V4",
    "ES": "A1RKKUPIHCS9HS",
    "NL": "A1805IZSGTT6HS",
    "SE": "A2NODRKZP88ZB9",
    "PL": "A1C3SOZRARQ6R3",
    "BE": "AMEN7PMS3EDWL",
    "IE": "A28R8C7NBKEWEA",
    "TR": "A33AVAJ2PDY3EV",
    "AE": "A2VIGQ35RCS4UG",
    "SA": "A17E79C6D8DWNP",
    "EG": "ARBP9OOSHTCHU",
    "IN": "A21TJRUUN4KGV",
    "ZA": "AE08WJ6YKNBMC",
    "JP": "A1VC38T7YXB528",
    "AU": "A39IBJ37TRP1C6",
    "SG": "A19VAU5U5O7RUS",
}


class LwaError(Exception):
    def __init__(
        self, message: str, status_code: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.retry_after = retry_after


def _errors(response: httpx.Response) -> str:
    """The model's ErrorList as one line: ``code: message (details)``."""
    try:
        data = response.json()
    except ValueError:
        return response.text[:200]
    errors = data.get("errors") if isinstance(data, dict) else None
    if not errors:
        return ""
    return "; ".join(
        f"{e.get('code')}: {e.get('message')}" + (f" ({e['details']})" if e.get("details") else "")
        for e in errors
        if isinstance(e, dict)
    )[:300]


def _rate_wait(headers: Mapping[str, str], now: datetime) -> float | None:
    wait = parse_retry_after(headers.get("retry-after"), now)
    if wait is not None:
        return wait
    try:
        rate = float(headers.get("x-amzn-ratelimit-limit") or "")
    except ValueError:
        return None
    return 1.0 / rate if rate > 0 else None


class AmazonSender:
    name = "amazon"

    def __init__(
        self,
        settings: AmazonSenderSettings,
        client_secret: str,
        refresh_token: str,
        clock: Clock,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.client_secret = client_secret
        self.refresh_token = refresh_token
        self.clock = clock
        self.endpoint = (settings.endpoint or ENDPOINTS[settings.region]).rstrip("/")
        self.marketplaces = {
            **MARKETPLACE_IDS,
            **{k.upper(): v for k, v in settings.marketplace_ids.items()},
        }
        self.types = {**DEFAULT_MESSAGE_TYPES, **settings.message_types}
        self.client = httpx.Client(
            timeout=settings.timeout_seconds,
            transport=transport,
            headers={"User-Agent": f"autoreply/{__version__} (Language=Python)"},
        )
        self._token: str | None = None
        self._token_until: datetime | None = None
        self._token_lock = threading.Lock()

    # -- LWA -------------------------------------------------------------------------
    def access_token(self) -> str:
        """A valid LWA access token, refreshed a minute before it expires (thread-safe)."""
        with self._token_lock:
            now = self.clock.now()
            if self._token and self._token_until and now < self._token_until:
                return self._token
            try:
                response = self.client.post(
                    self.settings.token_url,
                    data={
                        "grant_type": "refresh_token",
                        "refresh_token": self.refresh_token,
                        "client_id": self.settings.client_id,
                        "client_secret": self.client_secret,
                    },
                )
            except httpx.HTTPError as exc:
                raise LwaError(f"LWA token request failed: {type(exc).__name__}: {exc}") from None
            if response.status_code != 200:
                try:
                    body = response.json()
                    why = f"{body.get('error')}: {body.get('error_description')}"
                except ValueError:
                    why = response.text[:200]
                raise LwaError(
                    f"LWA token refresh answered {response.status_code}: {why}",
                    response.status_code,
                    _rate_wait(response.headers, now),
                )
            data = response.json()
            self._token = str(data["access_token"])
            lifetime = float(data.get("expires_in", 3600))
            self._token_until = now + timedelta(seconds=max(lifetime - 60, lifetime / 2))
            return self._token

    # -- sending ---------------------------------------------------------------------
    def message_type(self, m: Claimed) -> str | None:
        return m.message_type or self.types.get(m.kind)

    def check(self, m: Claimed) -> tuple[str, str, str] | SendResult:
        """(message type, marketplace id, order id), or the permanent failure why not."""
        kind = self.message_type(m)
        if kind is None:
            return SendResult.failed(
                f"no Amazon message type for kind {m.kind!r}: set message_type on rule "
                f"{m.rule!r} or senders.amazon.message_types (buyer questions are answered "
                "through the email relay: the smtp sender)"
            )
        limit = TEXT_LIMITS.get(kind)
        if limit is None:
            return SendResult.failed(
                f"Amazon message type {kind!r} does not carry text "
                f"(supported: {', '.join(sorted(TEXT_LIMITS))})"
            )
        if not m.order_id:
            return SendResult.failed("an Amazon message needs the order id (order.id)")
        marketplace = self.marketplaces.get((m.marketplace or "").upper())
        if marketplace is None:
            return SendResult.failed(
                f"unknown Amazon marketplace {m.marketplace!r}: add it to "
                "senders.amazon.marketplace_ids"
            )
        text = m.body.strip()
        if not text:
            return SendResult.failed("empty message text")
        if len(text) > limit:
            return SendResult.failed(
                f"text is {len(text)} characters; Amazon {kind} allows {limit}"
            )
        return kind, marketplace, m.order_id

    def _call(self, method: str, path: str, marketplace: str, json: Any = None) -> httpx.Response:
        headers = {"x-amz-access-token": self.access_token(), "Accept": "application/json"}
        if json is not None:
            headers["Content-Type"] = "application/json"
        return self.client.request(
            method,
            self.endpoint + path,
            params={"marketplaceIds": marketplace},
            json=json,
            headers=headers,
        )

    def send_one(self, m: Claimed) -> SendResult:
        checked = self.check(m)
        if isinstance(checked, SendResult):
            return checked
        kind, marketplace, order_id = checked
        order_path = f"/messaging/v1/orders/{quote(order_id, safe='')}"
        try:
            actions = self._call("GET", order_path, marketplace)
            if actions.status_code != 200:
                return self._classify(actions, "getMessagingActionsForOrder")
            offered = {a.get("name") for a in actions.json().get("_links", {}).get("actions", [])}
            if kind not in offered:
                return SendResult.failed(
                    f"Amazon does not offer {kind} for order {order_id} "
                    "(getMessagingActionsForOrder offers: "
                    f"{', '.join(sorted(filter(None, offered))) or 'none'})",
                    403,
                )
            response = self._call(
                "POST", f"{order_path}/messages/{kind}", marketplace, json={"text": m.body.strip()}
            )
        except LwaError as exc:
            return SendResult.retry(str(exc), exc.status_code, exc.retry_after)
        except httpx.HTTPError as exc:
            return SendResult.retry(f"{type(exc).__name__}: {exc}")
        return self._classify(response, kind)

    def _classify(self, response: httpx.Response, operation: str) -> SendResult:
        """An SP-API answer as sent / retry (waiting as the rate-limit headers say) / failed."""
        now = self.clock.now()
        result = classify_http(response.status_code, response.headers, now,
                               f"{operation} {response.status_code}: {_errors(response)}")
        if result.outcome == "retry":
            return SendResult.retry(
                result.error or "", result.status_code, _rate_wait(response.headers, now)
            )
        return result

    def send_batch(self, messages: Sequence[Claimed]) -> list[SendResult]:
        results: list[SendResult] = []
        for index, m in enumerate(messages):
            result = self.send_one(m)
            results.append(result)
            if result.status_code == 429:
                results += [
                    SendResult.not_tried("not sent: Amazon answered 429", result.retry_after)
                    for _ in messages[index + 1 :]
                ]
                break
        return results

    def close(self) -> None:
        self.client.close()
