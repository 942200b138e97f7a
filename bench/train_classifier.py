"""Train the compliance classifier's weights (``autoreply/compliance/data/classifier.json``).

    .venv/bin/python bench/train_classifier.py            # rewrite the shipped weights
    .venv/bin/python bench/train_classifier.py --verify   # exit 1 unless the shipped file is what training gives

Deterministic: the corpora in a fixed order, threshold folds by corpus file, liblinear with
``random_state=0``, weights quantised to int16. Needs scikit-learn (the ``bench`` extra); the
runtime (``autoreply/compliance/classifier.py``) does not.

Per check id (``CHECKS``) a one-vs-rest logistic regression on the feature counts of the
normalised text (``classifier.features``, divided by the square root of their total),
positives = messages labelled with that check on any platform. The threshold of each check is
chosen on out-of-fold scores — each corpus file scored by a model trained on the other files:
the lowest score such that at most ``FP_RATE`` of the messages that are innocent on a platform
where the check blocks score at or above it (never below ``MIN_THRESHOLD``, a logit of 1.5, i.e.
a probability of 0.82, or the check's ``MIN_THRESHOLDS``: spam 1.2, off_platform_redirect 1.75; insult
and spam use ``FP_RATES``). Features seen in fewer than ``MIN_DF`` messages are dropped, then all but
the ``MAX_FEATURES`` strongest. The cue groups of ``classifier_cues.py`` are one feature each (its value
times ``CUE_SCALE``, 1 for the older ``UNSCALED_CUES``), folded into their phrases' weights after training.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from classifier_cues import cue_keys, occurrences  # noqa: E402

from autoreply.compliance.classifier import Model, _padded, features  # noqa: E402
from autoreply.compliance.normalize import leet_view, normalize  # noqa: E402
from autoreply.compliance.policy import PLATFORM_PACKS, SellerPolicy, policy_for  # noqa: E402

CORPORA = [ROOT / "bench/data/compliance_corpus.jsonl", ROOT / "bench/data/compliance_generalisation.jsonl",
           ROOT / "bench/data/compliance_audit.jsonl", ROOT / "bench/data/compliance_train.jsonl",
           ROOT / "bench/data/compliance_train2.jsonl", ROOT / "bench/data/compliance_train3.jsonl",
           ROOT / "bench/data/compliance_train4.jsonl", ROOT / "bench/data/compliance_train5.jsonl",
           ROOT / "bench/data/compliance_train6.jsonl", ROOT / "bench/data/compliance_train7.jsonl",
           ROOT / "bench/data/compliance_train8.jsonl", ROOT / "bench/data/compliance_train9.jsonl",
           ROOT / "bench/data/compliance_train10.jsonl", ROOT / "bench/data/compliance_train11.jsonl",
           ROOT / "bench/data/compliance_train12.jsonl", ROOT / "bench/data/compliance_train13.jsonl",
           ROOT / "bench/data/compliance_train14.jsonl", ROOT / "bench/data/compliance_train15.jsonl",
           ROOT / "bench/data/compliance_train16.jsonl", ROOT / "bench/data/compliance_train17.jsonl",
           ROOT / "bench/data/compliance_train18.jsonl", ROOT / "bench/data/compliance_train19.jsonl",
           ROOT / "bench/data/compliance_train20.jsonl", ROOT / "bench/data/compliance_train21.jsonl"]
WEIGHTS = ROOT / "autoreply/compliance/data/classifier.json"
# the checks the word lists miss most. Contacts, links, style and [Important] stay with the rules;
# so do messenger and off_platform_payment: a bag of n-grams cannot read "we never ask you to add us
# on WhatsApp" or "the refund goes back to your PayPal", and on held-out files the model added 30
# false blocks there for no block the rules had missed. after_sales_terms too: 支持 and 不支持
# 七天无理由退货 share their n-grams (it blocked the lawful terms, and found no held-out refusal); and
# ask_to_cancel: "you can cancel it from your account" and "can you cancel it" share theirs.
CHECKS = ["insult", "spam", "review_request", "review_manipulation", "off_platform_redirect", "thanks_only",
          "order_confirmation", "cancel_reason", "promotion", "incentive"]
C = 16.0
MIN_DF = 2
MAX_FEATURES = 30000
FOLDS = 5
FP_RATE = 0.001
# insults and spam: 0.3 % of the out-of-fold innocent messages (held-out writers, round 15: on the
# new writers' files train8/train9 insult recall 47 → 82 of 356, spam 31 → 38 of 140, for 10 and 7 of
# ~5,000 innocent messages; on dev set I no message innocent on its platform was added)
FP_RATES = {"insult": 0.003, "spam": 0.003}
CUE = "\x00cue:"  # a cue group's feature name (classifier_cues.py); folded into its phrases' weights
MIN_THRESHOLD = 1.5
# spam's floor (round 16): its 0.3 % edge sits below 1.5, so the floor alone set its threshold; at 1.0, held
# out (leave one file out, waves 1–21) spam 168 → 199 of 390 for 6 → 9 of 5,225 innocent messages above it
# off_platform_redirect's floor 1.75 (round 16): waves 21–22 (no "Google" in them) moved its generic n-grams
# (" su", "oo", " m") so that "Vous trouverez le point relais sur Google Maps." scored 1.63 (1.42 before) and
# blocked; 1.75 loses no block on dev set K nor on the in-repo corpora (compliance_bench)
# spam's floor 1.2 (round 17): at 1.0 "Gana tiempo: el montaje sin experiencia lleva diez minutos al día…" (a
# round-16 hard negative) scored 1.15 on generic n-grams; 1.2 loses no spam on dev sets N1 / N2
MIN_THRESHOLDS = {"spam": 1.2, "off_platform_redirect": 1.75}
# the round-16 cue groups' feature values are multiplied by this: with the same L2 penalty a group's weight
# costs less, so the training leans on what the languages share rather than on one writer's n-grams. The
# groups of rounds 14–15 (UNSCALED_CUES) keep 1: at 3 "apparently / visiblement" ("obvious") and the
# Google Maps directions blocked innocent test messages (tests/test_compliance_round14ins.py, round10.py)
CUE_SCALE = 3.0
UNSCALED_CUES = frozenset({"obvious", "again", "cheap_expect", "novice", "mock_praise", "threat", "laugh", "like_you"})
MIN_POSITIVES = 8


def cue_scale(group: str) -> float:
    """The factor of cue group ``group``'s feature value (and so of its folded weight)."""
    return 1.0 if group in UNSCALED_CUES else CUE_SCALE


def load_rows(paths: Iterable[Path]) -> list[dict]:
    """The labelled rows of ``paths``, each tagged with its file's name (``_file``, the threshold folds)."""
    rows = []
    for path in paths:
        if path.exists():
            rows += [{**json.loads(line), "_file": path.name}
                     for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def model_text(text: str) -> str:
    """What the engine hands the model: the normalised text, its leetspeak view when it has one."""
    norm = normalize(text)
    leet = leet_view(norm)
    return (leet or norm).text


def checks_of(row: dict) -> set[str]:
    return {c for label in row["labels"].values() for c in label["checks"]}


def blocking_platforms() -> dict[str, list[str]]:
    """For each check, the platforms whose shipped pack blocks it."""
    return {c: [p for p in PLATFORM_PACKS if policy_for(p, SellerPolicy()).severity(c) == "block"] for c in CHECKS}


def fold_of(row: dict, folds: int = FOLDS) -> int:
    return int(hashlib.sha1(row["id"].encode("utf-8")).hexdigest(), 16) % folds


def folds(rows: list[dict]) -> list[int]:
    """The threshold fold of each row: its corpus file (a new file is what new messages look like),
    or a hash of its id when the rows come from one file."""
    files = sorted({r.get("_file", "") for r in rows})
    if len(files) > 1:
        return [files.index(r.get("_file", "")) for r in rows]
    return [fold_of(r) for r in rows]


def cue_features(text: str, keys: dict[str, list[str]]) -> list[str]:
    """One ``CUE + group`` per occurrence of a group's phrase in ``text``'s lines (as the runtime's automaton
    would match the phrase)."""
    out = []
    for line in text.split("\n"):
        padded = _padded(line)[0]
        for group, phrases in keys.items():
            out += [CUE + group] * sum(occurrences(padded, k) for k in phrases)
    return out


def _fit_weights(feats: list[list[str]], targets: list[set[str]], cues: list[list[str]] | None = None,
                 keys: dict[str, list[str]] | None = None) -> Model:
    """Logistic regressions on the feature occurrences ``feats`` plus the cue-group occurrences ``cues``
    (not counted in the square-root normalisation: the runtime counts n-grams only); each cue group's
    weight is then added to its phrases' (``keys``). Thresholds left at 0."""
    from collections import Counter

    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = [Counter(f) for f in feats]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    cues = cues if cues is not None else [[] for _ in feats]
    keys = keys or {}
    vocab = sorted(g for g, n in df.items() if n >= MIN_DF) + [CUE + g for g in keys]
    index = {g: i for i, g in enumerate(vocab)}
    scale = {index[CUE + g]: cue_scale(g) for g in keys}
    indptr, cols, vals = [0], [], []
    for f, c, q in zip(feats, counts, cues, strict=True):
        known = sorted((index[g], n) for g, n in (c + Counter(q)).items() if g in index)
        cols += [i for i, _ in known]
        vals += [n / len(f) ** 0.5 * scale.get(i, 1.0) for i, n in known]
        indptr.append(len(cols))
    x = csr_matrix((np.array(vals), np.array(cols, dtype=np.int64), np.array(indptr)), shape=(len(feats), len(vocab)))
    checks = [c for c in CHECKS if sum(c in t for t in targets) >= MIN_POSITIVES]
    coefs, bias = [], []
    for check in checks:
        y = np.array([check in t for t in targets], dtype=int)
        clf = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", dual=True, random_state=0,
                                 max_iter=1000)
        clf.fit(x, y)
        coefs.append(clf.coef_[0])
        bias.append(float(clf.intercept_[0]))
    w = np.vstack(coefs).T if coefs else np.zeros((len(vocab), 0))
    strength = np.abs(w).max(axis=1) if coefs else np.zeros(len(vocab))
    strength[[index[CUE + g] for g in keys]] = 0.0  # folded below, never kept by name
    keep = sorted(np.argsort(-strength, kind="stable")[:MAX_FEATURES].tolist())
    weights = {vocab[i]: [float(v) for v in w[i]] for i in keep if strength[i] > 1e-4}
    for group, phrases in keys.items():
        cue = w[index[CUE + group]] * cue_scale(group)
        for key in phrases:
            weights[key] = [a + float(b) for a, b in zip(weights.get(key, [0.0] * len(checks)), cue, strict=True)]
    return Model.from_weights(checks, bias, [0.0] * len(checks), weights)


def fit(rows: list[dict], texts: dict[str, str] | None = None) -> Model:
    """Weights on every row, thresholds from out-of-fold scores; the model shipped or evaluated."""
    texts = texts if texts is not None else {r["id"]: model_text(r["text"]) for r in rows}
    feats = [features(texts[r["id"]]) for r in rows]
    keys = cue_keys()
    cues = [cue_features(texts[r["id"]], keys) for r in rows]
    targets = [checks_of(r) & set(CHECKS) for r in rows]
    model = _fit_weights(feats, targets, cues, keys)
    oof: list[dict[str, float]] = [{} for _ in rows]
    fold = folds(rows)
    for k in sorted(set(fold)):
        train = [i for i in range(len(rows)) if fold[i] != k]
        part = _fit_weights([feats[i] for i in train], [targets[i] for i in train], [cues[i] for i in train], keys)
        for i, r in enumerate(rows):
            if fold[i] == k:
                oof[i] = part.scores(texts[r["id"]])
    blocks = blocking_platforms()
    thresholds = []
    for check in model.checks:
        innocent = sorted((s.get(check, -99.0) for s, r in zip(oof, rows, strict=True)
                           if any(r["labels"].get(p, {}).get("verdict") == "ok" for p in blocks[check])
                           and check not in checks_of(r)), reverse=True)
        allowed = int(FP_RATES.get(check, FP_RATE) * len(innocent))
        edge = innocent[allowed] if allowed < len(innocent) else -99.0
        thresholds.append(max(MIN_THRESHOLDS.get(check, MIN_THRESHOLD), edge + 1e-6))
    meta = {"messages": len(rows), "C": C, "min_df": MIN_DF, "fp_rate": FP_RATE, "fp_rates": FP_RATES,
            "cue_groups": sorted(keys), "min_threshold": MIN_THRESHOLD,
            "min_thresholds": MIN_THRESHOLDS, "cue_scale": CUE_SCALE,
            "unscaled_cues": sorted(UNSCALED_CUES),
            "positives": {c: sum(c in t for t in targets) for c in model.checks}}
    return Model(model.checks, model.bias, thresholds, model.names, model.quantised, model.scales, meta)


def heldout_sets(paths: Iterable[Path]) -> list[tuple[str, list[dict], list[dict]]]:
    """(name, training rows, test rows): leave one file out for each file, then the ``split`` field
    (train on every row not marked ``heldout``, test on the ``heldout`` rows)."""
    files = [(path.name, load_rows([path])) for path in paths if path.exists()]
    out = [(f"without {name}", [r for other, rows in files if other != name for r in rows], held)
           for name, held in files]
    every = [r for _, rows in files for r in rows]
    out.append(("split heldout", [r for r in every if r.get("split") != "heldout"],
                [r for r in every if r.get("split") == "heldout"]))
    # a file without held-out rows (the training file): its rows with SHA-1(id) mod 10 < 3, the corpora's rule
    for name, rows in files:
        if rows and not any(r.get("split") == "heldout" for r in rows):
            test_ids = {r["id"] for r in rows if fold_of(r, 10) < 3}
            out.append((f"{name} by id hash", [r for r in every if r["id"] not in test_ids],
                        [r for r in rows if r["id"] in test_ids]))
    return out


def serialise(model: Model) -> str:
    return json.dumps(model.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, nargs="*", default=CORPORA)
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument("--verify", action="store_true", help="compare with the file instead of writing it")
    args = parser.parse_args(argv)
    rows = load_rows(args.corpus)
    text = serialise(fit(rows))
    if args.verify:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print("weights match the training output" if same else f"{args.out} differs from the training output")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text) // 1024} KiB, {len(rows)} messages)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
