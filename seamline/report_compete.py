"""The competitor report as Markdown (stdout) and as one self-contained HTML page.

The HTML page is built like the run reports (seamline/report.py): inline style, no script, and a
Content-Security-Policy that lets the browser load nothing. The matrix is a table whose every cell links
to the evidence behind it; the price position is an inline SVG chart drawn here, from the numbers alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape as h

from seamline.agents.analyst import label
from seamline.agents.prices import money
from seamline.compete_results import Competitor, CompetitorReport, PricePosition
from seamline.report import page

MAX_SKIPPED_SHOWN = 10


def _md(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _ids(ids: Sequence[str]) -> str:
    return "[" + ", ".join(ids) + "]" if ids else ""


def _why(c: Competitor) -> str:
    """Why a competitor was kept, less what every competitor shares (type and audience)."""
    return "; ".join(w for w in c.why if not w.startswith(("same product type", "same audience")))


def _summary_note(report: CompetitorReport) -> str:
    cut = f"; {len(report.removed)} claim(s) removed" if report.removed else ""
    if report.summary_source == "model":
        return f"drafted by the model from the tables and checked against them{cut}"
    if report.summary_source == "model+computed":
        return (
            f"drafted by the model from the tables and checked against them{cut}; then a sentence from the "
            "tables for each main fact the draft left unsaid"
        )
    if report.summary_source == "computed":
        if not report.competitors:
            return "computed: there are no competitors to summarise"
        why = "no model summary" if not report.draft else "nothing of the model's draft passed the check"
        return f"computed from the tables ({why})"
    return "no summary"


def _market_lines(report: CompetitorReport) -> list[str]:
    m = report.market
    wanted = [
        f"type {m.product_type}" if m.product_type else "any type",
        f"audience {m.audience}" if m.audience else "any audience",
        f"brands other than {m.brand}" if m.brand else "any brand",
    ]
    if m.price_band:
        wanted.append(f"price {money(m.price_band[0], m.currency)} to {money(m.price_band[1], m.currency)}")
    lines = [
        f"{len(report.competitors)} competitor(s) kept of {m.considered} candidate(s) considered; "
        f"{m.eligible} eligible ({', '.join(wanted)}); the top {m.top} kept, most attribute values in "
        "common first."
    ]
    if m.excluded:
        lines.append("Left out: " + "; ".join(f"{why}: {k}" for why, k in m.excluded.items()) + ".")
    lines += [n[:1].upper() + n[1:] + "." for n in m.notes]
    if m.skipped_rows:
        shown = m.skipped[:MAX_SKIPPED_SHOWN]
        more = f" (first {len(shown)} below)" if m.skipped_rows > len(shown) else ""
        lines.append(f"Catalog rows skipped: {m.skipped_rows}{more}.")
    return lines


def _price_rows(p: PricePosition) -> list[tuple[str, str]]:
    cur = p.currency
    rows = [("competitor prices compared", f"{p.prices}" + (f" ({cur})" if cur else ""))]
    if p.prices:
        rows += [
            ("median", money(p.median, cur)),
            ("interquartile range", f"{money(p.q1, cur)} to {money(p.q3, cur)}"),
            ("lowest / highest", f"{money(p.min, cur)} / {money(p.max, cur)}"),
        ]
    if p.product_price is not None:
        at = f", percentile {p.percentile}" if p.percentile is not None else ""
        rows.append(
            ("your price", f"{money(p.product_price, cur)}{at} {_ids(p.product_evidence_ids)}".strip())
        )
    for g in p.by_attribute:
        what = "your whole bundle" if g.attribute == "bundle" else f"{label(g.attribute)} {g.value}"
        rows.append(
            (
                f"price by {what}",
                f"{g.same} share it: median {money(g.same_median, cur)}; "
                f"{g.other} do not: median {money(g.other_median, cur)}",
            )
        )
    return rows


# --- Markdown ------------------------------------------------------------------------------------------


def markdown(report: CompetitorReport) -> str:
    """The whole report as Markdown."""
    out = [
        f"# Competitor analysis: {report.product}",
        "",
        report.summary,
        "",
        f"_Summary: {_summary_note(report)}._",
    ]
    out += ["", "## The market", ""]
    out += [f"- Searched: {s}" for s in report.market.searched]
    out += ["", *_market_lines(report)]
    out += [f"- {s}" for s in report.market.skipped[:MAX_SKIPPED_SHOWN]]
    if not report.competitors:
        out += [
            "",
            "No competitors were found: nothing in what was searched is the same type and audience "
            "from another brand.",
        ]
        out += _md_evidence(report)
        return "\n".join(out) + "\n"
    out += [
        "",
        "## Competitors",
        "",
        "| # | competitor | brand | price | why it was kept | evidence |",
        "|---|---|---|---|---|---|",
    ]
    for c in report.competitors:
        price = money(c.price.amount, c.price.currency) if c.price else f"— ({c.price_note or 'no price'})"
        out.append(
            f"| {c.rank} | {_md(c.name)} | {_md(c.brand or '—')} | {_md(price)} | {_md(_why(c))} "
            f"| {c.evidence_id} |"
        )
    out += ["", "## Attribute matrix", "", "Each competitor column is that listing's evidence (compN below)."]
    head = ["attribute", "yours", "where you stand", *(c.evidence_id for c in report.competitors)]
    out += ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in report.matrix:
        yours = f"{row.product} {_ids(row.product_evidence_ids)}" if row.product else "—"
        cells = [_md(cell.value or "·") for cell in row.cells]
        stand = f"{row.verdict}: {_md(row.note)}"
        out.append(f"| {row.label} | {_md(yours)} | {stand} | " + " | ".join(cells) + " |")
    out += ["", "## Gaps in your listing", ""]
    out += [f"- {g.note} {_ids(g.evidence_ids)}" for g in report.gaps]
    if not report.gaps:
        out.append("None: your listing states every attribute most competitors state.")
    p = report.price_position
    out += ["", "## Price position", "", "| | |", "|---|---|"]
    out += [f"| {k} | {_md(v)} |" for k, v in _price_rows(p)]
    if p.note:
        out += ["", p.note[:1].upper() + p.note[1:] + "."]
    out += [f"- left out {x.evidence_id}: {x.reason}" for x in p.left_out]
    out += ["", "## Claims not to copy", ""]
    if report.do_not_copy:
        out += [
            "Competitors state these; the critic finds that your evidence does not support them.",
            "",
        ]
        out += ["| claim | as written | category | verdict | why | made by |", "|---|---|---|---|---|---|"]
        for d in report.do_not_copy:
            made_by = ", ".join(d.competitors)
            wording = f"| {_md(d.value)} | {_md(d.text)} | {d.category} | {d.verdict}"
            out.append(f"{wording} | {_md(d.reason)} | {made_by} |")
    else:
        out.append("None found.")
    out += _md_evidence(report)
    return "\n".join(out) + "\n"


def _md_evidence(report: CompetitorReport) -> list[str]:
    out = ["", "## Evidence", ""]
    for e in report.evidence:
        where = f" ({e.url})" if e.url else ""
        out.append(f"- [{e.id}] {e.source}: {_md(e.title)}{where}")
    status = report.status.state + (
        f" (stopped by {report.status.stopped_by})" if report.status.stopped_by else ""
    )
    total = report.timings.get("total")
    out += ["", f"_run {report.run_id}; {status}" + (f"; {total:.1f}s" if total is not None else "") + "_"]
    out += [f"> warning: {w}" for w in report.warnings]
    return out


# --- HTML ----------------------------------------------------------------------------------------------

_CSS = """
.cmp td, .cmp th { white-space: nowrap; }
.matrix-box { overflow-x: auto; }
.matrix td.same { background: #ecfdf5; }
.matrix td.differs { background: #fef2f2; }
.matrix td.yours { font-weight: 600; background: #eef4ff; }
.matrix td.stand { min-width: 230px; }
.matrix td { min-width: 80px; }
.matrix tr.gap th, .matrix tr.gap td.yours { color: var(--stop); }
.matrix a { color: inherit; text-decoration: none; border-bottom: 1px dotted var(--muted); }
.verdict-tag { font-size: .8rem; font-weight: 600; padding: 0 7px; border-radius: 999px;
  background: #e5e7eb; }
.verdict-tag.like { background: var(--kept); color: #065f46; }
.verdict-tag.differs { background: var(--cut); color: var(--cut-line); }
.verdict-tag.gap { background: #ffedd5; color: var(--stop); }
.verdict-tag.only { background: #e0e7ff; color: #3730a3; }
svg.price-chart { max-width: 100%; height: auto; font: 12px system-ui, "DejaVu Sans", sans-serif; }
svg.price-chart .iqr { fill: #dbeafe; stroke: #2563eb; }
svg.price-chart .median { fill: #1e3a8a; }
svg.price-chart .dot { fill: #64748b; }
svg.price-chart .yours { fill: #c2410c; }
svg.price-chart .axis { stroke: #94a3b8; }
"""


def _a(eid: str, text: str) -> str:
    return f'<a href="#ev-{h(eid)}" title="evidence {h(eid)}">{text}</a>'


def _verdict_tag(verdict: str) -> str:
    cls = {"like the market": "like", "differs": "differs", "gap": "gap", "only yours": "only"}.get(
        verdict, ""
    )
    return f'<span class="verdict-tag {cls}">{h(verdict)}</span>'


def price_chart(p: PricePosition, names: dict[str, str], prices: dict[str, float]) -> str:
    """The price position as inline SVG: each competitor a dot, the quartile box, the median, yours."""
    if not p.prices or p.min is None or p.max is None:
        return ""
    points = [*prices.values(), *([p.product_price] if p.product_price is not None else [])]
    lo, hi = min(points), max(points)
    span = (hi - lo) or max(hi * 0.1, 1.0)
    lo, hi = lo - span * 0.08, hi + span * 0.08
    width, left, right, axis_y = 720, 30, 30, 70

    def x(v: float) -> float:
        return round(left + (v - lo) / (hi - lo) * (width - left - right), 1)

    cur = p.currency
    parts = [
        f'<svg class="price-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 130" role="img" '
        f'aria-label="price position: competitor prices, quartiles, median and your price">',
        f"<title>Price position ({h(cur or 'one currency')})</title>",
        f'<line class="axis" x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}"/>',
    ]
    if p.q1 is not None and p.q3 is not None:
        box = f'x="{x(p.q1)}" y="{axis_y - 16}" width="{max(x(p.q3) - x(p.q1), 2)}" height="32" rx="3"'
        parts.append(
            f'<rect class="iqr" {box}><title>interquartile range {h(money(p.q1, cur))} to '
            f"{h(money(p.q3, cur))}</title></rect>"
        )
    if p.median is not None:
        mx, median = x(p.median), h(money(p.median, cur))
        parts.append(
            f'<rect class="median" x="{mx - 1.5}" y="{axis_y - 20}" width="3" height="40">'
            f"<title>median {median}</title></rect>"
            f'<text x="{mx}" y="{axis_y + 36}" text-anchor="middle">median {median}</text>'
        )
    seen: dict[float, int] = {}
    for eid, amount in prices.items():
        stack = seen.get(amount, 0)
        seen[amount] = stack + 1
        where = f'cx="{x(amount)}" cy="{axis_y - 24 - 8 * stack}" r="4"'
        parts.append(
            f'<circle class="dot" data-evidence="{h(eid)}" {where}>'
            f"<title>{h(eid)}: {h(names.get(eid, ''))}, {h(money(amount, cur))}</title></circle>"
        )
    parts.append(
        f'<text x="{x(p.min)}" y="{axis_y + 56}" text-anchor="middle">{h(money(p.min, cur))}</text>'
        f'<text x="{x(p.max)}" y="{axis_y + 56}" text-anchor="middle">{h(money(p.max, cur))}</text>'
    )
    if p.product_price is not None:
        px = x(p.product_price)
        at = f", percentile {p.percentile}" if p.percentile is not None else ""
        parts.append(
            f'<path class="yours" d="M{px} {axis_y - 8} l8 -14 h-16 z"><title>your price '
            f"{h(money(p.product_price, cur))}{h(at)}</title></path>"
            f'<text class="yours" x="{px}" y="{axis_y - 26 - 8 * max(seen.values(), default=0)}" '
            f'text-anchor="middle">yours {h(money(p.product_price, cur))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _matrix_html(report: CompetitorReport) -> str:
    head = "".join(f"<th>{_a(c.evidence_id, h(c.evidence_id))}</th>" for c in report.competitors)
    rows = []
    for row in report.matrix:
        yours = "—"
        if row.product:
            eid = row.product_evidence_ids[0] if row.product_evidence_ids else ""
            yours = _a(eid, h(row.product)) if eid else h(row.product)
        cells = "".join(
            f'<td class="{cell.relation.replace(" ", "-")}">'
            + (_a(cell.evidence_id, h(cell.value)) if cell.value else '<span class="muted">·</span>')
            + "</td>"
            for cell in row.cells
        )
        cls = ' class="gap"' if row.verdict == "gap" else ""
        rows.append(
            f'<tr{cls} data-attribute="{h(row.attribute)}"><th>{h(row.label)}</th>'
            f'<td class="yours">{yours}</td><td class="stand">{_verdict_tag(row.verdict)} {h(row.note)}</td>'
            f"{cells}</tr>"
        )
    return (
        '<div class="matrix-box"><table class="matrix"><tr><th>attribute</th><th>yours</th>'
        f"<th>where you stand</th>{head}</tr>{''.join(rows)}</table></div>"
    )


def _row(*cells: str) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _head(*names: str) -> str:
    return "<tr>" + "".join(f"<th>{h(n)}</th>" for n in names) + "</tr>"


def _competitors_html(report: CompetitorReport) -> str:
    rows = []
    for c in report.competitors:
        price = money(c.price.amount, c.price.currency) if c.price else c.price_note or "no price"
        name = _a(c.evidence_id, h(c.name))
        rows.append(_row(str(c.rank), name, h(c.brand or "—"), h(price), h(_why(c)), h(c.evidence_id)))
    head = _head("#", "competitor", "brand", "price", "why it was kept", "evidence")
    return (
        f'<section id="competitors"><h2>Competitors</h2><table class="cmp-list">{head}{"".join(rows)}'
        "</table></section>"
    )


def _do_not_copy_html(report: CompetitorReport) -> str:
    rows = [
        _row(
            h(d.value),
            h(d.text),
            h(d.category),
            h(d.verdict),
            h(d.reason),
            " ".join(_a(e, h(e)) for e in d.competitors),
        )
        for d in report.do_not_copy
    ]
    head = _head("claim", "as written", "category", "verdict", "why", "made by")
    table = f"<table>{head}{''.join(rows)}</table>" if rows else "<p>None found.</p>"
    return (
        '<section id="do-not-copy"><h2>Claims not to copy</h2><p class="muted">Competitors state these; '
        f"the critic finds that your evidence does not support them.</p>{table}</section>"
    )


def html_report(report: CompetitorReport) -> str:
    """The report as one self-contained HTML document."""
    from seamline.report_style import CSS

    p = report.price_position
    m = report.market
    figures = [
        (len(report.competitors), "competitors"),
        (m.considered, "candidates considered"),
        (len(report.gaps), "gaps in your listing"),
        (len(report.do_not_copy), "claims not to copy"),
    ]
    items = "".join(f"<li><b>{n}</b> {h(what)}</li>" for n, what in figures)
    warn = "".join(f"<li>{h(w)}</li>" for w in report.warnings)
    parts = [
        f'<header class="run"><h1>Competitor analysis: {h(report.product)}</h1>'
        f'<div class="meta"><span class="pill {h(report.status.state)}">{h(report.status.state)}</span> '
        f'run <span class="mono">{h(report.run_id)}</span></div><ul class="figures">{items}</ul>'
        + (f'<ul class="warnings">{warn}</ul>' if warn else "")
        + "</header>",
        f'<section id="summary"><h2>Summary</h2><p class="prose">{h(report.summary)}</p>'
        f'<p class="legend">{h(_summary_note(report))}.</p></section>',
    ]
    searched = "".join(f"<li>{h(s)}</li>" for s in m.searched)
    skipped = "".join(f'<li class="mono">{h(s)}</li>' for s in m.skipped[:MAX_SKIPPED_SHOWN])
    market_text = "".join(f"<p>{h(line)}</p>" for line in _market_lines(report))
    parts.append(
        f'<section id="market"><h2>The market</h2>{market_text}<h3>Searched</h3><ul>{searched}</ul>'
        + (f"<h3>Skipped rows</h3><ul>{skipped}</ul>" if skipped else "")
        + "</section>"
    )
    if report.competitors:
        parts.append(_competitors_html(report))
        parts.append(
            f'<section id="matrix"><h2>Attribute matrix</h2>{_matrix_html(report)}<p class="legend">'
            '<span><i class="sw" style="background:#ecfdf5;border-color:#059669"></i>same as yours</span>'
            '<span><i class="sw" style="background:#fef2f2;border-color:#b91c1c"></i>differs</span>'
            "<span>white: stated where yours is not</span><span>· not stated</span>"
            "<span>every value links to the listing that states it</span>"
            "</p></section>"
        )
        gaps = (
            "".join(
                f"<li>{h(g.note)} · {' '.join(_a(e, h(e)) for e in g.evidence_ids)}</li>" for g in report.gaps
            )
            or "<li>None: your listing states every attribute most competitors state.</li>"
        )
        parts.append(f'<section id="gaps"><h2>Gaps in your listing</h2><ul>{gaps}</ul></section>')
        names = {c.evidence_id: c.name for c in report.competitors}
        left = {x.evidence_id for x in p.left_out}
        prices = {
            c.evidence_id: c.price.amount
            for c in report.competitors
            if c.price is not None and c.evidence_id not in left
        }
        table = "".join(f"<tr><th>{h(k)}</th><td>{h(v)}</td></tr>" for k, v in _price_rows(p))
        notes = f'<p class="muted">{h(p.note)}.</p>' if p.note else ""
        parts.append(
            f'<section id="prices"><h2>Price position</h2>{price_chart(p, names, prices)}'
            f'<table class="price-table">{table}</table>{notes}</section>'
        )
        parts.append(_do_not_copy_html(report))
    evidence = "".join(
        f'<div class="ev" id="ev-{h(e.id)}"><b class="mono">[{h(e.id)}]</b> <b>{h(e.title)}</b>'
        f'<div class="meta">{h(e.source)} <span class="mono">{h(e.url or "")}</span></div>'
        f'<div class="ev-text">{h(e.text if len(e.text) <= 1200 else e.text[:1200] + "…")}</div></div>'
        for e in report.evidence
    )
    parts.append(f'<section id="evidence"><h2>Evidence</h2>{evidence}</section>')
    parts.append(
        f'<footer>Seamline competitor report · run <span class="mono">{h(report.run_id)}</span></footer>'
    )
    body = "\n".join(parts)
    return page(f"Seamline: competitors of {report.product}", body).replace(
        f"<style>{CSS}</style>", f"<style>{CSS}{_CSS}</style>", 1
    )
