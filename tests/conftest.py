"""Shared fixtures: real SQLite files, a throwaway PostgreSQL database per test run, and
configs written from inline TOML."""

from __future__ import annotations

import os
import shutil
import textwrap
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from autoreply.config import Config, load_config
from autoreply.settings import Settings, load_settings
from autoreply.store import Store

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
EXAMPLES = REPO / "examples" / "events"    # replies the sample config sends at once
NOTICES = REPO / "examples" / "notices"    # proactive notices: wait for the buyer's window
PG_ADMIN_URL = os.environ.get("AUTOREPLY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


# --------------------------------------------------------------------------- PostgreSQL
@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A database created for this test run (per xdist worker) and dropped after it.

    Set AUTOREPLY_TEST_PG=skip to run without PostgreSQL (CI never does)."""
    if PG_ADMIN_URL == "skip":
        pytest.skip("AUTOREPLY_TEST_PG=skip")
    import psycopg

    name = f"autoreply_test_{uuid.uuid4().hex[:12]}"
    admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        conn = psycopg.connect(admin, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL at {admin} is not reachable ({exc}); start it or set "
                    "AUTOREPLY_TEST_PG=skip", pytrace=False)
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _reset_pg(url: str) -> None:
    from autoreply.store import metadata

    store = Store(url)
    metadata.drop_all(store.engine)
    store.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a real SQLite file, or the real PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
    else:
        url = request.getfixturevalue("pg_url")
        _reset_pg(url)
        yield url
        _reset_pg(url)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    s.migrate()
    yield s
    s.close()


# --------------------------------------------------------------------------- configs
def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


class ConfigDir:
    """A config directory in tmp: settings, rules and templates written from strings."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.settings_file = root / "config" / "autoreply.toml"
        self.rules_file = root / "config" / "rules.toml"
        self.templates = root / "templates"

    def settings_text(self, extra: str = "") -> str:
        return textwrap.dedent("""
            state_dir = "../var"
            [seller]
            name = "Test Shop"
            timezone = "Asia/Shanghai"
            [intake]
            enabled = false
            [paths]
            rules = "rules.toml"
            templates = "../templates"
        """) + textwrap.dedent(extra)

    def write_settings(self, extra: str = "") -> ConfigDir:
        write(self.settings_file, self.settings_text(extra))
        return self

    def write_rules(self, text: str) -> ConfigDir:
        write(self.rules_file, text)
        return self

    def write_template(self, name: str, lang: str, subject: str, body: str) -> ConfigDir:
        write(self.templates / name / f"{lang}.j2",
              f"{{% block subject %}}{subject}{{% endblock %}}\n{{% block body %}}\n{body}\n{{% endblock %}}\n")
        return self

    def copy_shipped(self) -> ConfigDir:
        """The shipped rules and templates, with settings of our own (state in tmp)."""
        self.rules_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "config" / "rules.toml", self.rules_file)
        shutil.copytree(REPO / "templates", self.templates, dirs_exist_ok=True)
        if not self.settings_file.exists():
            self.write_settings()
        return self

    def settings(self) -> Settings:
        return load_settings(self.settings_file)

    def config(self) -> Config:
        return load_config(self.settings())


@pytest.fixture
def cfgdir(tmp_path: Path) -> ConfigDir:
    return ConfigDir(tmp_path)


def event_data(**overrides: Any) -> dict[str, Any]:
    """A valid event; keyword arguments replace top-level blocks."""
    data: dict[str, Any] = {
        "id": f"evt-{uuid.uuid4().hex[:10]}",
        "kind": "welcome",
        "platform": "aliexpress",
        "marketplace": "ES",
        "occurred_at": "2026-11-22T11:59:00Z",
        "buyer": {"id": "b-1", "name": "Lucía", "country": "ES", "locale": "es-ES"},
        "order": {"id": "8012345678901234", "items": [{"sku": "TSHIRT-M-RED", "title": "T-shirt"}]},
        "message": {"text": "Hola, ¿tienen la talla M?", "received_at": "2026-11-22T11:58:50Z"},
    }
    data.update(overrides)
    return data


# --------------------------------------------------------------------------- language
@pytest.fixture(scope="session")
def detector() -> Any:
    """The default (high-accuracy) detector for the 16 shipped languages, loaded once per session
    (per xdist worker) and shared with in-process CLI runs through langdetect.build's cache."""
    from autoreply.langdetect import DEFAULT_LANGUAGES, build

    return build(DEFAULT_LANGUAGES, "high")


@pytest.fixture(scope="session")
def low_detector() -> Any:
    """The low-memory detector for the 16 shipped languages, loaded once per session."""
    from autoreply.langdetect import DEFAULT_LANGUAGES, build

    return build(DEFAULT_LANGUAGES, "low")
