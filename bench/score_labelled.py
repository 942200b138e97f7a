"""Score a labelled set in the labelling guide's form (one platform per line) through the CLI, as a user would.

    .venv/bin/python bench/score_labelled.py SET.jsonl [SET2.jsonl …] [--autoreply PATH] [--misses]

A line is ``{"id", "platform", "lang", "subject"?, "text", "expected": "block"|"pass", "category", "pair"?}``
(``bench/import_wave.py`` turns the same lines into a training wave). Every line goes through
``autoreply compliance check --jsonl -`` in one batch. Prints block recall (a ``warn`` on a violation counts
as a miss) and the false-block rate on innocent lines, overall and per platform, recall per category, false blocks
per kind of innocent line, how many
same-text pairs got every line right, and the naive keyword list (bench/compliance_bench.py) on the same lines.
``--misses`` lists the wrong lines by id, platform, category and verdict (never their text): use it on a
development set only — a blind set is scored for its totals.
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compliance_bench import _NAIVE

PLATFORMS = ("amazon", "aliexpress", "taobao")


def verdicts(binary: str, rows: list[dict]) -> dict[str, str]:
    """Each line's verdict from one ``compliance check --jsonl`` batch."""
    batch = "".join(json.dumps({"id": r["id"], "platform": r["platform"], "subject": r.get("subject") or "",
                                "text": r["text"]}, ensure_ascii=False) + "\n" for r in rows)
    out = subprocess.run([binary, "compliance", "check", "--jsonl", "-"], input=batch, capture_output=True,
                         text=True, check=False)
    if out.returncode not in (0, 3):
        raise SystemExit(out.stderr.strip() or f"autoreply exited {out.returncode}")
    return {d["id"]: d["verdict"] for d in map(json.loads, out.stdout.splitlines()) if d}


def tally(rows: list[dict], verdict: dict[str, str], keep: Callable[[dict], bool]) -> str:
    bad = [r for r in rows if keep(r) and r["expected"] == "block"]
    good = [r for r in rows if keep(r) and r["expected"] != "block"]
    hit = sum(verdict[r["id"]] == "block" for r in bad)
    false = sum(verdict[r["id"]] == "block" for r in good)
    return (f"recall {100 * hit / max(len(bad), 1):5.1f} % ({hit}/{len(bad)})   "
            f"false blocks {100 * false / max(len(good), 1):4.1f} % ({false}/{len(good)})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path)
    here = str(Path(sys.executable).parent / "autoreply")
    parser.add_argument("--autoreply", default=here if Path(here).exists() else shutil.which("autoreply"))
    parser.add_argument("--misses", action="store_true", help="list the wrong lines (ids only)")
    args = parser.parse_args(argv)
    rows = []
    for path in args.sets:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{path}:{number}: not JSON ({exc.msg})") from None
    verdict = verdicts(args.autoreply, rows)
    print(f"{'all':11}", tally(rows, verdict, lambda r: True))
    for p in PLATFORMS:
        print(f"{p:11}", tally(rows, verdict, lambda r, p=p: r["platform"] == p))
    categories = collections.Counter(r["category"] for r in rows if r["expected"] == "block")
    for category, n in categories.most_common():
        hit = sum(verdict[r["id"]] == "block" for r in rows if r["category"] == category and r["expected"] == "block")
        print(f"  {category:24} {hit:3}/{n:3}  {100 * hit / n:5.1f} %")
    innocents = collections.Counter(r["category"] for r in rows if r["expected"] != "block")
    for category, n in innocents.most_common():  # false blocks by the innocent line's kind (counts only)
        false = sum(verdict[r["id"]] == "block" for r in rows if r["category"] == category and r["expected"] != "block")
        print(f"  {category:44} {false:3}/{n:3} blocked")
    pairs: dict[str, list[dict]] = collections.defaultdict(list)
    for r in rows:
        if r.get("pair"):
            pairs[r["pair"]].append(r)
    full = [g for g in pairs.values() if len(g) > 1]
    right = sum(all((verdict[r["id"]] == "block") == (r["expected"] == "block") for r in g) for g in full)
    print(f"pairs right {right}/{len(full)}")
    bad = [r for r in rows if r["expected"] == "block"]
    good = [r for r in rows if r["expected"] != "block"]
    naive_hit = sum(bool(_NAIVE.search(r["text"])) for r in bad)
    naive_false = sum(bool(_NAIVE.search(r["text"])) for r in good)
    print(f"naive keyword list: recall {100 * naive_hit / max(len(bad), 1):.1f} %"
          f"   false blocks {100 * naive_false / max(len(good), 1):.1f} %")
    if args.misses:
        for r in rows:
            if (verdict[r["id"]] == "block") != (r["expected"] == "block"):
                kind = "miss" if r["expected"] == "block" else "false block"
                print(f"{kind:12} {r['id']} {r['platform']} {r['category']} {verdict[r['id']]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
