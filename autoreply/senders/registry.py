"""Build the configured senders from settings (``[senders.*]`` in autoreply.toml).

``log`` always exists; ``smtp``, ``webhook`` and ``amazon`` exist when their section is
present. A configured sender whose secret is missing stops the daemon at start, with the
name of the environment variable / credential file to set.
"""

from __future__ import annotations

from autoreply.clock import Clock
from autoreply.errors import ConfigError, Problem
from autoreply.senders import Sender
from autoreply.settings import ENV_PREFIX, Settings

#: every kind of sender autoreply has (config.py validates rules against the configured ones)
SENDER_KINDS = ("log", "smtp", "webhook", "amazon")


def _secret(settings: Settings, name: str, needed_by: str, problems: list[Problem]) -> str:
    value = getattr(settings, name)
    if value is None or not value.get_secret_value():
        problems.append(
            Problem(
                f"{needed_by} needs the secret {ENV_PREFIX}{name.upper()} (environment variable, "
                "or a file of that name in $CREDENTIALS_DIRECTORY)",
                file=str(settings.config_file),
                path=needed_by,
            )
        )
        return ""
    return str(value.get_secret_value())


def build_senders(settings: Settings, clock: Clock) -> dict[str, Sender]:
    from autoreply.senders.log import LogSender

    senders: dict[str, Sender] = {"log": LogSender(settings.state_file(settings.senders.log.path))}
    problems: list[Problem] = []
    cfg = settings.senders
    if cfg.smtp is not None:
        from autoreply.senders.smtp import SmtpSender

        password = (
            _secret(settings, "smtp_password", "senders.smtp", problems)
            if cfg.smtp.username
            else None
        )
        senders["smtp"] = SmtpSender(cfg.smtp, password, clock)
    if cfg.webhook is not None:
        from autoreply.senders.webhook import WebhookSender

        secret = _secret(settings, "webhook_secret", "senders.webhook", problems)
        senders["webhook"] = WebhookSender(cfg.webhook, secret, clock)
    if cfg.amazon is not None:
        from autoreply.senders.amazon import AmazonSender

        client_secret = _secret(settings, "amazon_client_secret", "senders.amazon", problems)
        refresh_token = _secret(settings, "amazon_refresh_token", "senders.amazon", problems)
        senders["amazon"] = AmazonSender(cfg.amazon, client_secret, refresh_token, clock)
    if problems:
        for sender in senders.values():
            sender.close()
        raise ConfigError(problems)
    return senders
