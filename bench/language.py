"""Language detection: our decision vs raw lingua, both accuracy modes, on the labelled corpus.

    .venv/bin/python bench/language.py            # prints the tables, updates docs/LANGUAGE.md
    .venv/bin/python bench/language.py --no-write # prints only

Each accuracy mode runs in a fresh subprocess (so its RSS after preloading is its own): it loads
the detector for the 16 shipped languages (lingua models for the 11 it weighs), then classifies every message of
bench/data/buyer-messages.{dev,heldout}.jsonl twice — raw lingua (restricted to the same 16
languages, ``detect_language_of``) and our decision (``TextDetector.detect``: script rules,
ru/uk letters and words, lingua + word evidence). It also runs the pipeline's choice with the
buyer's locale and country (``choose_language``) to show what context adds.

``dev`` is the part the rules and word lists were written against; ``heldout`` was written
afterwards and never tuned on. "short" = 2–5 words (a CJK word counted as two characters).
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
DOC = ROOT / "docs" / "LANGUAGE.md"
SPLITS = ("dev", "heldout")
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+")
_WORD = re.compile(r"[^\W\d_]+")


def words(text: str) -> int:
    cjk = sum(math.ceil(len(run) / 2) for run in _CJK.findall(text))
    return cjk + len(_WORD.findall(_CJK.sub(" ", text)))


def load(split: str) -> list[dict[str, Any]]:
    path = DATA / f"buyer-messages.{split}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def worker(mode: str) -> None:
    """One accuracy mode in this (fresh) process; prints one JSON object."""
    sys.path.insert(0, str(ROOT))
    from autoreply.langdetect import DEFAULT_LANGUAGES, TextDetector
    from autoreply.language import choose_language

    before = rss_mb()
    t0 = time.perf_counter()
    detector = TextDetector(DEFAULT_LANGUAGES, mode)  # type: ignore[arg-type]
    load_s = time.perf_counter() - t0
    after = rss_mb()
    rows = [r for split in SPLITS for r in load(split)]
    ours: dict[str, str | None] = {}
    t0 = time.perf_counter()
    for r in rows:
        ours[r["id"]] = detector.detect(r["text"]).language
    ours_ms = (time.perf_counter() - t0) * 1000 / len(rows)
    peak = rss_mb()
    # raw lingua over all 16 (ours loads models only for the languages it weighs: no ar/he/ko/ja/zh)
    lingua = raw_lingua(DEFAULT_LANGUAGES, mode)
    raw: dict[str, str | None] = {}
    t0 = time.perf_counter()
    for r in rows:
        found = lingua.detect_language_of(r["text"])
        raw[r["id"]] = found.iso_code_639_1.name.lower() if found else None
    raw_ms = (time.perf_counter() - t0) * 1000 / len(rows)
    context: dict[str, str | None] = {}
    available = set(DEFAULT_LANGUAGES)
    for r in rows:
        choice = choose_language(text=r["text"], buyer_locale=r.get("locale"), marketplace=None,
                                 default="en", available=available, detector=detector,
                                 buyer_country=r.get("country"))
        context[r["id"]] = choice.chosen.split("-")[0]
    print(json.dumps({"mode": mode, "rss_before_mb": before, "rss_mb": after, "rss_run_mb": peak,
                      "load_s": load_s,
                      "raw_ms": raw_ms, "ours_ms": ours_ms, "raw": raw, "ours": ours,
                      "context": context}))


def raw_lingua(languages: tuple[str, ...], mode: str) -> Any:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_iso_codes_639_1(
        *(getattr(IsoCode639_1, c.upper()) for c in languages)).with_preloaded_language_models()
    return (builder.with_low_accuracy_mode() if mode == "low" else builder).build()


def run_mode(mode: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--worker", mode], check=True,
                         capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout)


def pct(good: int, total: int) -> str:
    return f"{100 * good / total:.1f}%" if total else "-"


def report(results: dict[str, dict[str, Any]]) -> str:
    data = {split: load(split) for split in SPLITS}
    lines: list[str] = []
    langs = sorted({r["language"] for rows in data.values() for r in rows})
    for split, rows in data.items():
        short = [r for r in rows if 2 <= words(r["text"]) <= 5]
        lines.append(f"\n{split}: {len(rows)} messages, {len(short)} of 2–5 words")
        lines.append("")
        lines.append("| mode | decision | overall | 2–5 words | uk taken for ru | with locale+country |")
        lines.append("|---|---|---|---|---|---|")
        for mode, res in results.items():
            for name in ("raw", "ours"):
                pred = res[name]
                good = sum(pred[r["id"]] == r["language"] for r in rows)
                good_short = sum(pred[r["id"]] == r["language"] for r in short)
                uk_ru = sum(1 for r in rows if r["language"] == "uk" and pred[r["id"]] == "ru")
                ctx = (pct(sum(res["context"][r["id"]] == r["language"] for r in rows), len(rows))
                       if name == "ours" else "")
                label = "raw lingua" if name == "raw" else "autoreply"
                lines.append(f"| {mode} | {label} | {pct(good, len(rows))} | "
                             f"{pct(good_short, len(short))} | {uk_ru} | {ctx} |")
    lines.append("\nper language, dev + heldout (raw lingua → autoreply)")
    lines.append("")
    lines.append("| language | n | " + " | ".join(f"{m} raw | {m} ours" for m in results) + " |")
    lines.append("|---|---|" + "---|---|" * len(results))
    every = [r for rows in data.values() for r in rows]
    for lang in langs:
        rows = [r for r in every if r["language"] == lang]
        cells = []
        for res in results.values():
            for name in ("raw", "ours"):
                cells.append(pct(sum(res[name][r["id"]] == lang for r in rows), len(rows)))
        lines.append(f"| {lang} | {len(rows)} | " + " | ".join(cells) + " |")
    lines.append("\nmemory and speed (16 languages; models preloaded for the 11 that share a script; "
                 "fresh process per mode; \"after the run\" is before raw lingua is loaded)")
    lines.append("")
    lines.append("| mode | RSS after preload | RSS after the run | load time | raw lingua ms/text "
                 "| autoreply ms/text |")
    lines.append("|---|---|---|---|---|---|")
    for mode, res in results.items():
        lines.append(f"| {mode} | {res['rss_mb']:.0f} MB | {res['rss_run_mb']:.0f} MB | "
                     f"{res['load_s']:.1f} s | "
                     f"{res['raw_ms']:.2f} | {res['ours_ms']:.2f} |")
    return "\n".join(lines).strip("\n")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        worker(sys.argv[2])
        return
    results = {mode: run_mode(mode) for mode in ("high", "low")}
    table = report(results)
    print(table)
    if "--no-write" not in sys.argv and DOC.exists():
        text = DOC.read_text(encoding="utf-8")
        if START in text and END in text:
            head, rest = text.split(START, 1)
            _, tail = rest.split(END, 1)
            cmd = "Measured with `.venv/bin/python bench/language.py` (Python "
            cmd += f"{sys.version.split()[0]}, {time.strftime('%Y-%m-%d')})."
            DOC.write_text(f"{head}{START}\n{cmd}\n\n{table}\n{END}{tail}", encoding="utf-8")
            print(f"\nwrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
