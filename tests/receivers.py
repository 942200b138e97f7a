"""Real local HTTP servers for sender tests and bench scripts: a webhook receiver that
verifies signatures and counts deliveries by message id, with scripted answers."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from autoreply.senders.webhook import verify


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and hung up is part of the tests


class WebhookReceiver:
    """Accepts signed POSTs; answers from a script (per message id, else the default)."""

    def __init__(
        self, secret: bytes, default: Answer | None = None, now: Callable[[], float] = time.time
    ) -> None:
        self.secret = secret
        self.now = now
        self.default = default or Answer(200)
        self.script: dict[str, list[Answer]] = {}
        self.delivered: Counter[str] = Counter()  # message id -> 2xx answers given
        self.requests: list[tuple[float, str, int]] = []  # (monotonic time, message id, status)
        self.bad_signatures = 0
        self.bodies: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as separate writes

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.handle(self, body)

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        headers = {k: v for k, v in handler.headers.items()}
        if not verify(self.secret, headers, body, self.now()):
            with self.lock:
                self.bad_signatures += 1
            self._answer(handler, 401, {})
            return
        message_id = handler.headers.get("Idempotency-Key", "")
        with self.lock:
            queue = self.script.get(message_id)
            answer = queue.pop(0) if queue else self.default
        if answer.delay:
            time.sleep(answer.delay)
        with self.lock:
            self.requests.append((time.monotonic(), message_id, answer.status))
            if 200 <= answer.status < 300:
                self.delivered[message_id] += 1
                self.bodies[message_id] = json.loads(body)
        self._answer(handler, answer.status, answer.headers)

    @staticmethod
    def _answer(handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str]) -> None:
        payload = b'{"ok": true}' if status < 300 else b'{"error": "scripted"}'
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def start(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def webhook_receiver(
    secret: bytes, default: Answer | None = None, now: Callable[[], float] = time.time
) -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver(secret, default, now).start()
    try:
        yield receiver
    finally:
        receiver.stop()
