"""The shape of each graph (nodes, edges, what each router's outcomes mean) as plain data, for drawing.

Drawing from data keeps LangGraph out of `agent graph` and of writing a run's report: importing it takes
about a second on a 2-core machine, a hundred times what the drawing takes. tests/unit/test_visualize.py
checks every shape against the compiled graph and its routers' ``Literal`` outcomes, so none can drift.
"""

from __future__ import annotations

from dataclasses import dataclass

START, END = "__start__", "__end__"
"""LangGraph's names of the entry and exit (langgraph.graph.START and END; the tests check they match)."""


@dataclass(frozen=True)
class GraphEdge:
    """An edge as drawn: conditional edges are dashed and labelled with their router's outcome."""

    source: str
    target: str
    label: str | None = None
    conditional: bool = False


@dataclass(frozen=True)
class GraphShape:
    """A graph's nodes in LangGraph's order, and its edges."""

    nodes: tuple[str, ...]
    edges: tuple[GraphEdge, ...]


ROUTE_LABELS: dict[str, dict[str, str]] = {
    "plan": {"research": "lookups planned", "draft": "nothing to look up"},
    "reflect": {"plan": "gaps remain", "draft": "no gaps, or budget used"},
    "critic": {"draft": "revise once", "analyse": "compete task", "finish": "describe task"},
}
"""What each router of graphs/describe.py decides, by the node it routes from (after_plan, after_reflect,
after_critic): the labels of the conditional edges."""


def _describe() -> GraphShape:
    def branch(source: str, target: str) -> GraphEdge:
        return GraphEdge(source, target, ROUTE_LABELS[source][target], conditional=True)

    return GraphShape(
        nodes=(START, "plan", "research", "reflect", "draft", "critic", "analyse", "finish", END),
        edges=(
            GraphEdge(START, "plan"),
            branch("plan", "research"),
            branch("plan", "draft"),
            GraphEdge("research", "reflect"),
            branch("reflect", "plan"),
            branch("reflect", "draft"),
            GraphEdge("draft", "critic"),
            branch("critic", "draft"),
            branch("critic", "analyse"),
            branch("critic", "finish"),
            GraphEdge("analyse", "finish"),
            GraphEdge("finish", END),
        ),
    )


DESCRIBE = _describe()

COMPETE_ROUTE_LABELS: dict[str, dict[str, str]] = {
    "market": {"analyse": "competitors found", "finish": "none found"},
}
"""What the router of graphs/compete.py decides (after_market)."""


def _compete() -> GraphShape:
    def branch(source: str, target: str) -> GraphEdge:
        return GraphEdge(source, target, COMPETE_ROUTE_LABELS[source][target], conditional=True)

    return GraphShape(
        nodes=(START, "research", "market", "analyse", "summarise", "critic", "finish", END),
        edges=(
            GraphEdge(START, "research"),
            GraphEdge("research", "market"),
            branch("market", "analyse"),
            branch("market", "finish"),
            GraphEdge("analyse", "summarise"),
            GraphEdge("summarise", "critic"),
            GraphEdge("critic", "finish"),
            GraphEdge("finish", END),
        ),
    )


COMPETE = _compete()

SHAPES: dict[str, GraphShape] = {"describe": DESCRIBE, "compete": COMPETE}
"""Every graph `agent graph` draws: the describe graph and the competitor graph (graphs/compete.py)."""
