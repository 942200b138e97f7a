"""The HTTP intake: a FastAPI app served inside the daemon (docs/HTTP_API.md).

- ``POST /v1/events``: one native event, an array, or JSON lines. 202 with the ids only once
  they are persisted in the inbox; 422 naming each bad field (nothing is stored then);
  duplicates are accepted once and reported.
- ``POST /v1/amazon/notifications``: SP-API notifications, validated against the official
  schemas and mapped to native events (:mod:`autoreply.sources.amazon`).
- ``GET /healthz`` (readiness), ``GET /metrics`` (Prometheus), ``GET /openapi.json``.

Both POST routes need the shared secret (:mod:`autoreply.httpauth`); bodies are capped at
``intake.max_body_bytes`` (413). Blocking work (parsing, the database) runs in the thread pool
so the event loop keeps answering.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from fastapi import FastAPI, Request, Security
from fastapi.responses import JSONResponse, Response
from fastapi.security import APIKeyHeader, HTTPBearer
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field, TypeAdapter
from starlette.concurrency import run_in_threadpool

from autoreply import httpauth
from autoreply.clock import SystemClock
from autoreply.errors import InputError, Problem
from autoreply.events import Event, iter_event_documents, parse_event
from autoreply.logs import get_logger
from autoreply.metrics import HTTP_REQUESTS, INBOX, MESSAGES, REGISTRY
from autoreply.sources.amazon import parse_notification
from autoreply.sources.amazon_state import AmazonIntake

if TYPE_CHECKING:
    from autoreply.daemon import Daemon

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ROUTES = ("/v1/events", "/v1/amazon/notifications", "/healthz", "/metrics", "/openapi.json")
KNOWN_INBOX = ("new", "done", "error")


# --------------------------------------------------------------------------- models
class ProblemOut(BaseModel):
    path: str | None = Field(None, description="field path, e.g. [3].buyer.email")
    message: str
    line: int | None = None
    column: int | None = None


class ErrorOut(BaseModel):
    error: str
    problems: list[ProblemOut] = Field(default_factory=list)


class EventsAccepted(BaseModel):
    accepted: list[str] = Field(description="every id in the request, persisted in the inbox")
    new: list[str] = Field(description="ids that were not in the inbox before")
    duplicates: list[str] = Field(description="ids already in the inbox: stored once, not again")


class NotificationOut(BaseModel):
    notification_id: str
    notification_type: str
    events: list[str]


class AmazonAccepted(EventsAccepted):
    notifications: list[NotificationOut]


class Health(BaseModel):
    status: str = Field(description="ok or unavailable")
    checks: dict[str, str]


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "missing or wrong shared secret"},
    413: {
        "model": ErrorOut,
        "description": "body larger than intake.max_body_bytes, or too many events",
    },
    422: {"model": ErrorOut, "description": "invalid input; each problem names its field path"},
    503: {"model": ErrorOut, "description": "the daemon is stopping"},
}
_EVENT_SCHEMA = TypeAdapter(Event).json_schema(ref_template="#/components/schemas/{model}")
_AMAZON_BODY: dict[str, Any] = {
    "oneOf": [
        {"$ref": "#/components/schemas/AmazonNotification"},
        {"type": "array", "items": {"$ref": "#/components/schemas/AmazonNotification"}},
    ],
}
_AMAZON_NOTIFICATION = {
    "type": "object",
    "description": "An SP-API notification (ORDER_CHANGE, SHIPMENT_TRACKING_MILESTONE_CHANGED, "
    "LISTINGS_ITEM_MFN_QUANTITY_CHANGE, FBA_INVENTORY_AVAILABILITY_CHANGES), "
    "validated against Amazon's official JSON Schema of its type.",
}


def _body(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": {"schema": schema}},
        }
    }


# --------------------------------------------------------------------------- body limit
class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """413 for a body over ``max_bytes``, by Content-Length or as it streams in."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            code = 413 if length.isdigit() else 422
            await _plain_json(
                send,
                code,
                {
                    "error": "body too large" if code == 413 else "bad Content-Length",
                    "problems": [],
                },
            )
            HTTP_REQUESTS.labels(_route(scope), str(code)).inc()
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                HTTP_REQUESTS.labels(_route(scope), str(message["status"])).inc()
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                HTTP_REQUESTS.labels(_route(scope), "413").inc()
                await _plain_json(
                    send, 413, {"error": f"body larger than {self.max_bytes} bytes", "problems": []}
                )


async def _plain_json(send: Send, status: int, data: dict[str, Any]) -> None:
    body = json.dumps(data).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _route(scope: Scope) -> str:
    path = scope.get("path", "")
    return path if path in ROUTES else "other"


# --------------------------------------------------------------------------- parsing
def _clean(value: Any, path: str, problems: list[Problem]) -> None:
    """Text a database cannot store (NUL, lone surrogates) is refused with its path."""
    if isinstance(value, str):
        if "\x00" in value:
            problems.append(Problem("NUL characters are not allowed", path=path or None))
        else:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                problems.append(Problem("invalid Unicode (lone surrogate)", path=path or None))
    elif isinstance(value, dict):
        for key, item in value.items():
            _clean(key, path, problems)
            _clean(item, f"{path}.{key}" if path else str(key), problems)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _clean(item, f"{path}[{index}]", problems)


def _documents(body: bytes) -> list[tuple[str, Any]]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            [Problem(f"body is not UTF-8 ({exc.reason} at byte {exc.start})")]
        ) from None
    try:
        docs = list(iter_event_documents(text, source="request"))
    except RecursionError:
        raise InputError([Problem("JSON nested too deeply")]) from None
    problems: list[Problem] = []
    for prefix, data in docs:
        _clean(data, prefix, problems)
    if problems:
        raise InputError(problems[:100])
    return docs


class TooMany(Exception):
    pass


def parse_batch(body: bytes, max_events: int) -> list[Event]:
    """Every event of a request body, or InputError naming each bad field (none kept)."""
    docs = _documents(body)
    if not docs:
        raise InputError([Problem("no events in the request")])
    if len(docs) > max_events:
        raise TooMany(f"{len(docs)} events in one request; the limit is {max_events}")
    events: list[Event] = []
    problems: list[Problem] = []
    for prefix, data in docs:
        try:
            events.append(parse_event(data, source="request", prefix=prefix))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems[:200])
    return events


def _problems_out(exc: InputError) -> list[dict[str, Any]]:
    return [
        {
            k: v
            for k, v in (
                ("path", p.path),
                ("message", p.message),
                ("line", p.line),
                ("column", p.column),
            )
            if v is not None
        }
        for p in exc.problems
    ]


def _rejected(event: str, error: str, exc: InputError) -> JSONResponse:
    """422 with every problem (path, message, line, column); the log names the paths only,
    never the values (they may be a buyer's text or address)."""
    get_logger(component="intake").info(event, problems=len(exc.problems),
                                         paths=[p.path for p in exc.problems[:10]])
    return JSONResponse({"error": error, "problems": _problems_out(exc)}, status_code=422)


def _dedupe(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


# --------------------------------------------------------------------------- the app
def create_app(daemon: Daemon) -> FastAPI:
    """The intake app over a started daemon (its store, submit and health)."""
    settings = daemon.settings.intake
    log = get_logger(component="intake")
    wall = SystemClock()  # HMAC timestamps are wall-clock facts, whatever the daemon's clock
    bearer_scheme = HTTPBearer(
        auto_error=False, description="Authorization: Bearer <AUTOREPLY_INTAKE_TOKEN>"
    )
    signature_scheme = APIKeyHeader(
        name=httpauth.SIGNATURE_HEADER,
        auto_error=False,
        description=f"sha256=<hex HMAC-SHA256(secret, '<{httpauth.TIMESTAMP_HEADER}>.' + body)>; "
        f"send {httpauth.TIMESTAMP_HEADER} (unix seconds) too",
    )
    secured = [Security(bearer_scheme), Security(signature_scheme)]
    assert daemon.store is not None, "create_app needs a started daemon"
    amazon_intake = AmazonIntake(
        daemon.store, lambda events: daemon.submit(events, source="amazon")
    )

    if daemon.settings.intake_token is None:
        log.warning("intake_without_secret", hint="set AUTOREPLY_INTAKE_TOKEN (environment or "
                    "credentials directory); until then /v1/* answers 401")
    app = FastAPI(
        title="autoreply intake",
        version="1",
        docs_url=None,
        redoc_url=None,
        description="Events in; see docs/HTTP_API.md.",
    )

    def authorize(request: Request, body: bytes) -> JSONResponse | None:
        current = daemon.config.settings if daemon.config is not None else daemon.settings
        token = current.intake_token  # re-read on reload: rotate the secret with a SIGHUP
        secret = token.get_secret_value() if token is not None else None
        verdict = httpauth.check(
            mode=settings.auth,
            secret=secret,
            authorization=request.headers.get("authorization"),
            timestamp=request.headers.get(httpauth.TIMESTAMP_HEADER),
            signature=request.headers.get(httpauth.SIGNATURE_HEADER),
            body=body,
            now_unix=wall.now().timestamp(),
            max_skew=settings.hmac_max_skew_seconds,
        )
        if verdict.ok:
            return None
        log.warning("intake_unauthorized", route=request.url.path, reason=verdict.reason)
        return JSONResponse(
            {"error": "unauthorized", "problems": [{"message": verdict.reason}]},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )

    def refuse_if_stopping() -> JSONResponse | None:
        if daemon.stopping or daemon.store is None:
            return JSONResponse({"error": "stopping", "problems": []}, status_code=503)
        return None

    @app.post(
        "/v1/events",
        status_code=202,
        response_model=EventsAccepted,
        responses=ERRORS,
        dependencies=secured,
        summary="Persist events in the inbox",
        openapi_extra=_body(
            {"$ref": "#/components/schemas/EventOrEvents"},
            "one event, an array of events, or JSON lines",
        ),
    )
    async def post_events(request: Request) -> Any:
        body = await request.body()
        denied = authorize(request, body) or refuse_if_stopping()
        if denied:
            return denied
        try:
            events = await run_in_threadpool(parse_batch, body, settings.max_events)
        except TooMany as exc:
            return JSONResponse({"error": str(exc), "problems": []}, status_code=413)
        except InputError as exc:
            return _rejected("events_rejected", "invalid events; none stored", exc)
        result = await run_in_threadpool(daemon.submit, events, source="http")
        accepted = _dedupe(result.accepted)
        duplicates = _dedupe(result.duplicates)
        seen_before = set(duplicates)
        log.info("events_accepted", count=len(accepted), duplicates=len(duplicates))
        return JSONResponse(
            {
                "accepted": accepted,
                "new": [i for i in accepted if i not in seen_before],
                "duplicates": duplicates,
            },
            status_code=202,
        )

    @app.post(
        "/v1/amazon/notifications",
        status_code=202,
        response_model=AmazonAccepted,
        responses=ERRORS,
        dependencies=secured,
        summary="Accept SP-API notifications",
        openapi_extra=_body(_AMAZON_BODY, "one notification or an array of them"),
    )
    async def post_amazon(request: Request) -> Any:
        body = await request.body()
        denied = authorize(request, body) or refuse_if_stopping()
        if denied:
            return denied
        try:
            result = await run_in_threadpool(_amazon, amazon_intake, body)
        except InputError as exc:
            return _rejected("amazon_rejected", "invalid notification; nothing stored", exc)
        return JSONResponse(result, status_code=202)

    @app.get(
        "/healthz",
        response_model=Health,
        summary="Readiness",
        responses={503: {"model": Health, "description": "not ready"}},
    )
    async def healthz() -> Any:
        checks = await run_in_threadpool(health_checks, daemon)
        ok = all(value == "ok" for value in checks.values())
        return JSONResponse(
            {"status": "ok" if ok else "unavailable", "checks": checks},
            status_code=200 if ok else 503,
        )

    metrics_responses: dict[int | str, dict[str, Any]] = {
        200: {
            "content": {"text/plain": {"schema": {"type": "string"}}},
            "description": "Prometheus text format",
        }
    }
    if not settings.public_metrics:
        metrics_responses[401] = ERRORS[401]

    @app.get(
        "/metrics",
        summary="Prometheus metrics",
        response_class=Response,
        responses=metrics_responses,
        dependencies=[] if settings.public_metrics else secured,
    )
    async def metrics(request: Request) -> Any:
        if not settings.public_metrics:
            denied = authorize(request, b"")
            if denied:
                return denied
        await run_in_threadpool(refresh_gauges, daemon)
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    def custom_openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        from fastapi.openapi.utils import get_openapi  # only when /openapi.json is asked for

        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        event_schema = dict(_EVENT_SCHEMA)
        components.update(event_schema.pop("$defs", {}))
        components["Event"] = event_schema
        ref = {"$ref": "#/components/schemas/Event"}
        components["EventOrEvents"] = {
            "oneOf": [
                ref,
                {"type": "array", "items": ref, "minItems": 1, "maxItems": settings.max_events},
            ]
        }
        components["AmazonNotification"] = _AMAZON_NOTIFICATION
        app.openapi_schema = schema
        return schema

    app.openapi = custom_openapi  # type: ignore[method-assign]
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app


def _amazon(amazon_intake: AmazonIntake, body: bytes) -> dict[str, Any]:
    docs = _documents(body)
    if len(docs) == 1 and docs[0][0] == "" and isinstance(docs[0][1], list):
        docs = [(f"[{i}]", item) for i, item in enumerate(docs[0][1])]
    if not docs:
        raise InputError([Problem("no notifications in the request")])
    problems: list[Problem] = []
    for prefix, data in docs:  # validate every one before storing any
        try:
            parse_notification(data, source="request")
        except InputError as exc:
            problems.extend(
                Problem(
                    p.message,
                    path=f"{prefix}.{p.path}" if prefix and p.path else (prefix or p.path),
                )
                for p in exc.problems
            )
    if problems:
        raise InputError(problems[:200])
    out: dict[str, Any] = {"notifications": [], "accepted": [], "new": [], "duplicates": []}
    for _prefix, data in docs:
        result = amazon_intake.handle(data, source="request")
        out["notifications"].append(
            {
                "notification_id": result.notification_id,
                "notification_type": result.notification_type,
                "events": result.events,
            }
        )
        out["accepted"] += result.events
        out["new"] += result.new
        out["duplicates"] += result.duplicates
    return out


def health_checks(daemon: Daemon) -> dict[str, str]:
    """Readiness: the store answers, the scheduler runs, the last reload worked."""
    checks: dict[str, str] = {}
    if daemon.stopping:
        checks["daemon"] = "stopping"
    try:
        assert daemon.store is not None
        with daemon.store.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        checks["store"] = "ok"
    except Exception as exc:
        checks["store"] = f"unreachable: {type(exc).__name__}"
    scheduler = daemon.scheduler
    checks["scheduler"] = "ok" if scheduler is not None and scheduler.running else "not running"
    checks["config"] = "ok" if daemon.last_reload_ok else "last reload failed (old config in use)"
    return checks


def refresh_gauges(daemon: Daemon) -> None:
    """Messages by state and inbox rows by status, read from the store at scrape time."""
    from autoreply.store import STATES

    if daemon.store is None:
        return
    try:
        counts = daemon.store.counts()
        inbox = daemon.store.inbox_counts()
    except Exception:  # a scrape must not fail because the database blinked
        return
    for state in sorted(set(STATES) | set(counts)):
        MESSAGES.labels(state).set(counts.get(state, 0))
    for status in sorted(set(KNOWN_INBOX) | set(inbox)):
        INBOX.labels(status).set(inbox.get(status, 0))
