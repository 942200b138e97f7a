"""List the engine's false blocks (and, with ``--misses``, its misses) on labelled corpora.

    .venv/bin/python bench/compliance_errors.py [--misses] [--corpus FILE ...]

Default corpora: the training waves bench/data/compliance_train*.jsonl. Each line printed is
platform, id, text, then the blocking findings as ``check:'excerpt'`` (for misses: the expected
checks). Ends with a count of false blocks and the recall per file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autoreply.compliance import ComplianceEngine  # noqa: E402

TRAIN = sorted((ROOT / "bench/data").glob("compliance_train*.jsonl"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, nargs="*", default=TRAIN)
    parser.add_argument("--misses", action="store_true", help="also list the missed violations")
    parser.add_argument("--quiet", action="store_true", help="print the summary only")
    args = parser.parse_args(argv)
    engine = ComplianceEngine()
    checks: Counter[str] = Counter()
    for path in args.corpus:
        fb = neg = tp = pos = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            for platform, label in row["labels"].items():
                truth = label["verdict"] == "block"
                verdict = engine.check(platform=platform, subject=row.get("subject"), body=row["text"],
                                       message_type=row.get("message_type"))
                got = verdict.blocked
                found = [f"{f.check}:{f.excerpt!r}" for f in verdict.findings if f.severity == "block"]
                if truth:
                    pos += 1
                    tp += got
                    if not got and args.misses and not args.quiet:
                        print(f"MISS  {platform:10} {row['id']} {row['text']!r} want={label['checks']}")
                    if not got:
                        checks.update(f"miss {c}" for c in label["checks"])
                else:
                    neg += 1
                    fb += got
                    if got:
                        checks.update(f"fb {f.check}" for f in verdict.findings if f.severity == "block")
                        if not args.quiet:
                            print(f"FALSE {platform:10} {row['id']} {row['text']!r} {found}")
        print(f"# {path.name}: false blocks {fb}/{neg}, recall {tp}/{pos} ({100 * tp / max(pos, 1):.1f}%)")
    print("# by check:", ", ".join(f"{k} {v}" for k, v in checks.most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
