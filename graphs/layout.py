"""A layered layout of a graph (grandalf's Sugiyama): box centres and edge routes, no graphviz needed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    """A node's box: centre, width and height."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Route:
    """An edge's path from the source's border to the target's, with a point for its label."""

    source: str
    target: str
    points: list[Point]
    label_at: Point
    back: bool = False
    """True when the edge goes up the layers (a loop back), drawn as a curve beside the straight edges."""


@dataclass(frozen=True)
class Layout:
    """Where everything goes, in a canvas whose top-left corner is (0, 0)."""

    width: float
    height: float
    boxes: dict[str, Box]
    routes: list[Route] = field(default_factory=list)


class _View:
    """What grandalf needs of a vertex (its size) and of an edge (somewhere to put its route)."""

    def __init__(self, w: float = 0.0, h: float = 0.0) -> None:
        self.w, self.h = w, h
        self.xy: Point = (0.0, 0.0)
        self.points: list[Point] = []

    def setpath(self, points: list[Point]) -> None:
        self.points = [(float(x), float(y)) for x, y in points]


def layout(
    sizes: Mapping[str, tuple[float, float]],
    edges: Sequence[tuple[str, str]],
    *,
    root: str,
    xspace: float = 60.0,
    yspace: float = 56.0,
    margin: float = 24.0,
) -> Layout:
    """Lay out nodes of the given (width, height) in layers from ``root``, edges routed between them."""
    from grandalf.graphs import Edge, Graph, Vertex
    from grandalf.layouts import SugiyamaLayout
    from grandalf.routing import route_with_lines

    vertices = {name: Vertex(name) for name in sizes}
    links = [Edge(vertices[s], vertices[t]) for s, t in edges]
    graph = Graph(list(vertices.values()), links)
    for name, vertex in vertices.items():
        vertex.view = _View(*sizes[name])
    for link in links:
        link.view = _View()
    boxes: dict[str, Box] = {}
    raw: list[tuple[str, str, list[Point]]] = []
    left = top = 0.0
    right = bottom = 0.0
    # A graph may fall apart in pieces (a node nothing reaches); lay them out side by side.
    for part in graph.C:
        sug = SugiyamaLayout(part)
        roots = [vertices[root]] if vertices[root] in part.sV else None
        sug.init_all(roots=roots, optimize=True)
        sug.xspace, sug.yspace = xspace, yspace
        sug.route_edge = route_with_lines
        sug.draw()
        xs = [v.view.xy[0] - v.view.w / 2 for v in part.sV]
        shift = (right + xspace - min(xs)) if boxes else 0.0
        for v in part.sV:
            x, y = v.view.xy
            boxes[v.data] = Box(x + shift, y, v.view.w, v.view.h)
        for e in part.sE:
            raw.append((e.v[0].data, e.v[1].data, [(x + shift, y) for x, y in e.view.points]))
        # The canvas holds the boxes and the routes, which bend around them through dummy vertices.
        xs = [b.x - b.w / 2 for b in boxes.values()] + [x for _, _, pts in raw for x, _ in pts]
        xe = [b.x + b.w / 2 for b in boxes.values()] + [x for _, _, pts in raw for x, _ in pts]
        left, right = min(xs), max(xe)
        top = min(b.y - b.h / 2 for b in boxes.values())
        bottom = max(b.y + b.h / 2 for b in boxes.values())
    dx, dy = margin - left, margin - top
    boxes = {n: Box(b.x + dx, b.y + dy, b.w, b.h) for n, b in boxes.items()}
    pairs = {(s, t) for s, t, _ in raw}
    routes = []
    for s, t, points in raw:
        moved = [(x + dx, y + dy) for x, y in points]
        back = boxes[t].y < boxes[s].y
        if back and (t, s) in pairs:
            # The straight forward edge takes the direct line; the loop back bows out to the right.
            moved = _bow(boxes[s], boxes[t])
        routes.append(Route(s, t, moved, _middle(moved), back))
    width = right - left + 2 * margin
    height = bottom - top + 2 * margin
    return Layout(width, height, boxes, routes)


def _bow(source: Box, target: Box) -> list[Point]:
    """A path from the right of the source's top to the right of the target's bottom, out to the side."""
    out = max(source.w, target.w) / 2 + 28
    x0, x1 = source.x + source.w / 4, target.x + target.w / 4
    y0, y1 = source.y - source.h / 2, target.y + target.h / 2
    mid = (y0 + y1) / 2
    return [(x0, y0), (source.x + out, mid), (x1, y1)]


def _middle(points: Sequence[Point]) -> Point:
    """The point halfway along a route's points (a vertex, or the middle of the middle segment)."""
    if len(points) % 2:
        return points[len(points) // 2]
    a, b = points[len(points) // 2 - 1], points[len(points) // 2]
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
