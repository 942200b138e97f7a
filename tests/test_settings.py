"""Settings: the file, the environment, the credentials directory, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from autoreply.errors import ConfigError
from autoreply.settings import load_settings
from tests.conftest import ConfigDir, write


def test_a_missing_settings_file_names_the_file(tmp_path: Path) -> None:
    """A settings file that does not exist is one clear error naming the path."""
    with pytest.raises(ConfigError) as err:
        load_settings(tmp_path / "nope.toml")
    assert str(err.value) == f"{tmp_path / 'nope.toml'}: settings file not found"


def test_a_toml_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    """A TOML typo is reported with the file, line and column where parsing stopped."""
    path = write(tmp_path / "a.toml", '[seller]\nname = "x"\ntimezone "UTC"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    message = str(err.value)
    assert message.startswith(f"{path}:3:10: TOML syntax error: ")


def test_a_bad_value_names_file_line_key_path_and_value(tmp_path: Path) -> None:
    """A validation error names the file, the line, the key path and the offending value."""
    path = write(tmp_path / "a.toml", '[seller]\nname = "x"\ntimezone = "Mars/Olympus"\n[intake]\nport = 99999\n')
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    lines = str(err.value).splitlines()
    assert f"{path}:3: seller.timezone: Value error, unknown time zone 'Mars/Olympus' (value: 'Mars/Olympus')" in lines
    assert any(line.startswith(f"{path}:5: intake.port: ") and "99999" in line for line in lines)


def test_an_unknown_key_is_rejected_with_its_path(tmp_path: Path) -> None:
    """A misspelt key is an error, not silently ignored."""
    path = write(tmp_path / "a.toml", "[seller]\ntimezon = 'UTC'\n")
    with pytest.raises(ConfigError, match=r"a.toml:2: seller.timezon: unknown setting"):
        load_settings(path)


def test_environment_overrides_the_file(cfgdir: ConfigDir, monkeypatch: pytest.MonkeyPatch) -> None:
    """AUTOREPLY_SECTION__KEY overrides the file's value."""
    cfgdir.write_settings()
    monkeypatch.setenv("AUTOREPLY_SELLER__NAME", "From Env")
    monkeypatch.setenv("AUTOREPLY_STORE__URL", "postgresql://postgres@127.0.0.1/x")
    settings = cfgdir.settings()
    assert settings.seller.name == "From Env"
    assert settings.database_url == "postgresql://postgres@127.0.0.1/x"


def test_a_bad_environment_value_names_the_variable(cfgdir: ConfigDir, monkeypatch: pytest.MonkeyPatch) -> None:
    """An invalid override is reported against the environment variable, not the file."""
    cfgdir.write_settings()
    monkeypatch.setenv("AUTOREPLY_INTAKE__PORT", "not-a-port")
    with pytest.raises(ConfigError, match=r"environment AUTOREPLY_INTAKE__PORT: intake.port: .*'not-a-port'"):
        cfgdir.settings()


def test_secrets_come_from_the_credentials_directory(cfgdir: ConfigDir, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A credential file named like the environment variable supplies the secret."""
    cfgdir.write_settings()
    creds = tmp_path / "creds"
    write(creds / "AUTOREPLY_INTAKE_TOKEN", "s3cret-token\n")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(creds))
    settings = cfgdir.settings()
    assert settings.intake_token is not None
    assert settings.intake_token.get_secret_value() == "s3cret-token"
    assert "s3cret" not in repr(settings)


def test_secrets_in_the_config_file_are_refused(tmp_path: Path) -> None:
    """A secret written into the config file is an error that says where secrets belong."""
    path = write(tmp_path / "a.toml", 'intake_token = "abc"\n')
    with pytest.raises(ConfigError, match=r"a.toml:1: intake_token: secrets do not belong in the config file"):
        load_settings(path)


def test_relative_paths_are_relative_to_the_config_file(cfgdir: ConfigDir) -> None:
    """state_dir, rules and templates resolve against the config file's directory."""
    cfgdir.write_settings()
    settings = cfgdir.settings()
    assert settings.state_path == cfgdir.root / "var"
    assert settings.rules_path == cfgdir.root / "config" / "rules.toml"
    assert settings.database_url == f"sqlite:///{cfgdir.root / 'var' / 'autoreply.db'}"


def test_the_shipped_settings_load() -> None:
    """The sample config in the repository is valid."""
    settings = load_settings(Path(__file__).parent.parent / "config" / "autoreply.toml")
    assert settings.senders.default == "log"
    assert settings.database_url.startswith("sqlite:///")
