"""Sample events for ``autoreply check``: one per rule, shaped so the rule matches it.

A full sample event is adjusted by the rule's plain conditions (``kind = "welcome"``,
``"shipment.status" = ["delayed"]`` → the first value), so every template is rendered with
data like the data it will really see.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from autoreply.events import Event, parse_event
from autoreply.rules import SHORTCUTS, Rule

SAMPLE_NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def base_sample(now: datetime = SAMPLE_NOW) -> dict[str, Any]:
    return {
        "id": "sample-0001",
        "kind": "welcome",
        "platform": "aliexpress",
        "marketplace": "ES",
        "occurred_at": (now - timedelta(minutes=1)).isoformat(),
        "buyer": {"id": "b-1", "name": "Alex Sample", "country": "ES", "region": "MD",
                  "postal_code": "28001", "timezone": None, "locale": "en", "opted_out": False},
        "order": {"id": "8012345678901234", "placed_at": (now - timedelta(days=2)).isoformat(),
                  "status": "unshipped", "currency": "EUR", "total": 19.9,
                  "items": [{"sku": "SAMPLE-SKU-1", "title": "Sample item", "quantity": 2,
                             "price": 9.95}],
                  "handling_days": 3,
                  "estimated_delivery": (now + timedelta(days=10)).date().isoformat(),
                  "latest_delivery": (now + timedelta(days=14)).date().isoformat()},
        "message": {"text": "Hello, is this available?",
                    "received_at": (now - timedelta(minutes=1)).isoformat()},
        "shipment": {"carrier": "Cainiao", "tracking_number": "LP00123456789CN",
                     "status": "in_transit", "eta": (now + timedelta(days=8)).date().isoformat()},
        "stock": {"sku": "SAMPLE-SKU-1", "available": 0,
                  "restock_eta": (now + timedelta(days=12)).date().isoformat()},
    }


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    target = data
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def sample_for(rule: Rule, *, lang: str, platform: str | None = None,
               now: datetime = SAMPLE_NOW) -> Event | None:
    """A sample event the rule matches, with the buyer's locale set to ``lang`` (or ``None``
    when the rule's conditions cannot be met by plain substitution)."""
    data = base_sample(now)
    for key, spec in rule.match.items():
        path = SHORTCUTS.get(key, key)
        if isinstance(spec, dict):
            (op, arg), = spec.items()
            if op == "glob" and path == "sku":
                spec = [str(arg if isinstance(arg, str) else arg[0]).replace("*", "X").replace("?", "X")]
            elif op in ("le", "ge"):
                spec = arg
            elif op == "lt":
                spec = arg - 1
            elif op == "gt":
                spec = arg + 1
            else:
                continue
        value = spec[0] if isinstance(spec, list) else spec
        if path == "sku":
            data["order"]["items"][0]["sku"] = str(value).replace("*", "X").replace("?", "X")
            data["stock"]["sku"] = data["order"]["items"][0]["sku"]
        else:
            _set(data, path, value)
    if platform:
        data["platform"] = platform
    data["buyer"]["locale"] = lang
    data["message"]["text"] = ""
    event = parse_event(data, source="<sample>")
    return event if rule.matches(event) else None


def rule_platforms(rule: Rule) -> list[str]:
    spec = rule.match.get("platform")
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, list):
        return [str(s) for s in spec]
    return ["amazon", "aliexpress", "taobao"]
