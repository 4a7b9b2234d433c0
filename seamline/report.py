"""HTML reports of runs: the graph with the run drawn on it, the step timeline and the claim ledger.

Every page is one self-contained file: inline style, inline SVG, no script, and a Content-Security-Policy
that lets the browser load nothing from anywhere. Clicking a claim shows its evidence through CSS
``:target`` alone, so the page works with scripts off. A copywriter audits a description here without
reading JSON.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape as h

from seamline.graphs.overlay import Overlay, ToolCall, overlay
from seamline.graphs.svg import display_name, render_svg, seconds
from seamline.report_style import CSP, CSS
from seamline.results import Claim, DescribeResult, Evidence

_WORD = re.compile(r"[a-z0-9%]{4,}")


def page(title: str, body: str) -> str:
    """A whole HTML document around ``body``, with the inline style sheet and the no-network policy."""
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta http-equiv="x-dns-prefetch-control" content="off">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{h(title)}</title><style>{CSS}</style></head>\n"
        f"<body><main>\n{body}\n</main></body></html>\n"
    )


def graph_html(name: str, result: DescribeResult | None = None) -> str:
    """The HTML page of a graph: with a run, that run's whole report; without, the graph and a legend."""
    if result is not None:
        return run_report(result)
    from seamline.graphs.visualize import GRAPHS, graph_parts

    nodes, edges = graph_parts(name)
    svg = render_svg(nodes, edges, title=f"{name} graph")
    body = (
        f'<header class="run"><h1>The {h(name)} graph</h1><p class="meta">{h(GRAPHS[name])}</p></header>'
        f'<section><div class="graph-box">{svg}</div><p class="legend">Dashed edges are conditional, '
        "labelled with what their router decides. <code>agent graph --run RUN_ID</code> draws a run on it."
        "</p></section>"
    )
    return page(f"Seamline: {name} graph", body)


def run_report(result: DescribeResult) -> str:
    """The report of one finished run, as a self-contained HTML document."""
    ev_index = {e.id: i for i, e in enumerate(result.evidence)}
    run = overlay(result) if result.steps else None
    parts = [
        _header(result),
        _graph_section(result, run, ev_index),
        _ledger_section(result, ev_index),
        _competitor_section(result, ev_index),
        _timeline_section(result, run, ev_index),
        _evidence_section(result, run, ev_index),
        f'<footer>Seamline run report · run <span class="mono">{h(result.run_id)}</span></footer>',
    ]
    return page(f"Seamline: {result.product}", "\n".join(p for p in parts if p))


# --- sections -----------------------------------------------------------------------------------------


def _header(result: DescribeResult) -> str:
    status = result.status
    state = f'<span class="pill {h(status.state)}">{h(status.state)}</span>'
    if status.stopped_by:
        state += f'<span class="pill stopped">stopped by {h(status.stopped_by)}</span>'
    product_ev = sum(e.about_product for e in result.evidence)
    figures = [
        (len(result.claims), "claims kept"),
        (len(result.removed), "claims removed"),
        (len(result.evidence), f"evidence items ({product_ev} about this product)"),
        (len(result.steps), "steps"),
        (result.usage.total, "tokens"),
    ]
    total = result.timings.get("total")
    items = "".join(f"<li><b>{n}</b> {h(what)}</li>" for n, what in figures)
    if total is not None:
        items += f"<li><b>{h(seconds(total))}</b> in all</li>"
    notes = list(result.warnings)
    if status.message:
        notes.insert(0, status.message)
    if status.failed_sources:
        notes.append("failed sources: " + ", ".join(status.failed_sources))
    warn = "".join(f"<li>{h(w)}</li>" for w in notes)
    return (
        f'<header class="run"><h1>{h(result.product)}</h1>'
        f'<div class="meta">{state} run <span class="mono">{h(result.run_id)}</span></div>'
        f'<ul class="figures">{items}</ul>'
        + (f'<ul class="warnings">{warn}</ul>' if warn else "")
        + "</header>"
    )


def _graph_section(result: DescribeResult, run: Overlay | None, ev_index: dict[str, int]) -> str:
    from seamline.graphs.visualize import graph_parts

    nodes, edges = graph_parts("describe")
    links = {n: f"#node-{n}" for n in nodes if run is not None and n in run.nodes}
    svg = render_svg(nodes, edges, run, links=links, title=f"run {result.run_id} on the describe graph")
    legend = (
        '<p class="legend"><span><i class="sw" style="background:#eef4ff;border-color:#2563eb"></i>ran</span>'
        '<span><i class="sw" style="background:#f5f7fa;border-color:#c3cad3;border-style:dashed"></i>not run'
        '</span><span><i class="sw" style="background:#fff;border-color:#c2410c"></i>a budget stopped the '
        "run here</span><span>n×: how often a node ran (once where unmarked)</span>"
        "<span>blue edges: the path taken</span></p>"
    )
    if run is None:
        note = '<p class="muted">This run recorded no steps, so the graph is drawn without it.</p>'
        return f'<section id="graph"><h2>The graph</h2><div class="graph-box">{svg}</div>{note}</section>'
    rows = []
    for node in nodes:
        stats = run.nodes.get(node)
        if stats is None:
            continue
        what = list(stats.notes)
        if run.stopped_at == node:
            what.append(f"budget {run.stopped_by} stopped the run at step {run.stopped_step}")
        steps = " ".join(f'<a href="#step-{n}">{n}</a>' for n in stats.steps)
        rows.append(
            f'<tr id="node-{h(node)}"><td><b>{h(display_name(node))}</b></td><td>{stats.visits}</td>'
            f'<td class="num">{h(seconds(stats.seconds))}</td><td class="num">{stats.tokens or ""}</td>'
            f"<td>{h('; '.join(what))}</td><td>{steps}</td></tr>"
        )
    table = (
        "<table><tr><th>node</th><th>runs</th><th>time</th><th>tokens</th><th>what it did</th>"
        f"<th>steps</th></tr>{''.join(rows)}</table>"
    )
    return (
        '<section id="graph"><h2>The run on the graph</h2><div class="cols">'
        f'<div class="graph-box">{svg}{legend}</div><div class="side">{table}'
        f"{_tool_table(run.tool_calls, ev_index)}</div></div></section>"
    )


def _tool_table(calls: Sequence[ToolCall], ev_index: dict[str, int]) -> str:
    if not calls:
        return ""
    rows = "".join(
        f'<tr><td><a href="#step-{c.step}">{c.step}</a></td><td><code>{h(_call(c.tool, c.args))}</code>'
        + (f'<div class="meta">{h(c.why)}</div>' if c.why else "")
        + f"</td><td>{_ev_links(c.evidence_ids, ev_index) or h(c.outcome)}</td></tr>"
        for c in calls
    )
    return (
        f"<h3>Tool calls</h3><table><tr><th>step</th><th>call</th><th>evidence added</th></tr>{rows}</table>"
    )


def _ledger_section(result: DescribeResult, ev_index: dict[str, int]) -> str:
    evidence = {e.id: e for e in result.evidence}
    kept = _spans(result.description, result.claims, use_removed_text=False)
    description = _marked(
        result.description, kept, lambda i: (f'<a class="claim" href="#claim-{i}">', "</a>")
    )
    draft_text = _critic_draft(result)
    cut = _spans(draft_text, result.removed, use_removed_text=True)
    draft = _marked(
        draft_text,
        cut,
        lambda j: (
            f'<a class="cut" href="#cut-{j}" title="{h(_why(result.removed[j]))}"><del>',
            f"</del><sup>{j + 1}</sup></a>",
        ),
    )
    cards = [_claim_card(f"claim-{i}", c, evidence, ev_index) for i, c in enumerate(result.claims)]
    cards += [_claim_card(f"cut-{j}", c, evidence, ev_index) for j, c in enumerate(result.removed)]
    removed = "".join(
        f'<li><a href="#cut-{j}"><del>{h(c.text)}</del></a> <span class="meta">{h(c.category)} · '
        f'<span class="verdict {h(c.verdict)}">{h(c.verdict)}</span>'
        + (f" · {h(c.reason)}" if c.reason else "")
        + (f" · cut “{h(c.removed_text)}”" if c.removed_text else "")
        + "</span></li>"
        for j, c in enumerate(result.removed)
    )
    ledger = "".join(
        f'<tr><td><a href="#{anchor}">{h(c.text)}</a></td><td>{h(c.category)}</td>'
        f'<td><span class="verdict {h(c.verdict)}">{_mark(c)} {h(c.verdict)}</span></td>'
        f"<td>{_ev_links(c.evidence_ids, ev_index)}</td></tr>"
        for anchor, c in [(f"claim-{i}", c) for i, c in enumerate(result.claims)]
        + [(f"cut-{j}", c) for j, c in enumerate(result.removed)]
    )
    details = "".join(
        f"<tr><td>{h(d.attribute)}</td><td>{h(d.value)}</td>"
        f"<td>{_ev_links(d.evidence_ids, ev_index)}</td></tr>"
        for d in result.details
    )
    main = (
        f'<p class="prose description">{description or "<span class=muted>(empty)</span>"}</p>'
        f'<p class="meta">{len(result.claims)} claims kept, each highlighted: '
        "click one to see its evidence.</p>"
    )
    if draft_text:
        main += f'<h3>The draft, with what the critic removed</h3><p class="prose draft">{draft}</p>'
    if removed:
        main += f'<h3>Claims removed</h3><ol class="removed-list">{removed}</ol>'
    if details:
        main += (
            "<h3>Details (computed from evidence)</h3><table><tr><th>attribute</th><th>value</th>"
            f"<th>evidence</th></tr>{details}</table>"
        )
    if ledger:
        main += (
            "<h3>Claim ledger</h3><table><tr><th>claim</th><th>category</th><th>verdict</th>"
            f"<th>evidence</th></tr>{ledger}</table>"
        )
    panel = '<p class="hint">Click a highlighted claim, or a struck-through one, to see its evidence.</p>'
    return (
        '<section id="description"><h2>Description</h2><div class="cols">'
        f'<div class="wide">{main}</div><aside class="side panel">{panel}{"".join(cards)}</aside>'
        "</div></section>"
    )


def _competitor_section(result: DescribeResult, ev_index: dict[str, int]) -> str:
    if not result.competitors and not result.analysis:
        return ""
    rows = "".join(
        f"<tr><td>{_ev_links([c.evidence_id], ev_index)} {h(c.title)}</td>"
        f"<td>{'' if c.price is None else h(f'{c.price:g}')}</td><td>{h(', '.join(c.shared))}</td>"
        f"<td>{h('; '.join(f'{k}: {v[0]} vs {v[-1]}' for k, v in c.differs.items()))}</td>"
        f"<td>{h('; '.join(f'{k}: {v}' for k, v in c.only_theirs.items()))}</td></tr>"
        for c in result.competitors
    )
    table = (
        "<table><tr><th>listing</th><th>price</th><th>same</th><th>differs (ours vs theirs)</th>"
        f"<th>only theirs</th></tr>{rows}</table>"
        if rows
        else ""
    )
    return f'<section id="competitors"><h2>Competitors</h2><p>{h(result.analysis)}</p>{table}</section>'


def _timeline_section(result: DescribeResult, run: Overlay | None, ev_index: dict[str, int]) -> str:
    if not result.steps:
        return '<section id="timeline"><h2>Steps</h2><p class="muted">No steps were recorded.</p></section>'
    calls: dict[int, list[ToolCall]] = {}
    for call in run.tool_calls if run else []:
        calls.setdefault(call.step, []).append(call)
    items = []
    for step in result.steps:
        rows: list[tuple[str, str]] = []
        for label, text in (
            ("thoughts", step.thoughts),
            ("reasoning", step.reasoning),
            ("criticism", step.criticism),
        ):
            if text:
                rows.append((label, h(text)))
        if step.plan:
            rows.append(("plan", "<ul>" + "".join(f"<li>{h(p)}</li>" for p in step.plan) + "</ul>"))
        if step.node == "research" and step.number in calls:
            acts = [
                f"<li><code>{h(_call(c.tool, c.args))}</code> → "
                + (_ev_links(c.evidence_ids, ev_index) or h(c.outcome))
                + (f' <span class="meta">({h(c.why)})</span>' if c.why else "")
                + "</li>"
                for c in calls[step.number]
            ]
            rows.append(("actions", "<ul>" + "".join(acts) + "</ul>"))
        elif step.actions:
            acts = [
                f"<li><code>{h(_call(a.tool, a.args))}</code>"
                + (f' <span class="meta">({h(a.why)})</span>' if a.why else "")
                + "</li>"
                for a in step.actions
            ]
            label = "chose" if step.node == "plan" else "actions"
            rows.append((label, "<ul>" + "".join(acts) + "</ul>"))
        if step.observations:
            obs = "".join(f"<li>{h(_cut(o, 600))}</li>" for o in step.observations)
            rows.append(("observations", f"<ul>{obs}</ul>"))
        if step.error:
            rows.append(("error", h(step.error)))
        meta = seconds(step.duration_s) + (f" · {step.usage.total} tokens" if step.usage.total else "")
        stop = run is not None and run.stopped_step == step.number
        if stop and run is not None:
            meta += f" · budget {run.stopped_by} stopped the run here"
        dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
        cls = f"step node-{h(step.node)}" + (" stop" if stop else "")
        items.append(
            f'<li id="step-{step.number}" class="{cls}"><div class="step-head">{step.number} · '
            f'{h(step.node)}<span class="meta">{h(meta)}</span></div><dl>{dl}</dl></li>'
        )
    return f'<section id="timeline"><h2>Steps</h2><ol class="steps">{"".join(items)}</ol></section>'


def _evidence_section(result: DescribeResult, run: Overlay | None, ev_index: dict[str, int]) -> str:
    cited: dict[str, list[str]] = {}
    for i, c in enumerate(result.claims):
        for eid in c.evidence_ids:
            cited.setdefault(eid, []).append(f'<a href="#claim-{i}">{h(c.text)}</a>')
    for j, c in enumerate(result.removed):
        for eid in c.evidence_ids:
            cited.setdefault(eid, []).append(f'<a class="against" href="#cut-{j}">{h(c.text)}</a>')
    added_by = {eid: c for c in (run.tool_calls if run else []) for eid in c.evidence_ids}
    items = []
    for i, e in enumerate(result.evidence):
        tag = "product" if e.about_product else "general"
        tag_text = "about this product" if e.about_product else "not about this product"
        where = ""
        if e.url:
            url = h(e.url)
            link = e.url.startswith(("http://", "https://"))
            where = (
                f'<a href="{url}" rel="noreferrer noopener">{url}</a>'
                if link
                else f'<span class="mono">{url}</span>'
            )
        origin = added_by.get(e.id)
        meta = [h(e.source)]
        if origin is not None:
            meta.append(
                f'added by <a href="#step-{origin.step}">step {origin.step}</a> '
                f"<code>{h(_call(origin.tool, origin.args))}</code>"
            )
        chips = f'<div class="chips">decides: {"".join(cited[e.id])}</div>' if e.id in cited else ""
        text = (
            h(e.text)
            if len(e.text) <= 1500
            else f"<details><summary>{h(e.text[:1500])}…</summary>{h(e.text[1500:])}</details>"
        )
        items.append(
            f'<div class="ev" id="ev-{i}"><b class="mono">[{h(e.id)}]</b> <b>{h(e.title)}</b>'
            f'<span class="tag {tag}">{tag_text}</span><div class="meta">{" · ".join(meta)} {where}</div>'
            f'<div class="ev-text">{text}</div>{chips}</div>'
        )
    body = "".join(items) or '<p class="muted">No evidence.</p>'
    return f'<section id="evidence"><h2>Evidence ({len(result.evidence)})</h2>{body}</section>'


# --- claims in text ----------------------------------------------------------------------------------


def _spans(text: str, claims: Sequence[Claim], *, use_removed_text: bool) -> list[tuple[int, int, int]]:
    """Where each claim sits in ``text``, as (start, end, claim index), sorted and not overlapping.

    The recorded offsets are used when they still point at the claim's words; otherwise (a later text,
    an older run) the words are searched for. For a removed claim the span is what the critic cut when
    that lies over the claim ("and made in Italy"), else the claim's own words.
    """
    low = text.lower()
    found: list[tuple[int, int, int]] = []
    for i, claim in enumerate(claims):
        span = _locate(low, claim.text.lower(), claim.start, found)
        if span is None:
            continue
        if use_removed_text and claim.removed_text:
            cut = claim.removed_text.strip().rstrip(".").lower()
            over = [at for at in _all(low, cut) if at < span[1] and span[0] < at + len(cut)] if cut else []
            if over:
                span = (over[0], over[0] + len(cut))
        if not any(s < span[1] and span[0] < e for s, e, _ in found):
            found.append((span[0], span[1], i))
    return sorted(found)


def _locate(
    low: str, needle: str, hint: int, taken: Sequence[tuple[int, int, int]]
) -> tuple[int, int] | None:
    if not needle:
        return None
    if 0 <= hint and low[hint : hint + len(needle)] == needle:
        return hint, hint + len(needle)
    at = low.find(needle)
    while at != -1:
        if not any(s < at + len(needle) and at < e for s, e, _ in taken):
            return at, at + len(needle)
        at = low.find(needle, at + 1)
    return None


def _marked(text: str, spans: Sequence[tuple[int, int, int]], tags) -> str:  # type: ignore[no-untyped-def]
    out, pos = [], 0
    for start, end, i in spans:
        opening, closing = tags(i)
        out.append(h(text[pos:start]) + opening + h(text[start:end]) + closing)
        pos = end
    out.append(h(text[pos:]))
    return "".join(out)


def _critic_draft(result: DescribeResult) -> str:
    """The draft the critic judged last: the revised one when the run revised, else the first."""
    drafts = [s.observations[0] for s in result.steps if s.node == "draft" and s.observations]
    return drafts[-1] if drafts else result.draft


def _claim_card(anchor: str, claim: Claim, evidence: dict[str, Evidence], ev_index: dict[str, int]) -> str:
    kept = claim.verdict == "supported"
    quotes = "".join(
        _quote(evidence[eid], claim, ev_index.get(eid, 0), against=not kept)
        for eid in claim.evidence_ids
        if eid in evidence
    )
    if not quotes:
        quotes = '<p class="muted">No product evidence states it.</p>' if not kept else ""
    cut = f'<p class="meta">Cut from the draft: “{h(claim.removed_text)}”</p>' if claim.removed_text else ""
    return (
        f'<div class="card" id="{anchor}"><h4><span class="verdict {h(claim.verdict)}">'
        f"{_mark(claim)} {h(claim.verdict)}</span> · {h(claim.category)}: “{h(claim.text)}”</h4>"
        f'<p class="reason">{h(_why(claim))}</p>{cut}{quotes}</div>'
    )


def _mark(claim: Claim) -> str:
    return "✓" if claim.verdict == "supported" else "✗"


def _why(claim: Claim) -> str:
    value = f" (value: {claim.value})" if claim.value and claim.value.lower() != claim.text.lower() else ""
    return (claim.reason or claim.verdict) + value


def _quote(ev: Evidence, claim: Claim, index: int, *, against: bool) -> str:
    """An excerpt of the evidence around where it states the claim, the matching words marked."""
    terms = _terms(claim)
    low = ev.text.lower()
    hits = sorted((at, at + len(t)) for t in terms for at in _all(low, t))
    first = hits[0][0] if hits else 0
    lo = max(0, first - 220)
    hi = min(len(ev.text), max(first + 280, lo + 400))
    window = [(max(s, lo) - lo, min(e, hi) - lo, 0) for s, e in hits if s >= lo and e <= hi]
    merged: list[tuple[int, int, int]] = []
    for s, e, _ in window:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]), 0)
        else:
            merged.append((s, e, 0))
    excerpt = _marked(ev.text[lo:hi], merged, lambda _i: ("<mark>", "</mark>"))
    excerpt = ("…" if lo else "") + excerpt + ("…" if hi < len(ev.text) else "")
    tag = "about this product" if ev.about_product else "not about this product"
    return (
        f'<div class="quote{" against" if against else ""}"><div class="meta"><a href="#ev-{index}">'
        f"[{h(ev.id)}]</a> {h(ev.source)} · {tag} · {h(ev.title)}</div>"
        f'<div class="ev-text">{excerpt}</div></div>'
    )


def _terms(claim: Claim) -> list[str]:
    """Words to mark in the evidence: the claim's words, its value, and their stems ("checked" -> "check")."""
    terms = {claim.text.lower(), claim.value.lower()}
    for word in _WORD.findall(f"{claim.text} {claim.value}".lower()):
        terms.add(word)
        for suffix in ("ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                terms.add(word[: -len(suffix)])
                break
    return [t for t in terms if t]


def _all(low: str, term: str) -> list[int]:
    out, at = [], low.find(term)
    while at != -1:
        out.append(at)
        at = low.find(term, at + 1)
    return out


# --- small pieces -------------------------------------------------------------------------------------


def _call(tool: str, args: dict[str, str | int | float | bool]) -> str:
    return f"{tool}({', '.join(f'{k}={v!r}' for k, v in args.items())})"


def _ev_links(ids: Sequence[str], ev_index: dict[str, int]) -> str:
    return " ".join(
        f'<a href="#ev-{ev_index[i]}" class="mono">{h(i)}</a>'
        if i in ev_index
        else f'<span class="mono">{h(i)}</span>'
        for i in ids
    )


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
