"""`autoreply queue …` and `autoreply status` on a real outbox (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from autoreply.store import AttemptResult, Store
from tests.conftest import NOW, ConfigDir
from tests.test_cli import run
from tests.test_store import message


def setup(cfgdir: ConfigDir, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Store:
    cfgdir.copy_shipped()
    cfgdir.write_settings(f'[store]\nurl = "{db_url}"\n')
    monkeypatch.setenv("AUTOREPLY_CLOCK_START", NOW.isoformat())
    store = Store(db_url)
    store.migrate()
    with store.begin() as conn:
        store.insert_messages(
            conn,
            [
                message("a:r"),
                message("b:r"),
                message("c:r"),
                message("later:r", send_at=NOW + timedelta(hours=2)),
            ],
            NOW,
        )
    claimed = {
        c.idempotency_key: c
        for c in store.claim_due(now=NOW, limit=3, lease=timedelta(seconds=60), worker="w")
    }
    store.record_results(
        [
            AttemptResult(claimed["a:r"].id, "sent", 201, None, NOW, NOW),
            AttemptResult(
                claimed["b:r"].id,
                "failed",
                403,
                "Unauthorized: not eligible",
                NOW,
                NOW,
                reason="permanent: 403 Unauthorized: not eligible",
            ),
            AttemptResult(
                claimed["c:r"].id,
                "retry",
                503,
                "ServiceUnavailable",
                NOW,
                NOW,
                NOW - timedelta(minutes=1),
            ),
        ],
        worker="w",
    )
    return store


def test_list_show_retry_cancel_and_status(
    cfgdir: ConfigDir, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A seller's engineer sees each state, every attempt, and can retry a failure or cancel a pending message."""
    store = setup(cfgdir, db_url, monkeypatch)
    failed = json.loads(run(cfgdir, "queue", "list", "--status", "failed", "--json")[1])
    assert [(m["event_id"], m["last_status_code"]) for m in failed] == [("b", 403)]
    b_id = str(failed[0]["id"])
    shown = json.loads(run(cfgdir, "queue", "show", b_id, "--json")[1])
    assert shown["status_reason"] == "permanent: 403 Unauthorized: not eligible"
    assert [
        (a["number"], a["outcome"], a["status_code"], a["error"]) for a in shown["attempt_log"]
    ] == [(1, "failed", 403, "Unauthorized: not eligible")]
    text = run(cfgdir, "queue", "show", b_id)[1]
    assert "#1" in text and "403" in text

    status = json.loads(run(cfgdir, "status", "--json")[1])
    assert status["outbox"] == {"sent": 1, "failed": 1, "scheduled": 2}
    assert status["due_now"] == 1 and status["oldest_due"] == "2026-11-22T11:59:00Z"
    assert status["attempts_last_hour"] == {"sent": 1, "failed": 1, "retry": 1}
    assert status["sent_last_hour"] == 1
    assert {e["status_code"] for e in status["last_errors"]} == {403, 503}

    assert run(cfgdir, "queue", "retry", b_id) == (0, f"message {b_id} retried\n", "")
    row = store.get_message("b:r")
    assert row is not None and row.status == "scheduled" and row.attempts == 0
    assert run(cfgdir, "queue", "cancel", "later:r")[0] == 0
    code, _, err = run(cfgdir, "queue", "cancel", "later:r")
    assert code == 1 and "is cancelled; only scheduled messages can be cancelled" in err
    code, _, err = run(cfgdir, "queue", "retry", "a:r")
    assert code == 1 and "is sent" in err
    store.close()
