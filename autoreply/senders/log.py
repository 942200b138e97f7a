"""The ``log`` sender: one JSON line per message appended to a file — the embedded default,
so a newcomer sees exactly what would go out. Each batch is flushed and fsynced before it is
reported as sent."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path

from autoreply.senders import SendResult, message_fields
from autoreply.store import Claimed


class LogSender:
    name = "log"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def send_batch(self, messages: Sequence[Claimed]) -> list[SendResult]:
        lines = []
        for m in messages:
            lines.append(json.dumps(message_fields(m, message_type=False), ensure_ascii=False))
        try:
            with self._lock, open(self.path, "a", encoding="utf-8") as fh:
                fh.write("".join(line + "\n" for line in lines))
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            return [SendResult.retry(f"cannot write {self.path}: {exc}") for _ in messages]
        return [SendResult.sent(200) for _ in messages]

    def close(self) -> None:
        pass
