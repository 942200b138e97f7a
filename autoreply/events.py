"""The event model: the native JSON contract of DESIGN.md.

``id``, ``kind``, ``platform`` and ``occurred_at`` (with an offset) are required; the other
blocks are present when the kind needs them. Unknown fields are rejected with their path.
The same ``id`` twice is one event (the inbox has a unique key on it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from autoreply.errors import InputError, Problem

_SLUG = r"^[a-z][a-z0-9_]{0,63}$"


def _utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:30:00+01:00 is before datetime.min in UTC
        raise ValueError("instant out of range") from None


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_utc)]
Slug = Annotated[str, Field(pattern=_SLUG)]
CountryCode = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$"), AfterValidator(str.upper)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Buyer(Strict):
    id: str | None = Field(default=None, max_length=200)
    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    country: CountryCode | None = None
    region: str | None = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, max_length=20)
    city: str | None = Field(default=None, max_length=100)
    timezone: str | None = Field(default=None, max_length=64)
    locale: str | None = Field(default=None, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")
    opted_out: bool = False


class Item(Strict):
    sku: str = Field(min_length=1, max_length=200)
    title: str | None = Field(default=None, max_length=500)
    quantity: int = Field(default=1, ge=0)
    price: float | None = Field(default=None, ge=0)


class Order(Strict):
    id: str = Field(min_length=1, max_length=100)
    placed_at: UtcDatetime | None = None
    status: str | None = Field(default=None, max_length=50)
    items: list[Item] = Field(default_factory=list)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    total: float | None = Field(default=None, ge=0)
    handling_days: int | None = Field(default=None, ge=0, le=365)
    estimated_delivery: date | None = None
    latest_delivery: date | None = None


class Message(Strict):
    text: str = Field(max_length=20_000)
    received_at: UtcDatetime | None = None
    conversation_id: str | None = Field(default=None, max_length=200)


class Shipment(Strict):
    carrier: str | None = Field(default=None, max_length=100)
    tracking_number: str | None = Field(default=None, max_length=100)
    status: Slug
    eta: date | None = None
    delivered_at: UtcDatetime | None = None


class Stock(Strict):
    sku: str = Field(min_length=1, max_length=200)
    available: int
    restock_eta: date | None = None


class Event(Strict):
    id: str = Field(min_length=1, max_length=200)
    kind: Slug
    platform: Slug
    marketplace: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$")
    occurred_at: UtcDatetime
    buyer: Buyer = Field(default_factory=Buyer)
    order: Order | None = None
    message: Message | None = None
    shipment: Shipment | None = None
    stock: Stock | None = None

    @field_validator("marketplace")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else value

    def skus(self) -> list[str]:
        """Every SKU the event is about: the order's items and the stock record."""
        found = [item.sku for item in self.order.items] if self.order else []
        if self.stock and self.stock.sku not in found:
            found.append(self.stock.sku)
        return found

    def field(self, path: str) -> Any:
        """The value at a dotted path such as ``shipment.status`` (``None`` when absent)."""
        value: Any = self
        for part in path.split("."):
            if value is None:
                return None
            value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        return value

    def to_json(self) -> str:
        return self.model_dump_json(exclude_none=True)


#: dotted paths an event can be matched on (rules.toml ``match`` keys besides the shortcuts)
EVENT_FIELDS: frozenset[str] = frozenset(
    f"{block}.{name}" if block else name
    for block, model in (
        ("", Event),
        ("buyer", Buyer),
        ("order", Order),
        ("message", Message),
        ("shipment", Shipment),
        ("stock", Stock),
    )
    for name in model.model_fields
    if not (block == "" and name in {"buyer", "order", "message", "shipment", "stock"})
)


def _loc(loc: Iterable[Any], prefix: str) -> str:
    out = prefix
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse_event(data: Any, *, source: str = "<input>", prefix: str = "") -> Event:
    """Validate one event object; errors name ``source`` and the field path of each problem."""
    if not isinstance(data, dict):
        raise InputError([Problem("an event must be a JSON object", file=source, path=prefix or None)])
    try:
        return Event.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            msg = "unknown field" if error["type"] == "extra_forbidden" else error["msg"]
            problems.append(Problem(msg, file=source, path=_loc(error["loc"], prefix) or None))
        raise InputError(problems) from None


_JSON_LINE = re.compile(r"\S")


def iter_event_documents(text: str, *, source: str) -> Iterator[tuple[str, Any]]:
    """Yield ``(prefix, object)`` from one JSON object, a JSON array, or JSON lines.

    The prefix locates each object in errors: ``[3]`` in an array, ``line 7`` in JSON lines.
    """
    stripped = text.strip()
    if not stripped:
        raise InputError([Problem("no events in input", file=source)])
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError as exc:
        if stripped[0] != "{" or "\n" not in stripped:
            raise InputError(
                [Problem(f"invalid JSON: {exc.msg}", file=source, line=exc.lineno, column=exc.colno)]
            ) from None
        yield from _json_lines(text, source)
        return
    if isinstance(whole, list):
        for index, item in enumerate(whole):
            yield f"[{index}]", item
    else:
        yield "", whole


def _json_lines(text: str, source: str) -> Iterator[tuple[str, Any]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not _JSON_LINE.search(line):
            continue
        try:
            yield f"line {number}", json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                [Problem(f"invalid JSON: {exc.msg}", file=source, line=number, column=exc.colno)]
            ) from None


def parse_events(text: str, *, source: str) -> list[Event]:
    """Parse one object, an array or JSON lines; every invalid event is reported, none kept."""
    events: list[Event] = []
    problems: list[Problem] = []
    for prefix, data in iter_event_documents(text, source=source):
        try:
            events.append(parse_event(data, source=source, prefix=prefix))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return events
