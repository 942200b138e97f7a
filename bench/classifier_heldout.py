"""Held-out writers for the insult and spam models: each corpus file scored by a model trained on the others.

    .venv/bin/python bench/classifier_heldout.py

The classifier ALONE (no rules), the shipped design (``train_classifier``: cue groups, ``CUE_SCALE``,
``C``, ``MAX_FEATURES``) restricted to the insult and spam checks (one-vs-rest, so their weights are the
same; the kept features may differ). For each left-out file the threshold is the shipped rule —
``FP_RATES`` of the OTHER files' innocent messages (each scored out of its own fold), never below the
floor — and the file's insult / spam messages at or above it are counted, with the innocent ones.
Every file is a different writer or round, so this is how the model meets a new writer. ~2–4 min.
"""

from __future__ import annotations

import train_classifier as tc
from classifier_cues import cue_keys
from classifier_lowo import out_of_fold

from autoreply.compliance.classifier import features

CHECKS = ["insult", "spam"]


def main() -> int:
    rows = tc.load_rows(tc.CORPORA)
    texts = {r["id"]: tc.model_text(r["text"]) for r in rows}
    feats = [features(texts[r["id"]]) for r in rows]
    keys = cue_keys()
    targets = [tc.checks_of(r) & set(CHECKS) for r in rows]
    fold = tc.folds(rows)
    tc.CHECKS = CHECKS
    oof = out_of_fold(rows, texts, feats, keys, CHECKS)  # (one loop with bench/classifier_lowo.py)
    blocks = tc.blocking_platforms()
    files = sorted({r["_file"] for r in rows})
    for check in CHECKS:
        def innocent(i: int, check: str = check) -> bool:
            r = rows[i]
            ok = any(r["labels"].get(p, {}).get("verdict") == "ok" for p in blocks[check])
            return ok and check not in tc.checks_of(r)
        hits = positives = above = innocents = 0
        per = []
        for k in sorted(set(fold)):
            others = sorted((oof[i].get(check, -99.0) for i in range(len(rows)) if fold[i] != k and innocent(i)),
                            reverse=True)
            allowed = int(tc.FP_RATES.get(check, tc.FP_RATE) * len(others))
            edge = others[allowed] if allowed < len(others) else -99.0
            threshold = max(tc.MIN_THRESHOLDS.get(check, tc.MIN_THRESHOLD), edge + 1e-6)
            mine = [i for i in range(len(rows)) if fold[i] == k]
            pos = [i for i in mine if check in targets[i]]
            hit = sum(oof[i].get(check, -99.0) >= threshold for i in pos)
            hits, positives = hits + hit, positives + len(pos)
            above += sum(oof[i].get(check, -99.0) >= threshold for i in mine if innocent(i))
            innocents += sum(innocent(i) for i in mine)
            if pos:
                per.append(f"{files[k]} {hit}/{len(pos)}")
        print(f"{check}: {hits} / {positives} held out, innocent above threshold {above} / {innocents}")
        print("  " + ", ".join(per))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
