"""The shipped unit file: systemd accepts it, and its hardening scores at most 2.0."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

UNIT = REPO / "systemd" / "autoreply.service"
pytestmark = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed"
)


@pytest.fixture
def unit_copy(tmp_path: Path) -> Path:
    """The unit with ExecStart pointing at this virtualenv's autoreply (verify checks the binary
    exists)."""
    binary = Path(sys.executable).parent / "autoreply"
    assert binary.exists(), binary
    text = UNIT.read_text().replace("/opt/autoreply/bin/autoreply", str(binary))
    path = tmp_path / "autoreply.service"
    path.write_text(text)
    return path


def test_systemd_analyze_verify_accepts_the_unit(unit_copy: Path) -> None:
    """`systemd-analyze verify` finds nothing wrong with the unit."""
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit_copy)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


def test_the_unit_is_hardened_to_an_exposure_of_at_most_2(unit_copy: Path) -> None:
    """`systemd-analyze security --offline=true` rates the unit 2.0 or better."""
    result = subprocess.run(
        ["systemd-analyze", "security", "--offline=true", "--no-pager", str(unit_copy)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    match = re.search(r"Overall exposure level for autoreply\.service: (\d+\.\d+)", result.stdout)
    assert match, result.stdout + result.stderr
    assert float(match.group(1)) <= 2.0, result.stdout


def test_the_unit_speaks_the_notify_protocol_the_daemon_implements() -> None:
    """Type=notify with a watchdog, reload by SIGHUP, state/config directories and a credential."""
    settings = {}
    for line in UNIT.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            settings.setdefault(key.strip(), []).append(value.strip())
    assert settings["Type"] == ["notify"]
    assert settings["ExecReload"] == ["/bin/kill -HUP $MAINPID"]
    assert settings["WatchdogSec"] and settings["DynamicUser"] == ["yes"]
    assert settings["StateDirectory"] == ["autoreply"] and settings["ConfigurationDirectory"] == [
        "autoreply"
    ]
    assert "AUTOREPLY_INTAKE_TOKEN" in settings["LoadCredential"]
    assert settings["Environment"][0] == "AUTOREPLY_STATE_DIR=/var/lib/autoreply"
