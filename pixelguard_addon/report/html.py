"""The HTML report: one self-contained file that a privacy officer can open from disk and act on.

It opens with the verdict and the summary (vendors, pages, categories, severities, and a vendor ×
category matrix), then every distinct leak with where it was found (page, vendor, field and
decode chain, masked evidence), why it matters and what to do (from patterns/rules.toml), then
what was accepted (BAA, baseline), unused baseline entries and what could not be inspected.

Self-contained: the style sheet is inlined, there are no scripts, images or fonts, and links to
references are plain links, so opening the file makes no network request. Every value is
HTML-escaped; evidence is the masked form unless the run used --reveal-evidence, which the
report then says at the top.
"""
from __future__ import annotations

import datetime as dt
from html import escape
from importlib.resources import files
from pathlib import Path
from typing import Iterable

from ..baseline import Baseline
from ..model import Finding
from .grouped import FindingGroup, Report, ReportMeta, build_report
from .jsonl import write_private
from .overview import category_matrix, page_rows, severity_counts, vendor_rows
from .rules import rule_info

MAX_ENTRIES_SHOWN = 12  # entry numbers listed per capture; the count says how many in all
SECTIONS = (("open", "findings", "Findings"), ("allowed", "allowed", "Allowed (vendor has a BAA)"),
            ("suppressed", "suppressed", "Suppressed by the baseline"))


def write_html(findings: Iterable[Finding], meta: ReportMeta | None, path: str | Path,
               baseline: Baseline | None = None, now: dt.datetime | None = None) -> Report:
    """Write the HTML report for `findings` to `path` (owner-only permissions). For the proxy
    addon at the end of a session as much as for `pixelguard scan --html`."""
    report = build_report(findings, meta, baseline, now)
    write_private(path, render_html(report))
    return report


def render_html(report: Report) -> str:
    css = files("pixelguard_addon.report").joinpath("html_report.css").read_text(encoding="utf-8")
    body = "\n".join([_header(report), _toc(report), _summary(report), *_finding_sections(report),
                      _unused_baseline(report), _coverage(report), _footer(report)])
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>pixelguard report — {escape(report.verdict)}</title>\n<style>\n{css}</style>\n</head>\n'
            f'<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n')


def _header(report: Report) -> str:
    meta = report.meta
    rows = [("Generated", meta.generated), ("Captures", ", ".join(meta.captures) or "live session"),
            ("Policy", meta.policy or "none (defaults)"), ("Fails on", f"{meta.threshold} and above"),
            ("Baseline", meta.baseline), ("pixelguard", meta.tool_version)]
    if meta.requests is not None:
        rows.insert(2, ("Requests", f"{meta.requests} ({meta.third_party} third-party, {meta.first_party} first-party)"))
    warning = ('<p class="warning" id="reveal-warning">Raw values shown: this report was made with '
               '--reveal-evidence and contains unmasked field values. Use it only for your own test patient, '
               'keep it private and delete it when done.</p>\n') if report.revealed else ""
    return (f'<header>\n<h1>pixelguard report</h1>\n{warning}'
            f'<div class="verdict verdict-{report.verdict}" id="verdict"><strong>{report.verdict}</strong>'
            f'{escape(report.summary_line())}</div>\n'
            f'<dl class="meta">{"".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows if v)}</dl>\n'
            f'</header>')


def _toc(report: Report) -> str:
    links = [("summary", "Summary")] + [(anchor, title) for status, anchor, title in SECTIONS
                                        if report.with_status(status)]
    if report.unused_baseline:
        links.append(("baseline-unused", "Unused baseline entries"))
    if _has_coverage_notes(report.meta):
        links.append(("coverage", "Not inspected"))
    return '<nav class="toc">' + "".join(f'<a href="#{a}">{escape(t)}</a>' for a, t in links) + "</nav>"


def _summary(report: Report) -> str:
    return "\n".join(['<section id="summary">\n<h2>Summary</h2>', _count_cards(report), _matrix(report),
                      _vendors(report), _pages(report), "</section>"])


def _count_cards(report: Report) -> str:
    cards = [(f"sev-{sev}", n, sev) for sev, n in severity_counts(report).items()]
    cards += [("status-allowed", len(report.with_status("allowed")), "allowed (BAA)"),
              ("status-suppressed", len(report.with_status("suppressed")), "suppressed (baseline)"),
              ("", len(report.meta.not_inspected), "not fully inspected")]
    return ('<div class="counts" id="severity-counts">'
            + "".join(f'<div class="count {cls}"><b>{n}</b><span>{escape(label)}</span></div>' for cls, n, label in cards)
            + "</div>\n<p>Counts are distinct leaks; the same leak on many page views counts once.</p>")


def _matrix(report: Report) -> str:
    columns, rows = category_matrix(report)
    if not rows:
        return '<h3>Vendors × categories</h3>\n<p id="vendor-category-matrix">No open findings.</p>'
    head = "".join(f"<th>{escape(column)}</th>" for column in columns)
    body = "".join(f"<tr><th>{escape(vendor)}</th>" + "".join(_matrix_cell(cells.get(c)) for c in columns) + "</tr>"
                   for vendor, cells in rows)
    return ('<h3>Vendors × categories</h3>\n<table class="matrix" id="vendor-category-matrix">'
            f"<thead><tr><th>Vendor</th>{head}</tr></thead><tbody>{body}</tbody></table>")


def _matrix_cell(cell: tuple[int, str] | None) -> str:
    if not cell:
        return '<td class="empty">·</td>'
    count, worst = cell
    return f'<td class="cell sev-{worst}" title="worst: {worst}">{count}</td>'


def _vendors(report: Report) -> str:
    rows = "".join(
        f"<tr><td>{escape(r.vendor)}</td><td class='mono'>{escape(', '.join(r.hosts))}</td>"
        f"<td>{_badge_or_dash(r.worst)}</td><td class='num'>{r.open}</td><td class='num'>{r.pages}</td>"
        f"<td class='num'>{r.allowed}</td><td class='num'>{r.suppressed}</td><td class='num'>{r.seen}</td></tr>"
        for r in vendor_rows(report))
    if not rows:
        return ""
    return ("<h3>Vendors</h3>\n<table><thead><tr><th>Vendor</th><th>Hosts</th><th>Worst</th><th class='num'>Open</th>"
            "<th class='num'>Pages</th><th class='num'>Allowed</th><th class='num'>Suppressed</th>"
            f"<th class='num'>Requests</th></tr></thead><tbody>{rows}</tbody></table>")


def _pages(report: Report) -> str:
    rows = "".join(f"<tr><td class='mono'>{escape(r.page or '(unknown page)')}</td><td>{_badge_or_dash(r.worst)}</td>"
                   f"<td class='num'>{r.open}</td><td>{escape(', '.join(r.vendors))}</td></tr>"
                   for r in page_rows(report))
    if not rows:
        return ""
    return ("<h3>Pages</h3>\n<table><thead><tr><th>Page</th><th>Worst</th><th class='num'>Open</th>"
            f"<th>Vendors</th></tr></thead><tbody>{rows}</tbody></table>")


def _badge_or_dash(severity: str) -> str:
    return f'<span class="badge sev-{severity}">{severity.upper()}</span>' if severity else "—"


def _finding_sections(report: Report) -> list[str]:
    sections = []
    for status, anchor, title in SECTIONS:
        groups = report.with_status(status)
        if groups or status == "open":
            cards = "\n".join(_card(group, report) for group in groups) or "<p>No open findings.</p>"
            sections.append(f'<section id="{anchor}">\n<h2>{escape(title)} ({len(groups)})</h2>\n{cards}\n</section>')
    return sections


def _card(group: FindingGroup, report: Report) -> str:
    finding, info = group.finding, rule_info(group.finding.rule_id)
    badge = (f'<span class="badge sev-{finding.severity}">{finding.severity.upper()}</span>'
             + (f' <span class="badge status-{group.status}">{group.status.upper()}</span>' if group.status != "open" else "")
             + (' <span class="badge expired">BASELINE EXPIRED</span>' if group.expired else ""))
    seen = f"seen {group.count} time{'s' if group.count != 1 else ''}"
    return (f'<article class="finding sev-{finding.severity} status-{group.status}" id="{escape(group.fingerprint)}">\n'
            f'<header>{badge}<h3>{escape(info.title)}</h3><code class="rule">{escape(finding.rule_id)}</code>'
            f'<span class="seen">{seen}</span></header>\n'
            f'<dl class="facts">{_facts(group, report)}</dl>\n{_advice(group)}\n</article>')


def _facts(group: FindingGroup, report: Report) -> str:
    f = group.finding
    facts = [
        ("Vendor", escape(f"{f.vendor} ({f.host})")),
        ("Page", f'<code>{escape(f.page_url or "(unknown page)")}</code>'),
        ("Request", f"<code>{escape(f.method)} {escape(f.url)}</code>"),
        ("Field", _chain(f.chain)),
        ("Category", escape(f.category + (f" — {f.term}" if f.term else ""))),
        ("Evidence", f"<code>{escape(f.evidence)}</code>"),
    ]
    if f.revealed:
        facts.append(("Raw value", f'<code class="revealed">{escape(f.revealed)}</code>'))
    facts.append(("How found", escape(f.detail or "—") + f" (confidence {f.confidence:.2f})"))
    if f.key_context:
        facts.append(("Key context", f"<code>{escape(f.key_context)}</code>"))
    if f.citation:
        facts.append(("Severity basis", escape(f.citation)))
    facts.append(("Seen in", _occurrences(group)))
    status = _status_fact(group)
    if status:
        facts.append(status)
    facts.append(("Fingerprint", f'<code class="fingerprint">{escape(group.fingerprint)}</code>'))
    return "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)


def _chain(chain: str) -> str:
    steps = '<span class="arrow"> → </span>'.join(f'<span class="step">{escape(s)}</span>' for s in chain.split(" → "))
    return f'<code class="chain">{steps}</code>'


def _occurrences(group: FindingGroup) -> str:
    by_source: dict[str, list[int]] = {}
    for source, index in group.occurrences:
        by_source.setdefault(source, []).append(index)
    parts = []
    for source, indexes in by_source.items():
        shown = ", ".join(f"#{i}" for i in indexes[:MAX_ENTRIES_SHOWN])
        more = f" … {len(indexes) - MAX_ENTRIES_SHOWN} more" if len(indexes) > MAX_ENTRIES_SHOWN else ""
        parts.append(f"<code>{escape(source)}</code> entry {shown}{more}")
    return f"{group.count} request(s): " + "; ".join(parts)


def _status_fact(group: FindingGroup) -> tuple[str, str] | None:
    entry = group.baseline_entry
    if group.status == "allowed":
        return "Allowed", escape(f"BAA: {group.allowed_reason or 'vendor allowed by the policy'}")
    if entry is None:
        return None
    text = f"{entry.reason} — owner {entry.owner}" + (f", expires {entry.expires}" if entry.expires else "")
    if group.expired:
        return "Baseline", escape(f"entry expired on {entry.expires}: reported again ({entry.reason}, owner {entry.owner})")
    return "Baselined", escape(text)


def _advice(group: FindingGroup) -> str:
    info = rule_info(group.finding.rule_id)
    refs = "".join(f"<li>{_reference(ref.title, ref.url)}"
                   + (f' <span class="applies">({escape(ref.applies)})</span>' if ref.applies else "") + "</li>"
                   for ref in info.references)
    cwe = ", ".join(f'<a href="https://cwe.mitre.org/data/definitions/{c.split("-")[1]}.html">{c}</a>' for c in info.cwe)
    todo = "".join(f"<li>{escape(step)}</li>" for step in info.remediation)
    return (f'<div class="advice"><div class="why"><h4>Why it matters</h4><p>{escape(info.description)}</p>'
            f'<ul class="refs">{refs}<li>{cwe}</li></ul></div>'
            f'<div class="fix"><h4>What to do</h4><ul>{todo}</ul></div></div>')


def _reference(title: str, url: str) -> str:
    return f'<a href="{escape(url)}">{escape(title)}</a>' if url else escape(title)


def _unused_baseline(report: Report) -> str:
    if not report.unused_baseline:
        return ""
    rows = "".join(f"<tr><td><code>{escape(e.fingerprint)}</code></td><td>{escape(e.parts.rule)}</td>"
                   f"<td>{escape(e.parts.host)}</td><td><code>{escape(e.parts.chain)}</code></td>"
                   f"<td><code>{escape(e.parts.page)}</code></td><td>{escape(e.reason)}</td><td>{escape(e.owner)}</td></tr>"
                   for e in report.unused_baseline)
    return ('<section id="baseline-unused">\n<h2>Unused baseline entries</h2>\n<p>These entries matched nothing in '
            'this run: the leak is fixed, or the entry no longer fits it. Remove them from the baseline.</p>\n'
            "<table><thead><tr><th>Fingerprint</th><th>Rule</th><th>Host</th><th>Field</th><th>Page</th><th>Reason</th>"
            f"<th>Owner</th></tr></thead><tbody>{rows}</tbody></table>\n</section>")


def _has_coverage_notes(meta: ReportMeta) -> bool:
    return bool(meta.errors or meta.skipped or meta.not_inspected)


def _coverage(report: Report) -> str:
    meta = report.meta
    if not _has_coverage_notes(meta):
        return ""
    parts = ['<section id="coverage">\n<h2>Not inspected</h2>\n<p>What pixelguard could not read is not known to '
             "be clean.</p>"]
    for title, lines in (("Captures that could not be read", meta.errors), ("Capture entries skipped", meta.skipped),
                         ("Requests not fully inspected", meta.not_inspected)):
        if lines:
            parts.append(f"<h3>{title} ({len(lines)})</h3><ul>" + "".join(f"<li><code>{escape(x)}</code></li>" for x in lines)
                         + "</ul>")
    return "\n".join(parts) + "\n</section>"


def _footer(report: Report) -> str:
    return ('<footer>Evidence is masked (a few characters, or the hash algorithm and six hex digits) unless the '
            "report says otherwise at the top. A finding's fingerprint (rule, vendor, host, field, page path) is what "
            f"<code>pixelguard baseline create</code> records. pixelguard {escape(report.meta.tool_version)}.</footer>")
