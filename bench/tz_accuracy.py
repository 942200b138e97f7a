"""Time-zone resolution accuracy on the labelled address set (tests/data/addresses.jsonl).

    .venv/bin/python bench/tz_accuracy.py

Prints a table per group (multi-zone country / single-zone / ambiguous) and writes it to
docs/TZ_ACCURACY.md. "Right" = the expected zone or one with identical current rules, and the
ambiguity flag as labelled. Also times resolution (ratios within this run, no absolute claims).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path

from autoreply.places import warm
from autoreply.timezones import is_multi_zone, resolve, same_rules

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "addresses.jsonl"
YEAR = 2026


def main() -> None:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    started = time.perf_counter()
    warm()
    load = time.perf_counter() - started
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    sources: dict[str, int] = defaultdict(int)
    misses = []
    started = time.perf_counter()
    for row in rows:
        found = resolve(country=row["country"], region=row.get("region"),
                        postal_code=row.get("postal_code"), city=row.get("city"), year=YEAR)
        ok = same_rules(found.timezone, row["expected"], YEAR) and found.ambiguous == row["ambiguous"]
        if row["ambiguous"]:
            group = "ambiguous (flagged, most populous zone)"
        elif is_multi_zone(row["country"], YEAR, with_territories=True):
            group = "multi-zone countries, unambiguous"
        else:
            group = "single-zone countries"
        groups[group][0] += ok
        groups[group][1] += 1
        sources[found.source] += 1
        if not ok:
            misses.append((row, found))
    per = (time.perf_counter() - started) / len(rows)
    lines = ["| group | right | total | accuracy |", "|---|---:|---:|---:|"]
    for group, (ok, total) in sorted(groups.items()):
        lines.append(f"| {group} | {ok} | {total} | {100 * ok / total:.1f}% |")
    ok_all = sum(g[0] for g in groups.values())
    lines.append(f"| **all** | {ok_all} | {len(rows)} | {100 * ok_all / len(rows):.1f}% |")
    lines += ["", "| decided by | addresses |", "|---|---:|"]
    lines += [f"| {s} | {n} |" for s, n in sorted(sources.items(), key=lambda x: -x[1])]
    lines += ["", f"City index load: {load:.2f} s once per process; resolution after that: "
              f"{per * 1000:.2f} ms per address (mean over {len(rows)})."]
    text = "\n".join(lines)
    print(text)
    for row, found in misses:
        print("MISS", row, found)
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "TZ_ACCURACY.md").write_text(
        "# Time-zone resolution accuracy\n\nLabelled set: `tests/data/addresses.jsonl` "
        f"({len(rows)} addresses). Reproduce: `.venv/bin/python bench/tz_accuracy.py`.\n\n"
        + text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
