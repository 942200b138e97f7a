"""Delivery end to end, with daemons as subprocesses and a real webhook receiver counting by
message id: several daemons on one PostgreSQL share the work without doubling it, and a
daemon killed with SIGKILL at full rate loses nothing. (bench/delivery.py runs the same with
10,000 messages and repeated kills, and writes the figures to docs/.)"""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from tests.conftest import ConfigDir
from tests.harness import SECRET, DaemonProc, configure, enqueue, sent_count, wait_for, workers_of
from tests.receivers import WebhookReceiver, webhook_receiver

pytestmark = pytest.mark.slow


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with webhook_receiver(SECRET.encode()) as r:
        yield r


def test_two_daemons_on_one_postgresql_deliver_each_message_exactly_once(
    cfgdir: ConfigDir, pg_url: str, receiver: WebhookReceiver
) -> None:
    """1,000 messages due at once, two daemons claiming with SKIP LOCKED: every message once, none left."""
    from tests.conftest import _reset_pg

    _reset_pg(pg_url)
    env = configure(cfgdir, db_url=pg_url, webhook_url=receiver.url)
    daemons = [DaemonProc(cfgdir, env, f"d{i}").launch() for i in range(2)]
    try:
        for d in daemons:
            d.wait_ready()
        ids = enqueue(pg_url, 1000)
        wait_for(
            lambda: sent_count(pg_url).get("sent") == 1000,
            what="1000 sent",
            timeout=300,
            procs=[d.proc for d in daemons if d.proc],
        )
        for d in daemons:
            assert d.stop() == 0
    finally:
        for d in daemons:
            d.kill()
    assert set(receiver.delivered) == set(ids)
    assert max(receiver.delivered.values()) == 1, "a message was delivered twice"
    assert sent_count(pg_url) == {"sent": 1000}
    shares = workers_of(pg_url)
    assert len(shares) == 2 and min(shares.values()) > 0, f"one daemon did all the work: {shares}"
    assert receiver.bad_signatures == 0


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sigkill_at_full_rate_loses_nothing_and_repeats_keep_their_id(
    cfgdir: ConfigDir, receiver: WebhookReceiver, request: pytest.FixtureRequest, backend: str
) -> None:
    """Killed mid-send and restarted: every message arrives; a repeat has the same message id, and at most
    one chunk per dispatch worker is repeated."""
    if backend == "sqlite":
        db_url = f"sqlite:///{cfgdir.root / 'kill.db'}"
    else:
        from tests.conftest import _reset_pg

        db_url = request.getfixturevalue("pg_url")
        _reset_pg(db_url)
    env = configure(
        cfgdir, db_url=db_url, webhook_url=receiver.url, lease_seconds=2, workers=2, chunk_size=20
    )
    ids = enqueue(db_url, 400)
    daemon = DaemonProc(cfgdir, env, "killed")
    try:
        daemon.start()
        wait_for(
            lambda: len(receiver.delivered) >= 100,
            what="100 delivered",
            procs=[daemon.proc] if daemon.proc else [],
        )
        daemon.proc.send_signal(signal.SIGKILL)  # type: ignore[union-attr]
        daemon.proc.wait()  # type: ignore[union-attr]
        at_kill = len(receiver.delivered)
        daemon.start()
        wait_for(
            lambda: sent_count(db_url).get("sent") == 400,
            what="all sent after restart",
            timeout=300,
            procs=[daemon.proc] if daemon.proc else [],  # a restarted daemon that dies fails at once
        )
        assert daemon.stop() == 0
    finally:
        daemon.kill()
    assert at_kill < 400, "the kill came too late to test anything"
    assert set(receiver.delivered) == set(ids), "a message was lost"
    repeats = {mid: n for mid, n in receiver.delivered.items() if n > 1}
    assert sum(n - 1 for n in repeats.values()) <= 2 * 20, repeats
    assert all(n == 2 for n in repeats.values())
