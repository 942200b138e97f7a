"""`autoreply lang detect`: one text for people and scripts, a JSONL file for evaluation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from autoreply.cli import cli
from autoreply.langdetect import TextDetector
from tests.conftest import REPO

CONFIG = str(REPO / "config" / "autoreply.toml")


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--config", CONFIG, "lang", "detect", *args], input=input,
                                catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("text", "shown"), [
    ("¿tienen la talla M en rojo?", "es"),
    ("감사합니다", "script: Hangul"),
    ("Дякую", "ukrainian words"),
    ("請問有藍色的嗎", "zh (zh-Hant)"),
])
def test_human_output_shows_language_confidence_and_reason(detector: TextDetector, text: str,
                                                           shown: str) -> None:
    """One line: the language, its confidence and why; exit 0."""
    code, out, _ = run(text)
    assert code == 0
    assert shown in out and re.search(r"  [01]\.\d\d  ", out)


def test_json_output_for_scripts(detector: TextDetector) -> None:
    """--json prints language, confidence, reason and the runners-up."""
    code, out, _ = run("--json", "Excelente vendedor")
    data = json.loads(out)
    assert code == 0
    assert data["language"] in {"es", "pt"} and {c["language"] for c in data["candidates"]} >= {"es", "pt"}
    assert data["reason"] and data["accuracy"] == "high"


def test_nothing_to_detect_is_und_and_still_exit_0(detector: TextDetector) -> None:
    """An order number alone has no language: 'und', confidence 0, exit 0."""
    code, out, _ = run("8012345678901234")
    assert code == 0 and out.startswith("und  0.00")


def test_jsonl_file_gives_one_line_per_input_in_order(detector: TextDetector, tmp_path: Path) -> None:
    """--jsonl FILE reads {"id","text"} lines and writes {"id","language","confidence"} lines."""
    rows = [{"id": "a", "text": "Где моя посылка?"}, {"id": 2, "text": "Де моя посилка?"},
            {"id": "c", "text": "ok"}, {"id": "d", "text": "Wo bleibt mein Paket?", "extra": 1}]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n")
    code, out, _ = run("--jsonl", str(path))
    got = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [(g["id"], g["language"]) for g in got] == [("a", "ru"), (2, "uk"), ("c", None), ("d", "de")]
    assert all(set(g) == {"id", "language", "confidence"} for g in got)


def test_jsonl_from_stdin_in_low_memory_mode(low_detector: TextDetector) -> None:
    """--jsonl - reads standard input; --accuracy low uses the small models."""
    code, out, _ = run("--jsonl", "-", "--accuracy", "low",
                       input='{"id": 1, "text": "Bedankt voor de snelle levering"}\n')
    assert code == 0 and json.loads(out)["language"] == "nl"


def test_a_bad_jsonl_line_is_named_and_nothing_is_printed(tmp_path: Path) -> None:
    """A line that is not an object with "text" fails with file:line before any output; exit 1."""
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": 1, "text": "hola"}\n{"id": 2}\nnot json\n')
    code, out, err = run("--jsonl", str(path))
    assert code == 1 and out == ""
    assert f"{path}:2" in err and f"{path}:3" in err


def test_accuracy_follows_the_setting_from_the_environment(low_detector: TextDetector,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """AUTOREPLY_LANGUAGE__ACCURACY=low is the default for --accuracy."""
    monkeypatch.setenv("AUTOREPLY_LANGUAGE__ACCURACY", "low")
    code, out, _ = run("--json", "Danke schön")
    assert code == 0 and json.loads(out)["accuracy"] == "low"


def test_evaluating_the_corpus_in_one_process_keeps_ukrainian_apart(detector: TextDetector) -> None:
    """The held-out corpus through the JSONL path: no Ukrainian message comes out Russian."""
    path = REPO / "bench" / "data" / "buyer-messages.heldout.jsonl"
    labels = {json.loads(line)["id"]: json.loads(line)["language"] for line in path.read_text().splitlines()}
    code, out, _ = run("--jsonl", str(path))
    got = {json.loads(line)["id"]: json.loads(line)["language"] for line in out.splitlines()}
    assert code == 0 and set(got) == set(labels)
    assert not [i for i, lang in labels.items() if lang == "uk" and got[i] == "ru"]
    assert sum(got[i] == lang for i, lang in labels.items()) / len(labels) >= 0.97
