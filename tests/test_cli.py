"""The command line as users and scripts see it: output, JSON fields and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from autoreply.cli import cli
from tests.conftest import EXAMPLES, NOTICES, ConfigDir, event_data, write


def run(cfg: ConfigDir, *args: str, input: str | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(cli, ["--config", str(cfg.settings_file), *args], input=input,
                           catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def shipped(cfgdir: ConfigDir) -> ConfigDir:
    return cfgdir.copy_shipped()


def test_preview_json_has_the_contract_fields_and_exit_0(shipped: ConfigDir) -> None:
    """preview --json prints one object with the documented fields; a queued message exits 0."""
    code, out, _ = run(shipped, "preview", str(EXAMPLES / "welcome-aliexpress-canary.json"),
                       "--now", "2026-11-22T01:02:10Z", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["decision"] == "queue" and data["rule"] == "welcome"
    assert data["timezone"] == "Atlantic/Canary"
    assert data["send_at"] == "2026-11-22T01:02:10+00:00" and data["send_at_utc"] == "2026-11-22T01:02:10Z"
    assert data["message"]["body"].startswith("Hola Lucía")


def test_preview_exit_codes(shipped: ConfigDir, tmp_path: Path) -> None:
    """4 when no rule matches or a rule skips, 1 for bad input, 3 when compliance blocks."""
    no_rule = write(tmp_path / "n.json", json.dumps(event_data(kind="nothing_matches_this")))
    skipped = write(tmp_path / "s.json",
                    json.dumps(event_data(platform="amazon", buyer={"id": "b", "opted_out": True})))
    bad = write(tmp_path / "b.json", json.dumps({**event_data(), "colour": "red"}))
    assert run(shipped, "preview", str(no_rule))[0] == 4
    assert run(shipped, "preview", str(skipped))[0] == 4
    code, _, err = run(shipped, "preview", str(bad))
    assert code == 1 and f"{bad}: colour: unknown field" in err
    shipped.write_template("welcome", "en", "x", "Visit www.example.com for more")
    blocked = write(tmp_path / "k.json", json.dumps(event_data(buyer={"id": "b", "locale": "en"}, message=None)))
    code, out, _ = run(shipped, "preview", str(blocked), "--json")
    assert code == 3 and json.loads(out)["compliance"]["verdict"] == "block"


def test_preview_human_output_explains_the_rules(shipped: ConfigDir) -> None:
    """The human view shows the decision and why each rule matched or not."""
    code, out, _ = run(shipped, "preview", str(NOTICES / "logistics-delayed-amazon-germany.json"),
                       "--now", "2026-11-22T12:00:00Z")
    assert code == 0
    assert "rule       logistics-delayed" in out
    assert "platform: 'amazon' is not 'amazon'" not in out
    assert "✗ welcome" in out and "kind: 'logistics_update' is not 'welcome'" in out


def test_check_passes_on_the_shipped_config(shipped: ConfigDir) -> None:
    """autoreply check: every file OK, exit 0."""
    code, out, _ = run(shipped, "check")
    assert code == 0, out
    assert "FAILED" not in out
    assert out.strip().splitlines()[-1].endswith("files OK")


def test_check_fails_with_file_and_line_on_a_broken_template(shipped: ConfigDir) -> None:
    """A template syntax error fails check, naming the template's file and line."""
    path = shipped.templates / "welcome" / "en.j2"
    text = path.read_text().replace("{% if buyer.name %}", "{% if buyer.name %", 1)
    path.write_text(text)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "{% if buyer.name %" in ln)
    code, out, _ = run(shipped, "check")
    assert code == 1
    assert f"FAILED  {path}" in out
    assert f"{path}:{line}: template syntax error" in out


def test_check_fails_on_a_rule_naming_a_missing_template(shipped: ConfigDir) -> None:
    """A rule pointing at a template that does not exist fails with rules.toml:line."""
    text = shipped.rules_file.read_text().replace('template = "out_of_stock"', 'template = "out_of_stok"')
    shipped.rules_file.write_text(text)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "out_of_stok\"" in ln)
    code, out, _ = run(shipped, "check")
    assert code == 1
    assert (f"{shipped.rules_file}:{line}: rules[2].template: "
            "rule 'out-of-stock' uses undefined template 'out_of_stok'") in out


def test_check_fails_on_a_toml_typo(shipped: ConfigDir) -> None:
    """A TOML syntax error in rules.toml is reported with line and column."""
    shipped.rules_file.write_text(shipped.rules_file.read_text().replace('name = "welcome"', 'name = "welcome'))
    code, out, _ = run(shipped, "check")
    assert code == 1
    assert f"{shipped.rules_file}:" in out and "TOML syntax error" in out


def test_check_fails_when_a_template_would_be_blocked(shipped: ConfigDir) -> None:
    """Rendering every rule × language with sample data catches a template compliance would block."""
    shipped.write_template("logistics_delivered", "en", "x", "Delivered! Visit our-shop.com")
    code, out, _ = run(shipped, "check")
    assert code == 1
    assert "compliance would block it: external_link 'our-shop.com'" in out


def test_check_reports_a_bad_settings_file(cfgdir: ConfigDir) -> None:
    """A broken settings file fails check with its own line."""
    write(cfgdir.settings_file, "[seller\n")
    code, out, _ = run(cfgdir, "check")
    assert code == 1 and f"FAILED  {cfgdir.settings_file}" in out and ":1:" in out


def test_submit_validates_everything_before_storing_anything(shipped: ConfigDir, tmp_path: Path) -> None:
    """One bad event among good ones: nothing stored, every problem named, exit 1."""
    good = write(tmp_path / "good.json", json.dumps(event_data(id="g1")))
    bad = write(tmp_path / "bad.json", json.dumps([event_data(id="g2"), {**event_data(id="g3"), "kind": "Not A Slug"}]))
    code, _, err = run(shipped, "submit", str(good), str(bad))
    assert code == 1
    assert f"{bad}: [1].kind: String should match pattern" in err
    code, out, _ = run(shipped, "status", "--json")
    assert json.loads(out)["inbox"] == {}


def test_submit_reads_stdin_and_json_lines_and_stores_each_id_once(shipped: ConfigDir) -> None:
    """JSON lines on stdin are accepted; a repeated id is stored once."""
    lines = "\n".join(json.dumps(event_data(id=i)) for i in ("a", "b", "a")) + "\n"
    code, out, _ = run(shipped, "submit", "-", "--json", input=lines)
    assert code == 0
    data = json.loads(out)
    assert sorted(data["new"]) == ["a", "b"]
    code, out, _ = run(shipped, "submit", "-", "--json", input=lines)
    assert json.loads(out)["new"] == [] and sorted(set(json.loads(out)["duplicates"])) == ["a", "b"]


def test_queue_commands_on_an_empty_store(shipped: ConfigDir) -> None:
    """queue list and status work before anything was sent; show of an unknown id is exit 1."""
    assert run(shipped, "queue", "list")[1].strip() == "no messages"
    assert json.loads(run(shipped, "queue", "list", "--json")[1]) == []
    code, _, err = run(shipped, "queue", "show", "42")
    assert code == 1 and "no message '42'" in err
