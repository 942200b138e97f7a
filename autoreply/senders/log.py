"""The ``log`` sender: one JSON line per message appended to a file — the embedded default,
so a newcomer sees exactly what would go out.

A chunk is one write, flushed and fsynced once, before any of its messages is reported as
sent (an fsync per message would cost several milliseconds each). Each message is still
classified on its own: one that cannot be written as a line (text that is not valid UTF-8,
say) is ``failed`` — it never would be — and the others of its chunk go out; a file that
cannot be written makes the whole chunk ``retry``."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path

from autoreply.senders import SendResult, message_fields
from autoreply.store import Claimed

_encode = json.JSONEncoder(ensure_ascii=False).encode  # built once, not per line


class LogSender:
    name = "log"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def send_batch(self, messages: Sequence[Claimed]) -> list[SendResult]:
        lines: list[bytes] = []
        results: list[SendResult | None] = []
        for m in messages:
            try:
                lines.append((_encode(message_fields(m, message_type=False)) + "\n").encode())
            except (TypeError, ValueError) as exc:  # ValueError: UnicodeEncodeError too
                results.append(SendResult.failed(f"cannot write as a JSON line: {exc}"))
            else:
                results.append(None)
        if lines:
            try:
                with self._lock, open(self.path, "ab") as fh:
                    fh.write(b"".join(lines))
                    fh.flush()
                    os.fsync(fh.fileno())
            except OSError as exc:
                return [SendResult.retry(f"cannot write {self.path}: {exc}") for _ in messages]
        sent = SendResult.sent(200)
        return [r or sent for r in results]

    def close(self) -> None:
        pass
