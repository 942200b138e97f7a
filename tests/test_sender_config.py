"""Sender configuration is validated at load: rules and platform mappings may only name
configured senders, Amazon message types must carry text, and missing secrets stop the start."""

from __future__ import annotations

import pytest

from autoreply.daemon import build_senders
from autoreply.errors import ConfigError
from tests.conftest import ConfigDir

RULE = """
[[rules]]
name = "oos"
template = "t"
{extra}
[rules.match]
kind = "out_of_stock"
"""


def setup(cfgdir: ConfigDir, settings: str = "", rule: str = "") -> ConfigDir:
    cfgdir.write_settings(settings)
    cfgdir.write_template("t", "en", "s", "b")
    cfgdir.write_rules(RULE.format(extra=rule))
    return cfgdir


@pytest.mark.parametrize(("settings", "rule", "expected"), [
    ("", 'channel = "smtp"',
     "rules.toml:4: rules[0].channel: rule 'oos': sender 'smtp' is not configured: add a [senders.smtp] section"),
    ("", 'channel = "fax"', "rules.toml:4: rules[0].channel: rule 'oos': unknown sender 'fax'"),
    ('[senders]\nplatforms = { amazon = "amazon" }\n', "",
     "autoreply.toml:11: senders.platforms.amazon: sender 'amazon' is not configured"),
    ('[senders.amazon]\nclient_id = "x"\n', 'channel = "amazon"\nmessage_type = "warranty"',
     "rules.toml:5: rules[0].message_type: rule 'oos' goes to the amazon sender, which cannot send "
     "message type 'warranty'"),
    ('[senders.amazon]\nclient_id = "x"\nmessage_types = { out_of_stock = "invoice" }\n', "",
     "senders.amazon.message_types.out_of_stock: Amazon message type 'invoice' cannot carry text"),
])
def test_sender_references_are_checked_at_load(cfgdir: ConfigDir, settings: str, rule: str,
                                               expected: str) -> None:
    """A rule or platform naming a sender that is not set up is an error with file, line and key."""
    setup(cfgdir, settings, rule)
    with pytest.raises(ConfigError) as err:
        cfgdir.config()
    assert expected in str(err.value)


def test_configured_senders_are_accepted(cfgdir: ConfigDir) -> None:
    """A rule may name any configured sender."""
    setup(cfgdir, '[senders.webhook]\nurl = "http://127.0.0.1:9/hook"\n', 'channel = "webhook"')
    assert cfgdir.config().rules.rules[0].channel == "webhook"


def test_a_missing_secret_stops_the_daemon_with_its_name(cfgdir: ConfigDir,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The webhook sender without AUTOREPLY_WEBHOOK_SECRET cannot start; with it, it is built."""
    setup(cfgdir, '[senders.webhook]\nurl = "http://127.0.0.1:9/hook"\n')
    monkeypatch.delenv("AUTOREPLY_WEBHOOK_SECRET", raising=False)
    with pytest.raises(ConfigError, match=r"senders\.webhook: senders\.webhook needs the secret "
                                          r"AUTOREPLY_WEBHOOK_SECRET"):
        build_senders(cfgdir.settings())
    monkeypatch.setenv("AUTOREPLY_WEBHOOK_SECRET", "x")
    senders = build_senders(cfgdir.settings())
    assert sorted(senders) == ["log", "webhook"]
    for sender in senders.values():
        sender.close()
