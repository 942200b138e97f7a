"""Convert a labelled set in the labelling guide's form (one platform per line) to a training wave.

    .venv/bin/python bench/import_wave.py SET.jsonl --wave 20 --prefix r15 > bench/data/compliance_trainN.jsonl

A guide line is ``{"id", "platform", "lang", "text", "expected": "block"|"pass", "category"}``. The
training form labels every platform: a blocked line's category is a check that blocks on every
platform (insult, spam, …: the guide's first list), so it is ``block`` with that check on all three;
a ``pass`` line (``innocent``) is ``ok`` with no check on all three — the writer wrote it as
harmless, and the training format's innocent rows are the classifier's hard negatives.
A line of an Amazon-only category (incentive, promotion, review_request…) blocked on Amazon is ``block`` with
that check on Amazon and ``ok`` with the check listed on AliExpress and Taobao (where it passes: the older
corpora's form); so is a ``pass`` line on AliExpress or Taobao whose category is
``innocent:<check>_other_platform`` (the writer's name for "an incentive, but on a platform that allows it").
Other platform-specific lines are refused: their verdict on the other platforms is not what the line says.
``--also ID=CHECK`` adds a check that blocks on every platform to a line whose label is incomplete (round 18: an
Amazon "incentive" offered for a review is review manipulation everywhere, the older corpora's form); ``--drop ID``
leaves a line out (its label is wrong).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

PLATFORMS = ("amazon", "aliexpress", "taobao")
EVERY_PLATFORM = {"external_link", "email", "phone", "messenger", "off_platform_payment", "off_platform_redirect",
                  "spam", "review_manipulation", "insult"}
AMAZON_ONLY = {"review_request", "promotion", "incentive", "thanks_only", "order_confirmation", "cancel_reason",
               "ask_to_cancel"}


def convert(row: dict, wave: int, prefix: str, also: list[str] | None = None) -> dict:
    """One guide line as a training row (``id`` becomes ``<prefix>-<lang>-<number>``); ``also``: checks that block
    on every platform, added to the line's own."""
    out = _convert(row, wave, prefix)
    for check in also or []:
        if check not in EVERY_PLATFORM:
            raise ValueError(f"{row['id']}: --also {check} does not block on every platform")
        for label in out["labels"].values():
            label["verdict"] = "block"
            label["checks"] = [*label["checks"], check]
        out["hard_negative"] = False
    return out


def _convert(row: dict, wave: int, prefix: str) -> dict:
    number = row["id"].rsplit("-", 1)[-1]
    category = row["category"]
    other = category.removeprefix("innocent:").removesuffix("_other_platform")
    if category.endswith("_other_platform") and other in AMAZON_ONLY and row["platform"] != "amazon":
        category = other  # allowed where it was written; on Amazon the check blocks
    if category in AMAZON_ONLY and (row["expected"] == "block") == (row["platform"] == "amazon"):
        labels = {p: {"verdict": "block" if p == "amazon" else "ok", "checks": [category]} for p in PLATFORMS}
        return {"id": f"{prefix}-{row['lang']}-{number}", "split": "train", "lang": row["lang"], "wave": wave,
                "text": row["text"], "labels": labels, "obfuscated": False, "hard_negative": False}
    if row["expected"] == "block":
        if row["category"] not in EVERY_PLATFORM:
            raise ValueError(f"{row['id']}: {row['category']} does not block on every platform")
        label = {"verdict": "block", "checks": [row["category"]]}
    else:
        label = {"verdict": "ok", "checks": []}
    return {"id": f"{prefix}-{row['lang']}-{number}", "split": "train", "lang": row["lang"], "wave": wave,
            "text": row["text"], "labels": {p: dict(label) for p in PLATFORMS}, "obfuscated": False,
            "hard_negative": row["expected"] != "block"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--wave", type=int, required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--also", action="append", default=[], metavar="ID=CHECK")
    parser.add_argument("--drop", action="append", default=[], metavar="ID")
    args = parser.parse_args(argv)
    also: dict[str, list[str]] = {}
    for item in args.also:
        ident, check = item.split("=", 1)
        also.setdefault(ident, []).append(check)
    for line in args.path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if row["id"] in args.drop:
                continue
            out = convert(row, args.wave, args.prefix, also.get(row["id"]))
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
