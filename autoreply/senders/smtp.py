"""The ``smtp`` sender: email to the buyer's marketplace relay address.

Amazon gives each buyer an encrypted alias (``…@marketplace.amazon.com``) that relays mail to
the buyer; the event carries it as ``buyer.email`` and the pipeline makes it the message's
recipient. Amazon only relays mail from the address registered in Seller Central, so
``from_address`` must be that one.

One connection per batch: STARTTLS (default) or implicit TLS, then AUTH when ``username`` is
set (password: secret ``AUTOREPLY_SMTP_PASSWORD``). Each message gets
``Message-ID: <message_id@domain>`` — the same on every attempt, so a receiving system can
drop a repeat — and ``Auto-Submitted`` (RFC 3834) so buyers' auto-responders stay quiet.

Reply codes classify: 2xx sent; 4xx retry; 5xx failed. Trouble with the connection, TLS or
login is retried whatever its code: it is not the message's fault, and fixing the setting
must let the queue drain without retrying messages by hand.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from autoreply.clock import Clock
from autoreply.senders import SendResult
from autoreply.settings import SmtpSenderSettings
from autoreply.store import Claimed


def _by_code(code: int, error: str) -> SendResult:
    if 200 <= code < 300:
        return SendResult.sent(code)
    if 400 <= code < 500:
        return SendResult.retry(error, code)
    return SendResult.failed(error, code)


def _text(reply: bytes | str) -> str:
    return (reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply))[:200]


class SmtpSender:
    name = "smtp"

    def __init__(self, settings: SmtpSenderSettings, password: str | None, clock: Clock) -> None:
        self.settings = settings
        self.password = password
        self.clock = clock
        self.domain = settings.message_id_domain or settings.from_address.rsplit("@", 1)[1]

    def _context(self) -> ssl.SSLContext:
        cafile = str(self.settings.ca_file) if self.settings.ca_file else None
        return ssl.create_default_context(cafile=cafile)

    def connect(self) -> smtplib.SMTP:
        s = self.settings
        smtp: smtplib.SMTP
        if s.security == "tls":
            smtp = smtplib.SMTP_SSL(
                s.host, s.port, timeout=s.timeout_seconds, context=self._context()
            )
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds)
        try:
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=self._context())
                smtp.ehlo()
            if s.username:
                smtp.login(s.username, self.password or "")
        except Exception:
            smtp.close()
            raise
        return smtp

    def build(self, m: Claimed) -> EmailMessage:
        s = self.settings
        mail = EmailMessage()
        mail["From"] = formataddr((s.from_name, s.from_address)) if s.from_name else s.from_address
        mail["To"] = m.recipient or ""
        if s.reply_to:
            mail["Reply-To"] = s.reply_to
        mail["Subject"] = m.subject or ""
        mail["Date"] = format_datetime(self.clock.now())
        mail["Message-ID"] = f"<{m.message_id}@{self.domain}>"
        mail["Auto-Submitted"] = "auto-replied" if m.kind == "welcome" else "auto-generated"
        mail["X-Autoreply-Message-Id"] = m.message_id
        if m.language:
            mail["Content-Language"] = m.language
        mail.set_content(m.body, charset="utf-8")
        return mail

    def send_batch(self, messages: Sequence[Claimed]) -> list[SendResult]:
        results: list[SendResult | None] = [None] * len(messages)
        for i, m in enumerate(messages):
            if not m.recipient or "@" not in m.recipient:
                results[i] = SendResult.failed("no email address for the buyer (buyer.email)")
        todo = [i for i, r in enumerate(results) if r is None]
        if not todo:
            return [r for r in results if r is not None]
        try:
            smtp = self.connect()
        except smtplib.SMTPResponseException as exc:
            error = f"SMTP {exc.smtp_code} while connecting: {_text(exc.smtp_error)}"
            return [r or SendResult.retry(error, exc.smtp_code) for r in results]
        except (OSError, smtplib.SMTPException) as exc:
            where = f"{self.settings.host}:{self.settings.port}"
            error = f"cannot connect to {where}: {type(exc).__name__}: {exc}"
            return [r or SendResult.retry(error) for r in results]
        try:
            for i in todo:
                try:
                    results[i] = self._send_one(smtp, messages[i])
                except smtplib.SMTPServerDisconnected:
                    break  # this one and the rest: retry (below)
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
        return [r or SendResult.retry("the SMTP server closed the connection") for r in results]

    def _send_one(self, smtp: smtplib.SMTP, m: Claimed) -> SendResult:
        try:
            refused = smtp.send_message(self.build(m))
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            return _by_code(code, f"SMTP {code} recipient refused: {_text(reply)}")
        except smtplib.SMTPServerDisconnected:
            raise
        except smtplib.SMTPResponseException as exc:
            return _by_code(exc.smtp_code, f"SMTP {exc.smtp_code}: {_text(exc.smtp_error)}")
        except (OSError, smtplib.SMTPException) as exc:
            return SendResult.retry(f"{type(exc).__name__}: {exc}")
        if refused:
            code, reply = next(iter(refused.values()))
            return _by_code(code, f"SMTP {code} recipient refused: {_text(reply)}")
        return SendResult.sent(250)

    def close(self) -> None:
        pass
