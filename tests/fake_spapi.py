"""A local fake of Amazon's SP-API Messaging and Login with Amazon, over real HTTP.

Every request is checked against the official model (shared/reference/amazon-sp-api/
messaging.json): the path must match one of its operations with that method; path
parameters and the required ``marketplaceIds`` query (one id at most) must be present and no
unknown query parameter; the ``x-amz-access-token`` header must hold a token LWA issued and
that has not expired; a body must be ``application/json`` and validate against the
operation's body schema (JSON Schema, with the model's ``definitions``; stricter than the
model in one way: unknown properties are rejected, so a typo cannot pass). A request that
fails any check is answered like Amazon (400 InvalidInput, or 403 Unauthorized) *and*
recorded in :attr:`FakeSpApi.rejections`, which tests assert stays empty.

Answers are scripted per (order, message type): a list of statuses (201, 400, 403, 429, 503,
…) taken one per POST; each response body is validated against the model's schema for that
status before it is sent, so the fake cannot drift from the model either.
"""

from __future__ import annotations

import copy
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jsonschema

MODEL_PATH = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "reference"
    / "amazon-sp-api"
    / "messaging.json"
)
ERROR_TEXT = {
    400: ("InvalidInput", "Invalid Input"),
    403: ("Unauthorized", "Access to requested resource is denied."),
    404: ("NotFound", "Order not found"),
    413: ("RequestTooLarge", "Request too large"),
    415: ("UnsupportedMediaType", "Unsupported media type"),
    429: ("QuotaExceeded", "You exceeded your quota for the requested resource."),
    500: ("InternalFailure", "We encountered an internal error."),
    503: ("ServiceUnavailable", "Service temporarily unavailable."),
}


def load_model(path: Path = MODEL_PATH) -> dict[str, Any]:
    return json.loads(path.read_text())


@dataclass
class Scripted:
    status: int
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Operation:
    method: str
    template: str
    regex: re.Pattern[str]
    spec: dict[str, Any]

    @property
    def operation_id(self) -> str:
        return str(self.spec["operationId"])


def _strict(schema: Any) -> Any:
    """The schema with ``additionalProperties: false`` on every object that lists properties."""
    if isinstance(schema, dict):
        out = {k: _strict(v) for k, v in schema.items()}
        if (
            out.get("type") == "object"
            and "properties" in out
            and "additionalProperties" not in out
        ):
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


class FakeSpApi:
    def __init__(
        self,
        *,
        client_id: str = "amzn1.application-oa2-client.test",
        client_secret: str = "lwa-secret",
        refresh_token: str = "Atzr|refresh",
        token_lifetime: int = 3600,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.model = load_model()
        self.client_id, self.client_secret, self.refresh_token = (
            client_id,
            client_secret,
            refresh_token,
        )
        self.token_lifetime = token_lifetime
        self.now = now
        self.tokens: dict[str, float] = {}  # access token -> expiry (unix)
        self.orders: dict[str, list[str]] = {}  # order id -> message types offered
        self.script: dict[tuple[str, str], list[Scripted]] = {}
        self.get_script: dict[str, list[Scripted]] = {}
        self.requests: list[dict[str, Any]] = []
        self.rejections: list[str] = []
        self.token_requests = 0
        self.lock = threading.Lock()
        self.operations = [
            Operation(
                method.upper(),
                template,
                re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$"),
                spec,
            )
            for template, methods in self.model["paths"].items()
            for method, spec in methods.items()
            if method != "parameters"
        ]
        definitions = self.model["definitions"]
        self.strict_definitions = _strict(copy.deepcopy(definitions))
        self.definitions = definitions
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as separate writes

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake.handle(self, "GET")

            def do_POST(self) -> None:
                fake.handle(self, "POST")

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # -- lifecycle -------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def token_url(self) -> str:
        return self.url + "/auth/o2/token"

    def start(self) -> FakeSpApi:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- schema checks ---------------------------------------------------------------
    def validate(self, instance: Any, schema: dict[str, Any], *, strict: bool) -> list[str]:
        full = {**schema, "definitions": self.strict_definitions if strict else self.definitions}
        validator = jsonschema.Draft4Validator(full)
        return [
            f"{'/'.join(str(p) for p in e.absolute_path) or '<body>'}: {e.message}"
            for e in validator.iter_errors(instance)
        ]

    def check_request(
        self, op: Operation, query: dict[str, list[str]], headers: Any, body: bytes
    ) -> tuple[int, str] | None:
        """None if the request matches the model, else (status, why)."""
        params = op.spec.get("parameters", [])
        allowed_query = {p["name"] for p in params if p["in"] == "query"}
        for name in query:
            if name not in allowed_query:
                return 400, f"unknown query parameter {name!r}"
        for p in params:
            if p["in"] == "query":
                values = [v for item in query.get(p["name"], []) for v in item.split(",") if v]
                if p.get("required") and not values:
                    return 400, f"missing required query parameter {p['name']!r}"
                if "maxItems" in p and len(values) > p["maxItems"]:
                    return 400, f"{p['name']}: at most {p['maxItems']} item(s)"
            if p["in"] == "body":
                ctype = (headers.get("Content-Type") or "").split(";")[0].strip()
                if ctype not in self.model.get("consumes", ["application/json"]):
                    return 415, f"Content-Type {ctype!r} not in {self.model.get('consumes')}"
                try:
                    data = json.loads(body or b"null")
                except ValueError as exc:
                    return 400, f"body is not JSON: {exc}"
                if data is None and p.get("required"):
                    return 400, "missing required body"
                errors = self.validate(data, p["schema"], strict=True)
                if errors:
                    return 400, "; ".join(errors)
        if op.method == "GET" and body:
            return 400, "a GET has no body"
        token = headers.get("x-amz-access-token")
        if not token:
            return 403, "missing x-amz-access-token header"
        expiry = self.tokens.get(token)
        if expiry is None:
            return 403, "unknown access token"
        if self.now() >= expiry:
            return 403, "the access token has expired"
        return None

    # -- handling --------------------------------------------------------------------
    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(h.path)
        body = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        if parts.path == "/auth/o2/token" and method == "POST":
            self.lwa(h, body)
            return
        query = parse_qs(parts.query, keep_blank_values=True)
        with self.lock:
            self.requests.append(
                {
                    "method": method,
                    "path": parts.path,
                    "query": query,
                    "at": time.monotonic(),
                    "body": body,
                }
            )
        op = next(
            (o for o in self.operations if o.method == method and o.regex.match(parts.path)), None
        )
        if op is None:
            self.reject(
                h,
                404 if method == "GET" else 400,
                f"{method} {parts.path} is not in the model",
                None,
            )
            return
        problem = self.check_request(op, query, h.headers, body)
        if problem is not None:
            self.reject(h, problem[0], f"{op.operation_id}: {problem[1]}", op)
            return
        params = op.regex.match(parts.path).groupdict()  # type: ignore[union-attr]
        order = params["amazonOrderId"]
        if op.operation_id == "getMessagingActionsForOrder":
            with self.lock:
                queue = self.get_script.get(order)
                scripted = queue.pop(0) if queue else None
            if scripted and scripted.status != 200:
                self.respond(h, op, scripted.status, self.errors(scripted.status), scripted.headers)
                return
            self.respond(h, op, 200, self.actions(order, query["marketplaceIds"][0]))
            return
        kind = parts.path.rsplit("/", 1)[1]
        with self.lock:
            queue = self.script.get((order, kind))
            scripted = queue.pop(0) if queue else Scripted(201)
        if kind not in self.orders.get(order, []):
            scripted = Scripted(403)
        body_out = {} if scripted.status == 201 else self.errors(scripted.status)
        self.respond(h, op, scripted.status, body_out, scripted.headers)

    def actions(self, order: str, marketplace: str) -> dict[str, Any]:
        base = f"/messaging/v1/orders/{order}"
        names = self.orders.get(order, [])
        return {
            "_links": {
                "self": {"href": f"{base}?marketplaceIds={marketplace}"},
                "actions": [
                    {"href": f"{base}/messages/{n}?marketplaceIds={marketplace}", "name": n}
                    for n in names
                ],
            },
            "_embedded": {
                "actions": [
                    {
                        "_links": {
                            "self": {
                                "href": f"{base}/messages/{n}?marketplaceIds={marketplace}",
                                "name": n,
                            },
                            "schema": {"href": f"{base}/messages/{n}/schema", "name": n},
                        }
                    }
                    for n in names
                ]
            },
        }

    @staticmethod
    def errors(status: int, details: str | None = None) -> dict[str, Any]:
        code, message = ERROR_TEXT.get(status, ("Error", "Error"))
        error = {"code": code, "message": message}
        if details:
            error["details"] = details
        return {"errors": [error]}

    def reject(
        self, h: BaseHTTPRequestHandler, status: int, why: str, op: Operation | None
    ) -> None:
        with self.lock:
            self.rejections.append(why)
        self.respond(h, op, status, self.errors(status, why[:500]))

    def respond(
        self,
        h: BaseHTTPRequestHandler,
        op: Operation | None,
        status: int,
        body: Any,
        headers: dict[str, str] | None = None,
    ) -> None:
        if op is not None:  # the fake's own answers must match the model too
            response = op.spec["responses"].get(str(status))
            assert response is not None, f"{op.operation_id} has no {status} response in the model"
            errors = self.validate(body, response["schema"], strict=False)
            assert not errors, f"fake answer does not match the model: {errors}"
        payload = json.dumps(body).encode()
        h.send_response(status)
        h.send_header(
            "Content-Type", "application/hal+json" if status == 200 else "application/json"
        )
        h.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        if status in (200, 201):
            h.send_header("x-amzn-RateLimit-Limit", "1.0")
        for key, value in (headers or {}).items():
            h.send_header(key, value)
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        h.wfile.write(payload)

    def lwa(self, h: BaseHTTPRequestHandler, body: bytes) -> None:
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        with self.lock:
            self.token_requests += 1
        ctype = (h.headers.get("Content-Type") or "").split(";")[0]
        if (
            ctype != "application/x-www-form-urlencoded"
            or form.get("grant_type") != "refresh_token"
        ):
            self._json(
                h, 400, {"error": "unsupported_grant_type", "error_description": "grant_type"}
            )
        elif (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            self._json(
                h,
                401,
                {"error": "invalid_client", "error_description": "Client authentication failed"},
            )
        elif form.get("refresh_token") != self.refresh_token:
            self._json(
                h, 400, {"error": "invalid_grant", "error_description": "Invalid refresh token"}
            )
        else:
            token = f"Atza|{uuid.uuid4().hex}"
            with self.lock:
                self.tokens[token] = self.now() + self.token_lifetime
            self._json(
                h,
                200,
                {
                    "access_token": token,
                    "refresh_token": self.refresh_token,
                    "token_type": "bearer",
                    "expires_in": self.token_lifetime,
                },
            )

    @staticmethod
    def _json(h: BaseHTTPRequestHandler, status: int, body: Any) -> None:
        payload = json.dumps(body).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        h.wfile.write(payload)

    def posts(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["method"] == "POST"]
