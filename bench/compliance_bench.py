"""Compliance accuracy and speed on the labelled corpora, ours beside a naive keyword list.

    .venv/bin/python bench/compliance_bench.py [--corpus FILE ...] [--wave N] [--write docs/COMPLIANCE.md] [--errors]

Each corpus line is one seller message with a label per platform (block or not, and the
expected check ids). Prints, for each corpus (default: both in bench/data), block recall on
violations and the false-block rate on innocent messages — overall, per platform, per split
(dev / held-out), per language, per check and for obfuscated and hard-negative messages — and
microseconds per message on one core (pin it: ``taskset -c 0``). The naive baseline blocks any
message containing one of the seed's sensitive words (seed 004's list plus the keywords seed
001 says AliExpress intercepts).

``--classifier`` measures the learned classifier honestly: for each held-out set (leave one corpus
file out, then the ``split`` field) it trains the classifier on the rest with
``bench/train_classifier.py`` (scikit-learn, the ``bench`` extra) and prints block recall and
false blocks per platform for the rules alone and for the rules + that classifier.

``--errors`` lists the misclassified DEV messages only: held-out messages are for measuring,
never for tuning (``--heldout-errors`` shows them, for a final review).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from autoreply.compliance import ComplianceEngine  # noqa: E402

NAIVE = ["review", "evaluation", "comment", "feedback", "rating", "star", "positive", "negative",
         "critical", "bad", "level", "appraise", "amend", "change", "modify", "alter", "withdraw",
         "retract", "edit", "remove", "delete", "update", "revise", "erase", "cancel", "wipe out",
         "off-platform payment", "bank transfer", "wechat id", "whatsapp"]
_NAIVE = re.compile("|".join(re.escape(w) for w in NAIVE), re.I)
MARK_START, MARK_END = "<!-- bench:start -->", "<!-- bench:end -->"
CLF_START, CLF_END = "<!-- classifier:start -->", "<!-- classifier:end -->"
DEFAULT_CORPORA = [ROOT / "bench/data/compliance_corpus.jsonl", ROOT / "bench/data/compliance_generalisation.jsonl",
                   ROOT / "bench/data/compliance_audit.jsonl", ROOT / "bench/data/compliance_train.jsonl"]


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def items(corpus: list[dict]) -> list[tuple[dict, str, dict]]:
    return [(row, platform, label) for row in corpus for platform, label in row["labels"].items()]


class Tally:
    def __init__(self) -> None:
        self.tp = self.fn = self.fp = self.tn = 0

    def add(self, truth: bool, predicted: bool) -> None:
        if truth:
            self.tp += predicted
            self.fn += not predicted
        else:
            self.fp += predicted
            self.tn += not predicted

    def recall(self) -> str:
        n = self.tp + self.fn
        return f"{100 * self.tp / n:5.1f}% ({self.tp}/{n})" if n else "    -"

    def fbr(self) -> str:
        n = self.fp + self.tn
        return f"{100 * self.fp / n:5.1f}% ({self.fp}/{n})" if n else "    -"


def evaluate(corpus: list[dict], engine: ComplianceEngine) -> tuple[dict, dict, list[str], float]:
    ours: dict[str, Tally] = defaultdict(Tally)
    naive: dict[str, Tally] = defaultdict(Tally)
    per_check: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    errors: list[str] = []
    for row, platform, label in items(corpus):
        truth = label["verdict"] == "block"
        verdict = engine.check(platform=platform, subject=row.get("subject"), body=row["text"],
                               message_type=row.get("message_type"))
        got = verdict.verdict == "block"
        base = bool(_NAIVE.search(row["text"]))
        keys = ["all", f"platform {platform}", f"split {row['split']}", f"lang {row['lang']}"]
        if row.get("obfuscated"):
            keys.append("obfuscated")
        if row.get("hard_negative"):
            keys.append("hard negatives")
        for k in keys:
            ours[k].add(truth, got)
            naive[k].add(truth, base)
        found = {f.check for f in verdict.findings if f.severity == "block"}
        for check in label["checks"]:
            per_check[check][1] += 1
            per_check[check][0] += check in found
        if truth != got:
            what = "MISSED" if truth else "FALSE BLOCK"
            errors.append(f"{what:11} {row['split']:7} {platform:10} {row['id']}: {row['text'][:90]!r} "
                          f"{sorted(found)}")
    # speed: every message on every platform, several rounds, one core
    return ours, naive, errors, speed(corpus, engine), per_check  # type: ignore[return-value]


def speed(corpus: list[dict], engine: ComplianceEngine, rounds: int = 7) -> float:
    """Microseconds per check: the best of ``rounds`` over every message × platform."""
    texts = [(platform, row.get("subject"), row["text"]) for row, platform, _ in items(corpus)]
    best = float("inf")
    for _ in range(rounds):  # the best round: the least disturbed by other work on the machine
        start = time.perf_counter()
        for platform, subject, text in texts:
            engine.check(platform=platform, subject=subject, body=text)
        best = min(best, time.perf_counter() - start)
    return best / len(texts) * 1e6


def table(name: str, corpus: list[dict], ours: dict, naive: dict, per_check: dict, micros: float) -> str:
    keys = ["all", "platform amazon", "platform aliexpress", "platform taobao", "split dev",
            "split heldout", "obfuscated", "hard negatives"]
    keys += sorted(k for k in ours if k.startswith("lang "))
    lines = [f"corpus `{name}`: {len(corpus)} messages, {len(items(corpus))} message × platform labels", "",
             "| slice | block recall (ours) | false-block rate (ours) | block recall (naive) "
             "| false-block rate (naive) |",
             "|---|---|---|---|---|"]
    for k in keys:
        if k in ours:
            lines.append(f"| {k} | {ours[k].recall()} | {ours[k].fbr()} | {naive[k].recall()} | {naive[k].fbr()} |")
    lines += ["", "| expected check | found by that check |", "|---|---|"]
    for check, (hit, total) in sorted(per_check.items()):
        lines.append(f"| {check} | {100 * hit / total:5.1f}% ({hit}/{total}) |")
    lines += ["", f"speed: {micros:.0f} µs per message (best of 7 rounds over every message × platform, one core)"]
    return "\n".join(lines)


def _engine_at(ref: str) -> ComplianceEngine:
    """The ComplianceEngine of git revision ``ref`` (its ``autoreply`` package, extracted to a temp dir)."""
    import importlib
    import subprocess
    import tarfile
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="compliance-baseline-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "autoreply"], check=True,
                             capture_output=True).stdout
    tar_path = tmp / "src.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(tmp, filter="data")
    saved = {k: v for k, v in sys.modules.items() if k == "autoreply" or k.startswith("autoreply.")}
    for k in saved:
        del sys.modules[k]
    sys.path.insert(0, str(tmp))
    try:
        module = importlib.import_module("autoreply.compliance")
        engine = module.ComplianceEngine()
    finally:
        sys.path.remove(str(tmp))
        for k in [k for k in sys.modules if k == "autoreply" or k.startswith("autoreply.")]:
            del sys.modules[k]
        sys.modules.update(saved)
    return engine


def before_after(engines: dict[str, ComplianceEngine], corpora: list[tuple[str, list[dict]]]) -> str:
    """Block recall / false-block rate of each engine, per corpus, overall and per platform and split."""
    slices = ["all", "platform amazon", "platform aliexpress", "platform taobao", "split dev", "split heldout"]
    lines = ["| corpus | slice | " + " | ".join(f"{n}: recall / false blocks" for n in engines) + " |",
             "|---|---|" + "---|" * len(engines)]
    for name, corpus in corpora:
        tallies = {}
        for engine_name, engine in engines.items():
            tally: dict[str, Tally] = defaultdict(Tally)
            for row, platform, label in items(corpus):
                got = engine.check(platform=platform, subject=row.get("subject"), body=row["text"]).blocked
                for k in ("all", f"platform {platform}", f"split {row['split']}"):
                    tally[k].add(label["verdict"] == "block", got)
            tallies[engine_name] = tally
        for k in slices:
            cells = " | ".join(f"{t[k].recall()} / {t[k].fbr()}" for t in tallies.values())
            lines.append(f"| {name} | {k} | {cells} |")
    return "\n".join(lines)


def compare(engines: dict[str, ComplianceEngine], corpora: list[list[dict]], rounds: int = 7) -> str:
    """Mean and median µs per message × platform for each engine, rounds interleaved (same load)."""
    texts = [(platform, row.get("subject"), row["text"]) for corpus in corpora for row, platform, _ in items(corpus)]
    best = dict.fromkeys(engines, float("inf"))
    per_message: dict[str, list[float]] = {name: [float("inf")] * len(texts) for name in engines}
    for _ in range(rounds):
        for name, engine in engines.items():
            start = time.perf_counter()
            for i, (platform, subject, text) in enumerate(texts):
                t = time.perf_counter()
                engine.check(platform=platform, subject=subject, body=text)
                per_message[name][i] = min(per_message[name][i], time.perf_counter() - t)
            best[name] = min(best[name], time.perf_counter() - start)
    lines = ["| engine | mean µs / message | median µs / message | p95 µs / message |", "|---|---|---|---|"]
    for name in engines:
        ordered = sorted(per_message[name])
        lines.append(f"| {name} | {best[name] / len(texts) * 1e6:.0f} | {ordered[len(ordered) // 2] * 1e6:.0f} "
                     f"| {ordered[int(len(ordered) * 0.95)] * 1e6:.0f} |")
    return "\n".join(lines) + f"\n\n({len(texts)} message × platform checks, best of {rounds} interleaved rounds)"


def classifier_heldout(paths: list[Path], rules: ComplianceEngine) -> str:
    """Rules alone vs rules + a classifier trained without the test rows, per held-out set and platform."""
    from train_classifier import fit, heldout_sets

    slices = ["all", "platform amazon", "platform aliexpress", "platform taobao"]
    lines = ["| held out (test rows) | slice | rules only: recall / false blocks "
             "| rules + classifier: recall / false blocks |", "|---|---|---|---|"]
    total: dict[str, dict[str, Tally]] = {"rules": defaultdict(Tally), "both": defaultdict(Tally)}
    for name, train, test in heldout_sets(paths):
        both = ComplianceEngine(classifier=fit(train))
        tallies: dict[str, dict[str, Tally]] = {"rules": defaultdict(Tally), "both": defaultdict(Tally)}
        for row, platform, label in items(test):
            truth = label["verdict"] == "block"
            for key, engine in (("rules", rules), ("both", both)):
                got = engine.check(platform=platform, subject=row.get("subject"), body=row["text"],
                                   message_type=row.get("message_type")).blocked
                for k in ("all", f"platform {platform}"):
                    tallies[key][k].add(truth, got)
                    if name.startswith("without"):
                        total[key][k].add(truth, got)
        for k in slices:
            lines.append(f"| {name} ({len(test)}) | {k} | {tallies['rules'][k].recall()} / {tallies['rules'][k].fbr()} "
                         f"| {tallies['both'][k].recall()} / {tallies['both'][k].fbr()} |")
    for k in slices:
        lines.append(f"| every file, left out in turn | {k} | {total['rules'][k].recall()} / {total['rules'][k].fbr()} "
                     f"| {total['both'][k].recall()} / {total['both'][k].fbr()} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, nargs="*", default=DEFAULT_CORPORA)
    parser.add_argument("--write", type=Path, default=None, help="replace the figures block in this file")
    parser.add_argument("--errors", action="store_true", help="list the misclassified dev messages")
    parser.add_argument("--heldout-errors", action="store_true", help="also list held-out ones (final review only)")
    parser.add_argument("--coverage", action="store_true", help="print terms per group and language")
    parser.add_argument("--classifier", action="store_true",
                        help="rules alone vs rules + classifier on held-out sets (trains; needs scikit-learn)")
    parser.add_argument("--wave", type=int, default=None,
                        help="only the rows of this wave (e.g. measure a new wave on arrival)")
    parser.add_argument("--baseline", metavar="REF", default=None,
                        help="also time the engine of this git revision on the same messages (before/after)")
    args = parser.parse_args()
    if args.coverage:
        from autoreply.compliance.lexicon import LANGUAGES, coverage
        print("| file | group | " + " | ".join(LANGUAGES) + " |")
        for file, group, counts in coverage():
            print(f"| {file} | {group} | " + " | ".join(str(counts[lang]) for lang in LANGUAGES) + " |")
        return
    if args.classifier:
        rules = ComplianceEngine(use_classifier=False)
        text = classifier_heldout(args.corpus, rules)
        text += "\n\nspeed, every corpus, the shipped classifier, one core:\n\n" + compare(
            {"rules only": rules, "rules + classifier": ComplianceEngine()}, [load(p) for p in args.corpus], rounds=5)
        print(text)
        if args.write:
            doc = args.write.read_text(encoding="utf-8")
            a, b = doc.index(CLF_START) + len(CLF_START), doc.index(CLF_END)
            args.write.write_text(doc[:a] + "\n" + text + "\n" + doc[b:], encoding="utf-8")
        return
    t0 = time.perf_counter()
    engine = ComplianceEngine()
    build_ms = (time.perf_counter() - t0) * 1000
    blocks = []
    all_errors: list[str] = []
    for path in args.corpus:
        corpus = load(path)
        if args.wave is not None:
            corpus = [row for row in corpus if row.get("wave") == args.wave]
            if not corpus:
                continue
        ours, naive, errors, micros, per_check = evaluate(corpus, engine)
        blocks.append(table(path.name, corpus, ours, naive, per_check, micros))
        all_errors += [e for e in errors if args.heldout_errors or " heldout " not in e]
    text = "\n\n".join(blocks) + f"\n\nengine build: {build_ms:.0f} ms (once per configuration)"
    if args.baseline:
        engines = {f"baseline {args.baseline}": _engine_at(args.baseline), "this tree": engine}
        corpora = [(p.name, [r for r in load(p) if args.wave is None or r.get("wave") == args.wave])
                   for p in args.corpus]
        corpora = [(name, rows) for name, rows in corpora if rows]
        text += "\n\nbefore / after on the same labels:\n\n" + before_after(engines, corpora)
        text += "\n\nspeed, every corpus, one core:\n\n" + compare(engines, [c for _, c in corpora])
    print(text)
    if args.errors or args.heldout_errors:
        print("\n" + "\n".join(all_errors))
    if args.write:
        doc = args.write.read_text(encoding="utf-8")
        a, b = doc.index(MARK_START) + len(MARK_START), doc.index(MARK_END)
        args.write.write_text(doc[:a] + "\n" + text + "\n" + doc[b:], encoding="utf-8")


if __name__ == "__main__":
    main()
