"""Daemon settings: ``config/autoreply.toml``, overridden by ``AUTOREPLY_…`` environment
variables (nested keys joined by ``__``, e.g. ``AUTOREPLY_STORE__URL``), plus secrets read
from the systemd credentials directory (``$CREDENTIALS_DIRECTORY``) or the environment.

A secret's file name is its environment variable's name, e.g. a credential file called
``AUTOREPLY_INTAKE_TOKEN``. Secrets are never read from the config file.

Relative paths in the config file are relative to the directory that holds it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar, Literal

import pytz
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from autoreply.durations import parse_duration
from autoreply.errors import ConfigError, Problem
from autoreply.tomlfile import TomlDocument, format_path, load_toml
from autoreply.windows import (
    Window,
    WindowFields,
)

ENV_PREFIX = "AUTOREPLY_"
DEFAULT_CONFIG = Path("config/autoreply.toml")
SECRET_FIELDS = (
    "intake_token",
    "webhook_secret",
    "smtp_password",
    "amazon_client_secret",
    "amazon_refresh_token",
)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StoreSettings(Section):
    url: str | None = Field(
        default=None,
        description="SQLAlchemy URL. Default: SQLite file autoreply.db in state_dir.",
    )
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    echo: bool = False


class IntakeSettings(Section):
    """The HTTP intake (docs/HTTP_API.md). The shared secret is ``AUTOREPLY_INTAKE_TOKEN``."""

    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = Field(default=8787, ge=0, le=65535, description="0 picks a free port")
    max_body_bytes: int = Field(default=5_000_000, ge=1024)
    max_events: int = Field(default=10_000, ge=1, description="events per request (413 beyond)")
    auth: Literal["any", "bearer", "hmac"] = Field(
        default="any",
        description="bearer: 'Authorization: Bearer <token>'; hmac: X-Autoreply-Timestamp + "
                    "X-Autoreply-Signature; any: either one",
    )
    hmac_max_skew_seconds: int = Field(default=300, ge=1, le=86_400)
    public_metrics: bool = Field(default=True, description="GET /metrics without the secret")
    drain_seconds: float = Field(default=10.0, ge=0, description="in-flight requests at stop")


class ServiceSettings(Section):
    stop_timeout_seconds: float = Field(
        default=20.0, gt=0, description="how long a stop waits for in-flight sends")


class LogSenderSettings(Section):
    path: Path = Path("outbox.jsonl")


class RateLimited(Section):
    """A token bucket per sender account: ``rate_per_second`` tokens refill, up to ``burst``.
    Unset ``rate_per_second`` means no limit. Shared by every dispatch worker of a daemon."""

    rate_per_second: float | None = Field(default=None, gt=0)
    burst: int = Field(default=1, ge=1)


class SmtpSenderSettings(RateLimited):
    """Email to the buyer's marketplace relay address (Amazon's @marketplace.amazon.com alias).
    The password comes from the secret AUTOREPLY_SMTP_PASSWORD."""

    host: str
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = None
    from_address: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    from_name: str | None = None
    reply_to: str | None = None
    timeout_seconds: float = Field(default=30.0, gt=0)
    ca_file: Path | None = Field(default=None, description="Extra CA bundle to trust (PEM)")
    message_id_domain: str | None = Field(
        default=None, description="Domain of the Message-ID header (default: from_address's)")


class WebhookSenderSettings(RateLimited):
    """JSON POST to the seller's system, signed with HMAC-SHA256 over ``timestamp.body`` using
    the secret AUTOREPLY_WEBHOOK_SECRET (headers: see docs/OUTBOX.md)."""

    url: str = Field(pattern=r"^https?://")
    connect_timeout_seconds: float = Field(default=5.0, gt=0)
    timeout_seconds: float = Field(default=15.0, gt=0)
    headers: dict[str, str] = Field(default_factory=dict, description="extra request headers")


class AmazonSenderSettings(RateLimited):
    """SP-API Messaging. The client secret and refresh token come from the secrets
    AUTOREPLY_AMAZON_CLIENT_SECRET and AUTOREPLY_AMAZON_REFRESH_TOKEN."""

    rate_per_second: float | None = Field(default=1.0, gt=0)
    burst: int = Field(default=5, ge=1)
    client_id: str = Field(min_length=1)
    region: Literal["na", "eu", "fe"] = "na"
    endpoint: str | None = Field(default=None, pattern=r"^https?://",
                                 description="SP-API base URL (default: the region's)")
    token_url: str = Field(default="https://api.amazon.com/auth/o2/token", pattern=r"^https?://")
    timeout_seconds: float = Field(default=15.0, gt=0)
    marketplace_ids: dict[str, str] = Field(
        default_factory=dict, description="marketplace country code -> Amazon marketplace id "
        "(overrides the built-in table)")
    message_types: dict[str, str] = Field(
        default_factory=dict, description="event kind -> Amazon message type, for rules that "
        "name no message_type (e.g. out_of_stock = 'unexpectedProblem')")


class SenderSettings(Section):
    default: str = "log"
    platforms: dict[str, str] = Field(
        default_factory=dict, description="platform -> sender name, e.g. amazon = 'amazon'"
    )
    log: LogSenderSettings = Field(default_factory=LogSenderSettings)
    smtp: SmtpSenderSettings | None = None
    webhook: WebhookSenderSettings | None = None
    amazon: AmazonSenderSettings | None = None

    def configured(self) -> list[str]:
        """The senders this file sets up (``log`` always exists)."""
        return ["log", *(name for name in ("smtp", "webhook", "amazon")
                         if getattr(self, name) is not None)]


class SellerSettings(Section):
    name: str = "Our store"
    timezone: str = "Asia/Shanghai"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in pytz.all_timezones_set:
            raise ValueError(f"unknown time zone {value!r}")
        return value


class BusinessHoursSettings(WindowFields):
    """The seller's working hours, on the seller's clock (SLA deadlines, ``business_hours``
    rules). Same syntax as a rule's window; ``holiday_calendar`` names a country ("CN")."""

    buyer_calendar: ClassVar[bool] = False

    timezone: str | None = Field(default=None, description="Default: seller.timezone")
    hours: str | list[str] = "09:00-22:00"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None and value not in pytz.all_timezones_set:
            raise ValueError(f"unknown time zone {value!r}")
        return value

    def window(self) -> Window:
        return self.compile("business_hours")


def _duration(value: str | None) -> str | None:
    if value is not None:
        parse_duration(value)
    return value


class SlaPlatformSettings(Section):
    first_response: str | None = None
    business_time: bool | None = None
    hard_limit: str | None = None

    _durations = field_validator("first_response", "hard_limit")(classmethod(
        lambda cls, v: _duration(v)))


class SlaSettings(Section):
    """Response-time SLAs (docs/TIME.md): each buyer message opens a clock."""

    enabled: bool = True
    first_response: str = Field(default="2h", description="Due within this much business time")
    business_time: bool = Field(default=True, description="Count first_response in business hours")
    hard_limit: str = Field(default="24h", description="Never later than this after the message")
    warn_before: str = Field(default="30m", description="Warn this long before the deadline")
    check_interval_seconds: float = Field(default=30.0, gt=0)
    webhook_url: str | None = Field(default=None, description="POST warnings here (JSON)")
    webhook_timeout_seconds: float = Field(default=5.0, gt=0)
    platforms: dict[str, SlaPlatformSettings] = Field(default_factory=dict)

    _durations = field_validator("first_response", "hard_limit", "warn_before")(classmethod(
        lambda cls, v: _duration(v)))

    @field_validator("webhook_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("webhook_url must start with http:// or https://")
        return value or None


class LanguageSettings(Section):
    default: str = "en"
    accuracy: Literal["high", "low"] = Field(
        default="high",
        description="high: lingua's full models (~450 MB); low: ~8x less memory, a little less sure.",
    )
    min_confidence: float = Field(
        default=0.5, ge=0.0, le=1.0,
        description="Below this the buyer's words do not decide; locale, marketplace, country do.",
    )


class WorkerSettings(Section):
    interval_seconds: float = Field(default=0.5, gt=0)
    batch_size: int = Field(default=200, ge=1, le=10_000)


class DispatchSettings(Section):
    interval_seconds: float = Field(default=0.5, gt=0)
    batch_size: int = Field(default=200, ge=1, le=10_000)
    max_batch_size: int = Field(
        default=1000, ge=1, le=10_000,
        description="a claim that comes back full doubles the next, up to this (a backlog)")
    chunk_size: int = Field(
        default=100, ge=1, le=10_000,
        description="messages sent between two commits of their results: what a crash can repeat")
    workers: int = Field(default=2, ge=1, le=64, description="dispatch threads in one daemon")
    lease_seconds: float = Field(default=60.0, gt=0)
    max_attempts: int = Field(default=8, ge=1)
    retry_base_seconds: float = Field(default=30.0, gt=0)
    retry_max_seconds: float = Field(default=6 * 3600.0, gt=0)
    max_age_seconds: float = Field(
        default=48 * 3600.0, gt=0,
        description="a message not delivered this long after its send time is dead-lettered")


class PathSettings(Section):
    rules: Path = Path("rules.toml")
    templates: Path = Path("../templates")


class ComplianceSettings(Section):
    policy: Path | None = Field(
        default=None,
        description="The seller's compliance file (terms, allowed domains, overrides), e.g. compliance.toml.",
    )
    per_buyer_per_day: int = Field(
        default=3, ge=1, le=1000,
        description="Proactive messages to one buyer in 24 hours before the next is blocked.")
    average_daily_orders: float = Field(default=0.0, ge=0,
                                        description="Amazon cap: 5 × average daily orders + 600 messages a day.")


class LogSettings(Section):
    level: Literal["debug", "info", "warning", "error"] = "info"
    format: Literal["auto", "json", "console"] = "auto"


class Settings(BaseSettings):
    """Everything the daemon and the CLI need to know, validated once at load."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        case_sensitive=False,
    )

    state_dir: Path = Path("var")
    store: StoreSettings = Field(default_factory=StoreSettings)
    intake: IntakeSettings = Field(default_factory=IntakeSettings)
    senders: SenderSettings = Field(default_factory=SenderSettings)
    seller: SellerSettings = Field(default_factory=SellerSettings)
    language: LanguageSettings = Field(default_factory=LanguageSettings)
    business_hours: BusinessHoursSettings = Field(default_factory=BusinessHoursSettings)
    sla: SlaSettings = Field(default_factory=SlaSettings)
    worker: WorkerSettings = Field(default_factory=WorkerSettings)
    dispatch: DispatchSettings = Field(default_factory=DispatchSettings)
    paths: PathSettings = Field(default_factory=PathSettings)
    log: LogSettings = Field(default_factory=LogSettings)
    compliance: ComplianceSettings = Field(default_factory=ComplianceSettings)
    service: ServiceSettings = Field(default_factory=ServiceSettings)
    clock_start: str | None = Field(
        default=None,
        description="Run as if the clock started at this ISO instant (tests and demos only).",
    )

    # Secrets: environment or credentials directory only (rejected in the config file).
    intake_token: SecretStr | None = None
    webhook_secret: SecretStr | None = None
    smtp_password: SecretStr | None = None
    amazon_client_secret: SecretStr | None = None
    amazon_refresh_token: SecretStr | None = None

    # Where the settings came from; filled by load_settings().
    config_file: Path = Path("config/autoreply.toml")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The file's values come in as init kwargs: lowest priority, so the
        # environment and the credentials directory override them.
        return (env_settings, file_secret_settings, init_settings)

    # -- derived paths ----------------------------------------------------------------
    @property
    def base_dir(self) -> Path:
        return self.config_file.parent

    def resolve(self, path: Path) -> Path:
        return path if path.is_absolute() else Path(os.path.normpath(self.base_dir / path))

    @property
    def state_path(self) -> Path:
        return self.resolve(self.state_dir)

    @property
    def rules_path(self) -> Path:
        return self.resolve(self.paths.rules)

    @property
    def templates_path(self) -> Path:
        return self.resolve(self.paths.templates)

    @property
    def database_url(self) -> str:
        if self.store.url:
            return self.store.url
        return f"sqlite:///{self.state_path / 'autoreply.db'}"

    @property
    def compliance_policy_path(self) -> Path | None:
        return self.resolve(self.compliance.policy) if self.compliance.policy else None

    def state_file(self, path: Path) -> Path:
        return path if path.is_absolute() else self.state_path / path


def _credentials_dir() -> Path | None:
    value = os.environ.get("CREDENTIALS_DIRECTORY")
    if value and Path(value).is_dir():
        return Path(value)
    return None


def load_settings(config_file: Path | None = None) -> Settings:
    """Load settings from ``config_file`` (default ``$AUTOREPLY_CONFIG`` or
    ``config/autoreply.toml``), the environment and the credentials directory.

    Raises :class:`ConfigError` naming the file, line, key path and value of every problem.
    """
    path = Path(config_file or os.environ.get(f"{ENV_PREFIX}CONFIG") or DEFAULT_CONFIG)
    doc = load_toml(path, what="settings file")
    data: dict[str, Any] = dict(doc.data)

    problems = [
        doc.problem(
            (name,),
            "secrets do not belong in the config file; set the environment variable "
            f"{ENV_PREFIX}{name.upper()} or a credential file of that name",
        )
        for name in (*SECRET_FIELDS, "config_file")
        if name in data
    ]
    if problems:
        raise ConfigError(problems)

    secrets_dir = _credentials_dir()
    try:
        return Settings(
            **data,
            config_file=path,
            _secrets_dir=str(secrets_dir) if secrets_dir else None,  # type: ignore[call-arg]
        )
    except ValidationError as exc:
        raise ConfigError(_explain(exc, doc)) from None


def _explain(exc: ValidationError, doc: TomlDocument) -> list[Problem]:
    problems: list[Problem] = []
    upper_env = {k.upper(): k for k in os.environ}
    for error in exc.errors():
        loc = tuple(error["loc"])
        value = error.get("input")
        shown = "" if isinstance(value, dict) else f" (value: {value!r})"
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown setting"
            shown = ""
        env_name = ENV_PREFIX + "__".join(str(p) for p in loc).upper()
        if env_name in upper_env:
            problems.append(
                Problem(f"{message}{shown}", file=f"environment {upper_env[env_name]}",
                        path=format_path(loc))
            )
        else:
            problem = doc.problem(loc, f"{message}{shown}")
            problems.append(problem)
    return problems
