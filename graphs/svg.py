"""The graph as SVG from our own layout, with a recorded run drawn on it when one is given.

Plain SVG 1.1 with inline presentation attributes (no CSS, fonts or scripts from anywhere), so the
same text works as a standalone .svg file and inside the HTML report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from seamline.graphs.layout import Box, Point, Route, layout
from seamline.graphs.overlay import NodeRun, Overlay
from seamline.graphs.shape import END, START, GraphEdge

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"
_TITLE_PX, _LINE_PX = 14, 11
_CHAR = 0.62  # average glyph width in em: an estimate, since SVG gives no text metrics before rendering

INK, MUTED, ACCENT, STOP = "#1f2933", "#9aa5b1", "#2563eb", "#c2410c"


def display_name(node: str) -> str:
    """The name a person reads: LangGraph's __start__ and __end__ become start and end."""
    return {START: "start", END: "end"}.get(node, node)


def seconds(value: float) -> str:
    """A duration in the unit that reads best: 52 ms, 1.3 s."""
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"


def node_lines(node: str, run: NodeRun | None, drawn: bool, *, visits: bool = True) -> list[str]:
    """The small lines under a node's name: what the run did there (nothing without an overlay).

    ``visits`` False leaves out how often it ran, for drawings that show that in a badge.
    """
    if not drawn or node in (START, END):
        return []
    if run is None or run.visits == 0:
        return ["not run"]
    head = (f"{run.visits}× · " if visits else "") + seconds(run.seconds)
    if run.tokens:
        head += f" · {run.tokens} tok"
    return [head, *run.notes]


def render_svg(
    nodes: Sequence[str],
    edges: Sequence[GraphEdge],
    run: Overlay | None = None,
    *,
    links: Mapping[str, str] | None = None,
    title: str = "",
) -> str:
    """The graph as an SVG document; with ``run``, which nodes and edges ran, how often, and the stop."""
    lines = {
        n: node_lines(n, run.nodes.get(n) if run else None, run is not None, visits=False) for n in nodes
    }
    sizes = {n: _size(display_name(n), lines[n]) for n in nodes}
    plan = layout(sizes, [(e.source, e.target) for e in edges], root=nodes[0], yspace=42)
    right = plan.width
    for route in plan.routes:  # bows and labels may reach past the boxes
        edge = next((e for e in edges if (e.source, e.target) == (route.source, route.target)), None)
        label = edge.label if edge and edge.label else ""
        right = max(
            right, *(x + 12 for x, _ in route.points), route.label_at[0] + _label_width(label) / 2 + 12
        )
    if run is not None and run.stopped_at in plan.boxes:
        box = plan.boxes[run.stopped_at]
        right = max(right, box.x + box.w / 2 + 24 + _label_width(f"stopped: {run.stopped_by}", 11))
    width, height = right, plan.height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{escape(FONT)}" role="img">',
        f"<title>{escape(title or 'agent graph')}</title>",
        "<defs>",
        _marker("arrow", MUTED),
        _marker("arrow-taken", ACCENT),
        "</defs>",
    ]
    by_pair = {(e.source, e.target): e for e in edges}
    for route in plan.routes:
        edge = by_pair.get((route.source, route.target), GraphEdge(route.source, route.target))
        taken = run.edges.get((route.source, route.target), 0) if run else 0
        out.append(_edge(route, edge, taken, drawn=run is not None))
    for node in nodes:
        box = plan.boxes[node]
        out.append(_node(node, box, lines[node], run, (links or {}).get(node)))
    out.append("</svg>")
    return "\n".join(out)


def _size(name: str, lines: Sequence[str]) -> tuple[float, float]:
    width = max([len(name) * _TITLE_PX * _CHAR, *(len(s) * _LINE_PX * _CHAR for s in lines)]) + 28
    return max(width, 64.0), 32.0 + 15.0 * len(lines)


def _label_width(text: str, px: float = 10) -> float:
    return len(text) * px * _CHAR + 8 if text else 0.0


def _marker(name: str, colour: str) -> str:
    return (
        f'<marker id="{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
    )


def _path(points: Sequence[Point], back: bool) -> str:
    """A smooth path through the route: straight ends, rounded bends."""
    p = [(round(x, 1), round(y, 1)) for x, y in points]
    if len(p) == 2:
        return f"M{p[0][0]},{p[0][1]} L{p[1][0]},{p[1][1]}"
    if back and len(p) == 3:
        # A quadratic curve through the middle point: its control point is twice as far out.
        cx = 2 * p[1][0] - (p[0][0] + p[2][0]) / 2
        cy = 2 * p[1][1] - (p[0][1] + p[2][1]) / 2
        return f"M{p[0][0]},{p[0][1]} Q{cx:.1f},{cy:.1f} {p[2][0]},{p[2][1]}"
    d = [f"M{p[0][0]},{p[0][1]}", f"L{(p[0][0] + p[1][0]) / 2:.1f},{(p[0][1] + p[1][1]) / 2:.1f}"]
    for i in range(1, len(p) - 1):
        last = i == len(p) - 2
        end = p[i + 1] if last else ((p[i][0] + p[i + 1][0]) / 2, (p[i][1] + p[i + 1][1]) / 2)
        d.append(f"Q{p[i][0]},{p[i][1]} {end[0]:.1f},{end[1]:.1f}")
    return " ".join(d)


def _edge(route: Route, edge: GraphEdge, taken: int, *, drawn: bool) -> str:
    colour = ACCENT if taken else (MUTED if drawn else "#52606d")
    width = 2.4 if taken else 1.3
    dash = ' stroke-dasharray="5 4"' if edge.conditional else ""
    marker = "arrow-taken" if taken else "arrow"
    cls = "edge taken" if taken else "edge"
    label = edge.label or ""
    if taken > 1:
        label = f"{label} ×{taken}".strip()
    out = [
        f'<g class="{cls}" data-source="{escape(edge.source)}" data-target="{escape(edge.target)}">',
        f"<title>{escape(display_name(edge.source))} → {escape(display_name(edge.target))}"
        + (f": {escape(edge.label)}" if edge.label else "")
        + (f" (taken {taken}×)" if taken else "")
        + "</title>",
        f'<path d="{_path(route.points, route.back)}" fill="none" stroke="{colour}" stroke-width="{width}"'
        f'{dash} marker-end="url(#{marker})"/>',
    ]
    if label:
        x, y = route.label_at
        w = _label_width(label)
        out.append(
            f'<rect x="{x - w / 2:.1f}" y="{y - 8:.1f}" width="{w:.1f}" height="15" rx="3" fill="#ffffff" '
            'fill-opacity="0.9"/>'
            f'<text x="{x:.1f}" y="{y + 3.5:.1f}" font-size="10" text-anchor="middle" '
            f'fill="{ACCENT if taken else "#52606d"}">{escape(label)}</text>'
        )
    out.append("</g>")
    return "".join(out)


def _node(node: str, box: Box, lines: Sequence[str], run: Overlay | None, href: str | None) -> str:
    terminal = node in (START, END)
    ran = run is None or run.ran(node) or terminal
    stopped = run is not None and run.stopped_at == node
    fill = "#eef4ff" if run is not None and ran and not terminal else ("#f5f7fa" if not ran else "#ffffff")
    stroke = (
        STOP if stopped else (ACCENT if run is not None and ran else ("#c3cad3" if not ran else "#52606d"))
    )
    dash = "" if ran else ' stroke-dasharray="4 3"'
    cls = "node " + ("ran" if run is not None and ran else "skipped" if run is not None else "plain")
    if stopped:
        cls += " stopped"
    x0, y0 = box.x - box.w / 2, box.y - box.h / 2
    radius = box.h / 2 if terminal else 8
    tip = display_name(node)
    if run is not None and node in run.nodes:
        tip += ": " + "; ".join(node_lines(node, run.nodes[node], True))
    out = [f'<a href="{escape(href)}">' if href else "", f'<g class="{cls}" data-node="{escape(node)}">']
    out.append(f"<title>{escape(tip)}</title>")
    out.append(
        f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" rx="{radius:.1f}" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{3 if stopped else 1.6}"{dash}/>'
    )
    ink = INK if ran else MUTED
    top = y0 + 21
    out.append(
        f'<text x="{box.x:.1f}" y="{top:.1f}" font-size="{_TITLE_PX}" font-weight="600" text-anchor="middle" '
        f'fill="{ink}">{escape(display_name(node))}</text>'
    )
    for i, line in enumerate(lines):
        out.append(
            f'<text class="overlay" x="{box.x:.1f}" y="{top + 15 * (i + 1):.1f}" font-size="{_LINE_PX}" '
            f'text-anchor="middle" fill="{ACCENT if ran else MUTED}">{escape(line)}</text>'
        )
    visits = run.nodes[node].visits if run is not None and node in run.nodes else 0
    if visits > 1 and not terminal:
        cx, cy = x0 + box.w - 2, y0 + 2
        out.append(
            f'<g class="badge"><circle cx="{cx:.1f}" cy="{cy:.1f}" r="10" fill="{ACCENT}"/>'
            f'<text x="{cx:.1f}" y="{cy + 4:.1f}" font-size="11" font-weight="700" text-anchor="middle" '
            f'fill="#ffffff">{visits}×</text></g>'
        )
    out.append("</g>")
    if href:
        out.append("</a>")
    if stopped and run is not None:
        tag = f"stopped: {run.stopped_by}"
        tx, ty = x0 + box.w + 12, box.y
        w = _label_width(tag, 11) + 6
        out.append(
            f'<g class="stop-tag"><rect x="{tx:.1f}" y="{ty - 10:.1f}" width="{w:.1f}" height="20" rx="10" '
            f'fill="{STOP}"/><text x="{tx + w / 2:.1f}" y="{ty + 4:.1f}" font-size="11" font-weight="600" '
            f'text-anchor="middle" fill="#ffffff">{escape(tag)}</text></g>'
        )
    return "".join(out)
