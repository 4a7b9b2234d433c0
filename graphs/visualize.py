"""Draw the agent's graphs offline as Mermaid, ASCII, DOT, SVG or an HTML page, a recorded run on them.

SVG comes from our own layout (grandalf, see layout.py); nothing is fetched from mermaid.ink or a CDN.
Conditional edges carry their router's outcomes; the graphs' shapes are data (shape.py).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seamline.errors import UsageError
from seamline.graphs.shape import END, SHAPES, START, GraphEdge
from seamline.graphs.svg import display_name, node_lines, render_svg

if TYPE_CHECKING:
    from seamline.graphs.overlay import Overlay
    from seamline.results import DescribeResult

FORMATS = ("mermaid", "ascii", "dot", "svg", "html")

GRAPHS = {
    "describe": "plan → research → reflect (loop) → draft → critic (→ revise) → finish",
    "compete": "research → market (→ analyse → summarise → critic) → finish: the competitor report",
}
"""Every graph `agent graph` draws, with a line about it (their shapes are in shape.SHAPES)."""


def check_choice(name: str, fmt: str) -> None:
    """A UsageError (one line) for a graph or format that does not exist."""
    if name not in GRAPHS:
        raise UsageError(f"unknown graph {name!r}; graphs: {', '.join(GRAPHS)}")
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; use {', '.join(FORMATS)}")


def graph_parts(name: str = "describe") -> tuple[list[str], list[GraphEdge]]:
    """A graph's nodes, in LangGraph's order, and its edges, the conditional ones labelled."""
    check_choice(name, "mermaid")
    shape = SHAPES[name]
    return list(shape.nodes), list(shape.edges)


def draw(name: str = "describe", fmt: str = "mermaid", result: DescribeResult | None = None) -> str:
    """The graph in a format; with ``result``, that run drawn on it."""
    from seamline.graphs.overlay import overlay

    check_choice(name, fmt)
    if fmt == "html":
        from seamline.report import graph_html

        return graph_html(name, result)
    nodes, edges = graph_parts(name)
    run = overlay(result) if result is not None else None
    if fmt == "mermaid":
        return mermaid(name, nodes, edges, run)
    if fmt == "ascii":
        return ascii_art(nodes, edges, run)
    if fmt == "dot":
        return dot(name, nodes, edges, run)
    title = f"{name} graph" + (f": run {result.run_id}" if result is not None else "")
    return render_svg(nodes, edges, run, title=title) + "\n"


def _labels(nodes: list[str], run: Overlay | None) -> dict[str, list[str]]:
    """Each node's name and, with a run, the lines saying what the run did there."""
    return {
        n: [display_name(n), *node_lines(n, run.nodes.get(n) if run else None, run is not None)]
        for n in nodes
    }


def mermaid(name: str, nodes: list[str], edges: list[GraphEdge], run: Overlay | None = None) -> str:
    """Mermaid flowchart text: pinned by a snapshot test, so its shape changes only on purpose."""
    labels = _labels(nodes, run)
    out = ["---", f"title: {name}", "---", "flowchart TD"]
    for n in nodes:
        text = "<br/>".join(labels[n]).replace('"', "#quot;")
        out.append(f'    {n}(["{text}"])' if n in (START, END) else f'    {n}["{text}"]')
    taken: list[int] = []
    for i, e in enumerate(edges):
        count = run.edges.get((e.source, e.target), 0) if run else 0
        label = " ".join(filter(None, [e.label, f"×{count}" if count > 1 else ""]))
        if e.conditional:
            arrow = f"-. {label} .->" if label else "-.->"
        else:
            arrow = f"-- {label} -->" if label else "-->"
        out.append(f"    {e.source} {arrow} {e.target}")
        if count:
            taken.append(i)
    if run is not None:
        out += [
            "    classDef ran fill:#eef4ff,stroke:#2563eb",
            "    classDef skipped fill:#f5f7fa,stroke:#c3cad3,stroke-dasharray:4 3,color:#9aa5b1",
            "    classDef stopped stroke:#c2410c,stroke-width:3px",
        ]
        ran = [n for n in nodes if n not in (START, END) and run.ran(n)]
        skipped = [n for n in nodes if n not in (START, END) and not run.ran(n)]
        for cls, members in (("ran", ran), ("skipped", skipped)):
            if members:
                out.append(f"    class {','.join(members)} {cls}")
        if run.stopped_at:
            out.append(f"    class {run.stopped_at} stopped")
        if taken:
            out.append(f"    linkStyle {','.join(map(str, taken))} stroke:#2563eb,stroke-width:2.5px")
    return "\n".join(out) + "\n"


def ascii_art(nodes: list[str], edges: list[GraphEdge], run: Overlay | None = None) -> str:
    """LangGraph's ASCII drawing (grandalf), then the labels it cannot draw, one edge a line."""
    from langchain_core.runnables.graph import Edge
    from langchain_core.runnables.graph_ascii import draw_ascii

    labels = {n: " · ".join(lines) for n, lines in _labels(nodes, run).items()}
    art = draw_ascii(labels, [Edge(e.source, e.target, None, e.conditional) for e in edges])
    legend = []
    for e in edges:
        if e.label or run is not None:
            count = run.edges.get((e.source, e.target), 0) if run else 0
            taken = f" (taken {count}×)" if count else ""
            label = f": {e.label}" if e.label else ""
            legend.append(f"{display_name(e.source)} -> {display_name(e.target)}{label}{taken}")
    if run is not None and run.stopped_at:
        legend.append(f"stopped by {run.stopped_by} at {run.stopped_at} (step {run.stopped_step})")
    return art.rstrip("\n") + "\n\n" + "\n".join(legend) + "\n"


def dot(name: str, nodes: list[str], edges: list[GraphEdge], run: Overlay | None = None) -> str:
    """Graphviz DOT text, for anyone who has graphviz; written here, so drawing needs none."""

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    labels = _labels(nodes, run)
    out = [
        f"digraph {q(name)} {{",
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for n in nodes:
        attrs = {"label": "\n".join(labels[n])}
        if n in (START, END):
            attrs["shape"] = "oval"
        elif run is not None:
            ran = run.ran(n)
            attrs["fillcolor"] = "#eef4ff" if ran else "#f5f7fa"
            attrs["color"] = "#c2410c" if run.stopped_at == n else ("#2563eb" if ran else "#c3cad3")
            if not ran:
                attrs["style"] = "rounded,filled,dashed"
            if run.stopped_at == n:
                attrs["xlabel"] = f"stopped: {run.stopped_by}"
                attrs["penwidth"] = "3"
        out.append(f"  {q(n)} [{', '.join(f'{k}={q(v)}' for k, v in attrs.items())}];")
    for e in edges:
        attrs = {}
        count = run.edges.get((e.source, e.target), 0) if run else 0
        label = " ".join(filter(None, [e.label, f"×{count}" if count > 1 else ""]))
        if label:
            attrs["label"] = label
        if e.conditional:
            attrs["style"] = "dashed"
        if count:
            attrs["color"] = "#2563eb"
            attrs["penwidth"] = "2"
        tail = f" [{', '.join(f'{k}={q(v)}' for k, v in attrs.items())}]" if attrs else ""
        out.append(f"  {q(e.source)} -> {q(e.target)}{tail};")
    out.append("}")
    return "\n".join(out) + "\n"


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it over: a failure leaves no half file."""
    payload = data.encode() if isinstance(data, str) else data
    tmp: Any = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise UsageError(f"cannot write {path}: {path.parent} is not a directory") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path} ({exc.strerror or exc}); pass another output path") from exc
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.fchmod(fd, 0o644)  # mkstemp makes it private; a report is a file to share
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise UsageError(f"cannot write {path} ({exc.strerror or exc}); pass another output path") from exc
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise
