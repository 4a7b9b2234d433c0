"""HTML reports of runs: the graph with the run drawn on it, the step timeline and the claim ledger.

Every page is one self-contained file: inline style, inline SVG, no script, and a Content-Security-Policy
that lets the browser load nothing from anywhere. Clicking a claim shows its evidence through CSS
``:target`` alone, so the page works with scripts off. A copywriter audits a description here without
reading JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape as h

from seamline.graphs.overlay import Overlay, ToolCall, overlay
from seamline.graphs.svg import display_name, render_svg, seconds
from seamline.report_ledger import ev_links, ledger_section
from seamline.report_style import CSP, CSS
from seamline.results import DescribeResult


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
        ledger_section(result, ev_index),
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
        + f"</td><td>{ev_links(c.evidence_ids, ev_index) or h(c.outcome)}</td></tr>"
        for c in calls
    )
    return (
        f"<h3>Tool calls</h3><table><tr><th>step</th><th>call</th><th>evidence added</th></tr>{rows}</table>"
    )


def _competitor_section(result: DescribeResult, ev_index: dict[str, int]) -> str:
    if not result.competitors and not result.analysis:
        return ""
    rows = "".join(
        f"<tr><td>{ev_links([c.evidence_id], ev_index)} {h(c.title)}</td>"
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
                + (ev_links(c.evidence_ids, ev_index) or h(c.outcome))
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


def _call(tool: str, args: dict[str, str | int | float | bool]) -> str:
    return f"{tool}({', '.join(f'{k}={v!r}' for k, v in args.items())})"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
