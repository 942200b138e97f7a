"""How a simulation is shown: a terminal summary with bar charts, and a self-contained HTML
report (inline CSS and SVG, no network assets) a seller can mail to a colleague."""

from __future__ import annotations

import html
from collections.abc import Sequence

from autoreply.simulate import NIGHT_HOURS, Report, rule_order

DECISIONS = ("queue", "blocked", "skipped", "no_rule")
RULE_DECISIONS = ("queue", "blocked", "skipped")


def _n(value: int) -> str:
    return f"{value:,}"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _bar(value: int, peak: int, width: int) -> str:
    if not peak or not value:
        return ""
    return "█" * max(1, round(width * value / peak))


def _now_text(report: Report) -> str:
    if report.now is None:
        return "each event's occurred_at (replay)"
    return report.now.isoformat().replace("+00:00", "Z")


# --------------------------------------------------------------------------- terminal
def text(report: Report, rule_names: Sequence[str] = ()) -> str:
    out: list[str] = []
    rate = report.events / report.elapsed if report.elapsed else 0
    out.append(f"simulated {_n(report.events)} events from {report.source} in "
               f"{report.elapsed:.1f} s ({_n(round(rate))} events/s, {report.workers} "
               f"worker{'s' if report.workers != 1 else ''}); now: {_now_text(report)}")
    if report.duplicates:
        out.append(f"  {_n(report.duplicates)} repeated event id(s) ignored "
                   "(the inbox keeps one event per id)")

    out.append("")
    out.append(f"{'events':<16}" + "".join(f"{d:>10}" for d in DECISIONS) + f"{'total':>10}")
    for platform, counts in sorted(report.by_platform.items()):
        out.append(f"  {platform:<14}" + "".join(f"{_n(counts[d]):>10}" for d in DECISIONS)
                   + f"{_n(sum(counts.values())):>10}")
    out.append(f"  {'all':<14}" + "".join(f"{_n(report.outcomes[d]):>10}" for d in DECISIONS)
               + f"{_n(report.events):>10}")

    out.append("")
    names = rule_order(report, rule_names)
    width = max([len(n) for n in names] + [20])
    out.append(f"{'messages by rule':<{width + 2}}" + "".join(f"{d:>10}" for d in RULE_DECISIONS)
               + f"{'dedupe*':>10}")
    for name in names:
        counts = report.rules[name]
        out.append(f"  {name:<{width}}" + "".join(f"{_n(counts[d]):>10}" for d in RULE_DECISIONS)
                   + f"{_n(report.dedupe_suppressed[name]):>10}")
    out.append("  * of the queued, how many the rule's dedupe window would suppress "
               "(estimate: replayed in file order)")

    queued = sum(report.languages.values())
    out.append("")
    out.append(f"languages the {_n(queued)} queued messages are written in")
    peak = max(report.languages.values(), default=0)
    for lang, count in report.languages.most_common():
        out.append(f"  {lang:<8}{_n(count):>9} {_pct(count, queued):>6}  {_bar(count, peak, 30)}")
    out.append("  chosen by: " + " · ".join(f"{r} {_n(c)}" for r, c in report.language_reasons.most_common()))
    out.append("time zones from: " + " · ".join(f"{s} {_n(c)}" for s, c in report.timezone_sources.most_common()))

    out.append("")
    checked = sum(report.verdicts.values())
    out.append(f"compliance of the {_n(checked)} rendered messages: "
               + " · ".join(f"{v} {_n(report.verdicts[v])}" for v in ("pass", "warn", "block")))
    for (check, severity), count in report.findings.most_common():
        out.append(f"  {severity:<6}{check:<28}{_n(count):>9}")

    out.append("")
    out.append(f"when the {_n(report.would_send)} messages that would be sent land "
               "(queued, less the dedupe estimate)")
    peak = max(report.buyer_hours + report.seller_hours + [0])
    out.append(f"  {'hour':<6}{'buyer local time':<40}seller time ({report.seller_timezone})")
    for hour in range(24):
        b, s = report.buyer_hours[hour], report.seller_hours[hour]
        night = "*" if hour in NIGHT_HOURS else " "
        left = f"{_bar(b, peak, 26)} {_n(b)}" if b else "·"
        right = f"{_bar(s, peak, 26)} {_n(s)}" if s else "·"
        out.append(f"  {hour:02d}{night}   {left:<40}{right}")
    out.append(f"  {_n(report.at_night)} ({_pct(report.at_night, report.would_send)}) land at "
               "night for the buyer (* 22:00–07:59 local)")

    if report.examples:
        out.append("")
        for kind, items in sorted(report.examples.items()):
            out.append(f"examples ({kind}): " + "; ".join(items))
        out.append("  see why with: autoreply preview EVENT.json (one of these lines)")
    return "\n".join(out)


# --------------------------------------------------------------------------- HTML
def _svg_hours(values: Sequence[int], title: str, peak: int, highlight_night: bool) -> str:
    w, h, left, bottom, top = 720, 230, 44, 28, 12
    plot_w, plot_h = w - left - 8, h - bottom - top
    bw = plot_w / 24
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
             f'viewBox="0 0 {w} {h}" role="img" aria-label="{html.escape(title)}">']
    for i in range(5):  # grid lines with labels
        value = peak * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" x2="{w - 8}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" class="yl">{round(value):,}</text>')
    for hour, value in enumerate(values):
        bh = plot_h * value / peak if peak else 0
        x = left + hour * bw + 2
        y = top + plot_h - bh
        cls = "night" if highlight_night and hour in NIGHT_HOURS else "day"
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bw - 4:.1f}" height="{bh:.1f}" '
                     f'class="{cls}"><title>{hour:02d}:00–{hour:02d}:59: {value:,}</title></rect>')
        parts.append(f'<text x="{x + (bw - 4) / 2:.1f}" y="{h - bottom + 16}" class="xl">{hour:02d}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(head: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(value: object, tag: str) -> str:
        shown = _n(value) if isinstance(value, int) else str(value)
        cls = ' class="num"' if isinstance(value, int) else ""
        return f"<{tag}{cls}>{html.escape(shown)}</{tag}>"

    out = ["<table><thead><tr>", *(cell(h, "th") for h in head), "</tr></thead><tbody>"]
    for row in rows:
        out += ["<tr>", *(cell(v, "td") for v in row), "</tr>"]
    out.append("</tbody></table>")
    return "".join(out)


CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;
max-width:1000px;color:#1d2330;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #dde;padding-bottom:.2em}
table{border-collapse:collapse;margin:.5em 0}td,th{padding:.25em .8em;border-bottom:1px solid #eef;
text-align:left}th{background:#f4f6fa}.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#667}.day{fill:#3b6fd8}.night{fill:#d8583b}.grid{stroke:#e4e7ee}
.yl{font-size:10px;text-anchor:end;fill:#667}.xl{font-size:10px;text-anchor:middle;fill:#667}
.key span{display:inline-block;width:.9em;height:.9em;margin:0 .3em 0 1em;vertical-align:-.1em}
"""


def render_html(report: Report, rule_names: Sequence[str] = ()) -> str:
    esc = html.escape
    names = rule_order(report, rule_names)
    queued = sum(report.languages.values())
    checked = sum(report.verdicts.values())
    peak = max(report.buyer_hours + report.seller_hours + [1])
    rate = report.events / report.elapsed if report.elapsed else 0
    body = [
        f"<h1>autoreply simulate — {esc(report.source)}</h1>",
        f'<p class="muted">{_n(report.events)} events decided by the pipeline in '
        f"{report.elapsed:.1f} s ({_n(round(rate))} events/s, {report.workers} worker(s)); "
        f"nothing was stored or sent. Decided as of: {esc(_now_text(report))}."
        + (f" {_n(report.duplicates)} repeated event id(s) ignored." if report.duplicates else "")
        + "</p>",
        "<h2>When messages would land</h2>",
        f"<p>{_n(report.would_send)} messages would be sent (queued, less the dedupe estimate); "
        f"<b>{_n(report.at_night)} ({_pct(report.at_night, report.would_send)})</b> of them land "
        "at night for the buyer (22:00–07:59 local).</p>",
        '<p class="key"><span class="day" style="background:#3b6fd8"></span>daytime'
        '<span style="background:#d8583b"></span>buyer\'s night</p>',
        "<h3>By the buyer's local hour</h3>",
        _svg_hours(report.buyer_hours, "messages by buyer local hour", peak, True),
        f"<h3>By the seller's hour ({esc(report.seller_timezone)})</h3>",
        _svg_hours(report.seller_hours, "messages by seller hour", peak, False),
        "<h2>Events</h2>",
        _table(["platform", *DECISIONS, "total"],
               [[p, *(c[d] for d in DECISIONS), sum(c.values())]
                for p, c in sorted(report.by_platform.items())]
               + [["all", *(report.outcomes[d] for d in DECISIONS), report.events]]),
        "<h2>Messages by rule</h2>",
        _table(["rule", *RULE_DECISIONS, "dedupe (estimate)"],
               [[n, *(report.rules[n][d] for d in RULE_DECISIONS), report.dedupe_suppressed[n]]
                for n in names]),
        '<p class="muted">Dedupe is decided by the database when messages are stored; the '
        "estimate replays each rule's window in file order.</p>",
        f"<h2>Languages the {_n(queued)} queued messages are written in</h2>",
        _table(["language", "messages", "share"],
               [[lang, c, _pct(c, queued)] for lang, c in report.languages.most_common()]),
        _table(["chosen by", "messages"], [[r, c] for r, c in report.language_reasons.most_common()]),
        "<h2>Time zones</h2>",
        _table(["found from", "events"], [[s, c] for s, c in report.timezone_sources.most_common()]),
        f"<h2>Compliance of the {_n(checked)} rendered messages</h2>",
        _table(["verdict", "messages"], [[v, report.verdicts[v]] for v in ("pass", "warn", "block")]),
        _table(["check", "severity", "findings"],
               [[c, s, n] for (c, s), n in report.findings.most_common()]) if report.findings else "",
    ]
    if report.examples:
        body.append("<h2>Examples to look at with <code>autoreply preview</code></h2><ul>")
        for kind, items in sorted(report.examples.items()):
            body.append(f"<li><b>{esc(kind)}</b>: {esc('; '.join(items))}</li>")
        body.append("</ul>")
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>autoreply simulate — {esc(report.source)}</title><style>{CSS}</style></head>"
            f"<body>{''.join(body)}</body></html>\n")
