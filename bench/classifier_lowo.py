"""Leave one writer out: every check of the classifier, each corpus file scored by a model trained on the others.

    .venv/bin/python bench/classifier_lowo.py                 # the shipped design
    .venv/bin/python bench/classifier_lowo.py --set C=4 --set MIN_DF=3 --drop-cue obvious

The classifier ALONE (no rules), every check of ``train_classifier.CHECKS``. Each corpus file is a different writer
or round, so this is the figure that predicts a new writer. For left-out file k the model is trained on the other
files (``train_classifier._fit_weights``, the shipped design); the threshold of each check is the shipped rule —
``FP_RATES`` of the OTHER files' innocent messages, each scored out of its own fold, never below the floor — so the
threshold for k is chosen without k's labels (the other files' out-of-fold scores came from models that saw k: a
small leak, the same for every design compared). Per check and file: recall = the file's messages labelled with the
check scoring at or above the threshold; false blocks = the file's messages innocent on a platform where the check
blocks (and not labelled with it) scoring at or above it. ``macro`` averages the files with at least
``MIN_POS`` positives (each writer counts once, as a new writer would); ``pooled`` sums them. ``any`` is the
false-block rate of the whole model: messages ``ok`` on Amazon that any Amazon-blocking check fires on.
``--set NAME=VALUE`` overrides a constant of train_classifier (C, MIN_DF, MAX_FEATURES, CUE_SCALE, MIN_THRESHOLD,
FP_RATE; FP_RATES and MIN_THRESHOLDS as JSON); ``--drop-cue`` leaves a cue group out; ``--json`` writes the figures.
~1 min per file on one core.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import train_classifier as tc
from classifier_cues import cue_keys

from autoreply.compliance.classifier import features

MIN_POS = 5


def cached_inputs(rows: list[dict]) -> tuple[dict[str, str], list[list[str]]]:
    texts = {r["id"]: tc.model_text(r["text"]) for r in rows}
    return texts, [features(texts[r["id"]]) for r in rows]


def out_of_fold(rows: list[dict], texts: dict[str, str], feats: list[list[str]], keys: dict[str, list[str]],
                checks: list[str]) -> list[dict[str, float]]:
    """Each row's scores by the model trained without its file."""
    cues = [tc.cue_features(texts[r["id"]], keys) for r in rows]
    targets = [tc.checks_of(r) & set(checks) for r in rows]
    fold = tc.folds(rows)
    oof: list[dict[str, float]] = [{} for _ in rows]
    for k in sorted(set(fold)):
        train = [i for i in range(len(rows)) if fold[i] != k]
        part = tc._fit_weights([feats[i] for i in train], [targets[i] for i in train], [cues[i] for i in train], keys)
        for i in range(len(rows)):
            if fold[i] == k:
                oof[i] = part.scores(texts[rows[i]["id"]])
    return oof


def evaluate(rows: list[dict], oof: list[dict[str, float]], checks: list[str]) -> dict:
    """Per check and per file: (hits, positives, false blocks, innocents, threshold) at the shipped threshold rule."""
    targets = [tc.checks_of(r) & set(checks) for r in rows]
    fold = tc.folds(rows)
    files = sorted({r["_file"] for r in rows})
    blocks = tc.blocking_platforms()
    out: dict = {"checks": {}, "any": {}}
    fired_any = [False] * len(rows)
    for check in checks:
        def innocent(i: int, check: str = check) -> bool:
            r = rows[i]
            ok = any(r["labels"].get(p, {}).get("verdict") == "ok" for p in blocks[check])
            return ok and check not in tc.checks_of(r)
        inn = [innocent(i) for i in range(len(rows))]
        per = {}
        for k in sorted(set(fold)):
            others = sorted((oof[i].get(check, -99.0) for i in range(len(rows)) if fold[i] != k and inn[i]),
                            reverse=True)
            allowed = int(tc.FP_RATES.get(check, tc.FP_RATE) * len(others))
            edge = others[allowed] if allowed < len(others) else -99.0
            threshold = max(tc.MIN_THRESHOLDS.get(check, tc.MIN_THRESHOLD), edge + 1e-6)
            mine = [i for i in range(len(rows)) if fold[i] == k]
            above = {i for i in mine if oof[i].get(check, -99.0) >= threshold}
            if "amazon" in blocks[check]:
                for i in above:
                    fired_any[i] = True
            pos = [i for i in mine if check in targets[i]]
            per[files[k]] = [len(above.intersection(pos)), len(pos), sum(inn[i] for i in above),
                             sum(inn[i] for i in mine), round(threshold, 3)]
        out["checks"][check] = per
    for k in sorted(set(fold)):
        mine = [i for i in range(len(rows))
                if fold[i] == k and rows[i]["labels"].get("amazon", {}).get("verdict") == "ok"]
        out["any"][files[k]] = [sum(fired_any[i] for i in mine), len(mine)]
    return out


def summary(result: dict) -> dict[str, dict[str, float]]:
    """Per check: macro recall over the files with MIN_POS positives, pooled recall, macro and pooled false blocks."""
    out = {}
    for check, per in result["checks"].items():
        rec = [h / p for h, p, _, _, _ in per.values() if p >= MIN_POS]
        fbs = [f / n for _, p, f, n, _ in per.values() if n]
        out[check] = {"macro_recall": sum(rec) / len(rec) if rec else 0.0,
                      "pooled_recall": sum(v[0] for v in per.values()) / max(1, sum(v[1] for v in per.values())),
                      "hits": sum(v[0] for v in per.values()), "positives": sum(v[1] for v in per.values()),
                      "macro_fb": sum(fbs) / len(fbs) if fbs else 0.0,
                      "fb": sum(v[2] for v in per.values()), "innocents": sum(v[3] for v in per.values()),
                      "files": len(rec)}
    anyf = result["any"].values()
    out["any"] = {"macro_fb": sum(f / n for f, n in anyf if n) / max(1, sum(1 for _, n in anyf if n)),
                  "fb": sum(f for f, _ in anyf), "innocents": sum(n for _, n in anyf)}
    return out


def render(summ: dict) -> str:
    lines = ["| check | macro recall (files) | pooled recall | false blocks pooled (macro %) |", "|---|---|---|---|"]
    for check, s in summ.items():
        if check == "any":
            continue
        lines.append(f"| {check} | {100 * s['macro_recall']:.1f} % ({s['files']}) | {s['hits']} / {s['positives']} | "
                     f"{s['fb']} / {s['innocents']} ({100 * s['macro_fb']:.2f} %) |")
    a = summ["any"]
    lines.append(f"| any check, Amazon `ok` messages | | | {a['fb']} / {a['innocents']} "
                 f"({100 * a['macro_fb']:.2f} %) |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", default=[], help="NAME=VALUE: a train_classifier constant")
    parser.add_argument("--drop-cue", action="append", default=[], help="a cue group to leave out")
    parser.add_argument("--checks", nargs="*", default=None)
    parser.add_argument("--corpus", type=Path, nargs="*", default=None)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--scores", type=Path, default=None,
                        help="re-threshold the out-of-fold scores of an earlier --json run (no training)")
    args = parser.parse_args(argv)
    for item in args.set:
        name, value = item.split("=", 1)
        setattr(tc, name, json.loads(value))
    rows = tc.load_rows(args.corpus or tc.CORPORA)
    checks = args.checks or list(tc.CHECKS)
    if args.scores:
        saved = json.loads(args.scores.read_text())["oof"]
        rows = [r for r in rows if r["id"] in saved]
        oof = [saved[r["id"]] for r in rows]
    else:
        texts, feats = cached_inputs(rows)
        keys = {g: v for g, v in cue_keys().items() if g not in set(args.drop_cue)}
        tc.CHECKS = checks
        oof = out_of_fold(rows, texts, feats, keys, checks)
    result = evaluate(rows, oof, checks)
    summ = summary(result)
    print(render(summ))
    for check, per in result["checks"].items():
        print(f"  {check}: " + ", ".join(f"{f.removeprefix('compliance_').removesuffix('.jsonl')} {h}/{p} fb {fb}"
                                         for f, (h, p, fb, _, _) in per.items() if p or fb))
    if args.json:
        scores = {r["id"]: {c: round(v, 4) for c, v in s.items()} for r, s in zip(rows, oof, strict=True)}
        args.json.write_text(json.dumps({"argv": argv or sys.argv[1:], "result": result, "summary": summ,
                                         "oof": scores}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
