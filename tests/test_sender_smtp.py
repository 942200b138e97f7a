"""The smtp sender against a real SMTP server (aiosmtpd): STARTTLS with a certificate made in
the test, AUTH, the message as the buyer's relay address receives it, and reply codes."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from autoreply.clock import FixedClock
from autoreply.dispatch import Dispatcher
from autoreply.senders.smtp import SmtpSender
from autoreply.settings import DispatchSettings, SmtpSenderSettings
from autoreply.store import Store
from tests.conftest import NOW
from tests.test_store import message

RELAY = "x7f3kq2m9p1z@marketplace.amazon.com"


@dataclass
class Mailbox:
    """The server side: what arrived, and scripted RCPT answers per recipient."""

    received: list[tuple[str, list[str], Message]] = field(default_factory=list)
    rcpt_answers: dict[str, str] = field(default_factory=dict)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        answer = self.rcpt_answers.get(address)
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(
            (envelope.mail_from, list(envelope.rcpt_tos), message_from_bytes(envelope.content))
        )
        return "250 Message accepted"


def authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == b"shop"
        and auth_data.password == b"pw-123"
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def server(ca: trustme.CA, tmp_path: Path) -> Iterator[tuple[Mailbox, int, Path]]:
    """A STARTTLS-only SMTP server requiring AUTH, with a certificate for 127.0.0.1."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=authenticator,
    )
    controller.start()
    try:
        yield mailbox, port, ca_file
    finally:
        controller.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sender(port: int, ca_file: Path | None, password: str = "pw-123", **extra: Any) -> SmtpSender:
    settings = SmtpSenderSettings(
        host="127.0.0.1",
        port=port,
        username="shop",
        from_address="orders@lumen-trading.example",
        from_name="Lumen Trading",
        ca_file=ca_file,
        timeout_seconds=5,
        **extra,
    )
    return SmtpSender(settings, password, FixedClock(NOW))


def send(store: Store, smtp: SmtpSender, *keys: str, recipient: str = RELAY) -> None:
    with store.begin() as conn:
        store.insert_messages(
            conn,
            [
                message(
                    k,
                    channel="smtp",
                    recipient=recipient,
                    kind="out_of_stock",
                    subject="Sobre su pedido",
                )
                for k in keys
            ],
            NOW,
        )
    Dispatcher(store, {"smtp": smtp}, FixedClock(NOW), DispatchSettings(), "w").drain()


def test_mail_reaches_the_relay_address_over_starttls_with_auth(
    store: Store, server: tuple[Mailbox, int, Path]
) -> None:
    """The buyer's relay alias gets the text, from the seller's address, with a Message-ID made of our message id."""
    mailbox, port, ca_file = server
    send(store, sender(port, ca_file), "e1:r")
    row = store.get_message("e1:r")
    assert row is not None and row.status == "sent" and row.last_status_code == 250
    ((mail_from, rcpts, mail),) = mailbox.received
    assert mail_from == "orders@lumen-trading.example" and rcpts == [RELAY]
    assert mail["Message-ID"] == f"<{row.message_id}@lumen-trading.example>"
    assert mail["Subject"] == "Sobre su pedido" and mail["Auto-Submitted"] == "auto-generated"
    assert mail["From"] == "Lumen Trading <orders@lumen-trading.example>"
    assert mail.get_payload(decode=True).decode().strip() == "hola"


def test_an_untrusted_certificate_is_not_accepted(
    store: Store, server: tuple[Mailbox, int, Path]
) -> None:
    """Without the CA that signed the server's certificate, STARTTLS fails and nothing is sent (retry)."""
    mailbox, port, _ = server
    send(store, sender(port, None), "e1:r")
    row = store.get_message("e1:r")
    assert row is not None and row.status == "scheduled" and "SSL" in (row.last_error or "")
    assert mailbox.received == []


def test_a_wrong_password_is_retried_not_failed(
    store: Store, server: tuple[Mailbox, int, Path]
) -> None:
    """A login refused (535) is the configuration's fault: the message waits for the fix instead of failing."""
    mailbox, port, ca_file = server
    send(store, sender(port, ca_file, password="nope"), "e1:r")
    row = store.get_message("e1:r")
    assert row is not None and row.status == "scheduled" and row.last_status_code == 535
    assert mailbox.received == []


@pytest.mark.parametrize(
    ("answer", "status", "code"),
    [
        ("450 4.2.1 Mailbox busy, try later", "scheduled", 450),
        ("550 5.1.1 No such relay alias", "failed", 550),
    ],
)
def test_reply_codes_classify_the_result(
    store: Store, server: tuple[Mailbox, int, Path], answer: str, status: str, code: int
) -> None:
    """A 4xx answer to RCPT is retried later; a 5xx is permanent."""
    mailbox, port, ca_file = server
    mailbox.rcpt_answers[RELAY] = answer
    send(store, sender(port, ca_file), "e1:r")
    row = store.get_message("e1:r")
    assert row is not None and row.status == status and row.last_status_code == code
    assert [a.status_code for a in store.attempts_of(row.id)] == [code]


def test_one_refused_recipient_does_not_stop_the_batch(
    store: Store, server: tuple[Mailbox, int, Path]
) -> None:
    """In one connection, a refused message fails alone and the others go out."""
    mailbox, port, ca_file = server
    mailbox.rcpt_answers["gone@marketplace.amazon.com"] = "550 5.1.1 unknown"
    smtp = sender(port, ca_file)
    with store.begin() as conn:
        store.insert_messages(
            conn,
            [
                message("a:r", channel="smtp", recipient=RELAY),
                message("b:r", channel="smtp", recipient="gone@marketplace.amazon.com"),
                message("c:r", channel="smtp", recipient=RELAY),
            ],
            NOW,
        )
    Dispatcher(store, {"smtp": smtp}, FixedClock(NOW), DispatchSettings(), "w").drain()
    assert {k: store.get_message(k).status for k in ("a:r", "b:r", "c:r")} == {  # type: ignore[union-attr]
        "a:r": "sent",
        "b:r": "failed",
        "c:r": "sent",
    }
    assert len(mailbox.received) == 2


def test_a_buyer_without_an_email_address_fails_without_connecting(
    store: Store, server: tuple[Mailbox, int, Path]
) -> None:
    """No relay address (buyer.email) is permanent: there is nobody to write to."""
    _, port, ca_file = server
    send(store, sender(port, ca_file), "e1:r", recipient="b-77")
    row = store.get_message("e1:r")
    assert row is not None and row.status == "failed" and "buyer.email" in (row.last_error or "")


def test_an_unreachable_server_is_retried(store: Store, tmp_path: Path) -> None:
    """Connection refused is temporary: the message stays queued."""
    send(store, sender(free_port(), None), "e1:r")
    row = store.get_message("e1:r")
    assert (
        row is not None and row.status == "scheduled" and "cannot connect" in (row.last_error or "")
    )
