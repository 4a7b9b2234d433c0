"""Drawing the graphs: Mermaid pinned by snapshots, labelled conditional edges, DOT, SVG, the overlay."""

from __future__ import annotations

import typing
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from seamline.errors import UsageError
from seamline.graphs import compete, describe, shape
from seamline.graphs.overlay import overlay
from seamline.graphs.visualize import FORMATS, GRAPHS, draw, graph_parts, write_atomic
from seamline.results import DescribeResult
from tests.sample_runs import stopped_run

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("name", list(GRAPHS))
def test_mermaid_of_each_graph_matches_its_snapshot(name: str) -> None:
    assert draw(name, "mermaid") == (SNAPSHOTS / f"{name}_graph.mmd").read_text()


def test_each_shape_is_the_compiled_graph() -> None:
    from langgraph.graph import END, START

    assert (shape.START, shape.END) == (START, END)
    assert set(shape.SHAPES) == set(GRAPHS)
    builders = {"describe": describe.builder, "compete": compete.builder}
    for name, drawn in shape.SHAPES.items():
        compiled = builders[name].compile(name=name).get_graph()
        assert drawn.nodes == tuple(compiled.nodes)
        edges = {(e.source, e.target, e.conditional) for e in drawn.edges}
        assert edges == {(e.source, e.target, e.conditional) for e in compiled.edges}
        assert len(drawn.edges) == len(compiled.edges)


def test_every_conditional_edge_is_labelled_with_its_routers_outcomes() -> None:
    routers = {
        "plan": describe.after_plan,
        "reflect": describe.after_reflect,
        "critic": describe.after_critic,
    }
    for node, router in routers.items():
        outcomes = set(typing.get_args(typing.get_type_hints(router)["return"]))
        assert set(shape.ROUTE_LABELS[node]) == outcomes, node
    assert set(shape.ROUTE_LABELS) == set(routers)
    outcomes = set(typing.get_args(typing.get_type_hints(compete.after_market)["return"]))
    assert set(shape.COMPETE_ROUTE_LABELS) == {"market"}
    assert set(shape.COMPETE_ROUTE_LABELS["market"]) == outcomes
    _nodes, edges = graph_parts()
    assert all(e.label for e in edges if e.conditional)
    assert not any(e.label for e in edges if not e.conditional)


def test_ascii_lists_the_labels_it_cannot_draw() -> None:
    text = draw("describe", "ascii")
    assert "| research |" in text
    assert "reflect -> plan: gaps remain" in text.splitlines()


def test_dot_has_every_node_and_edge() -> None:
    text = draw("describe", "dot")
    nodes, edges = graph_parts()
    assert text.startswith('digraph "describe" {') and text.rstrip().endswith("}")
    for n in nodes:
        assert f'  "{n}" [label=' in text
    for e in edges:
        assert f'  "{e.source}" -> "{e.target}"' in text
    assert '"critic" -> "draft" [label="revise once", style="dashed"];' in text


def test_svg_is_well_formed_and_draws_every_node_and_edge() -> None:
    text = draw("describe", "svg")
    root = ET.fromstring(text)
    groups = root.iter(f"{SVG}g")
    classes = [(g.get("class") or "", g.get("data-node"), g.get("data-source")) for g in groups]
    nodes, edges = graph_parts()
    assert sorted(n for c, n, _ in classes if c.startswith("node")) == sorted(nodes)
    assert len([c for c, _, s in classes if c.startswith("edge")]) == len(edges)
    assert "http" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    width, height = float(root.get("width", 0)), float(root.get("height", 0))
    for rect in root.iter(f"{SVG}rect"):  # everything lies inside the canvas
        x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
        assert 0 <= x and x + float(rect.get("width", 0)) <= width
        assert 0 <= y and y + float(rect.get("height", 0)) <= height


def test_overlay_counts_visits_edges_tool_calls_and_finds_the_stop() -> None:
    result = stopped_run()
    run = overlay(result)
    assert {n: r.visits for n, r in run.nodes.items()} == {
        "plan": 2,
        "research": 2,
        "reflect": 2,
        "draft": 1,
        "critic": 1,
        "finish": 1,
    }
    assert run.nodes["draft"].tokens == result.usage.total
    assert run.edges[("reflect", "plan")] == 1 and run.edges[("plan", "research")] == 2
    assert ("critic", "analyse") not in run.edges
    assert [(c.step, c.tool, c.evidence_ids) for c in run.tool_calls] == [
        (2, "search_product", ["E1", "E2"]),
        (5, "search_web", []),  # the same two pages again: nothing new
        # The values the page states, looked up once it is found (the fake store has one entry).
        (5, "lookup_knowledge", ["E3"]),
        (5, "lookup_knowledge", []),
    ]
    assert {e.id for e in result.evidence} == {"name", "E1", "E2", "E3"}
    assert (run.stopped_by, run.stopped_at, run.stopped_step) == ("max_steps", "reflect", 6)
    assert run.nodes["critic"].notes == ["3 claims removed"]


def test_overlay_on_the_text_formats() -> None:
    result = stopped_run()
    mermaid = draw("describe", "mermaid", result)
    assert "    class analyse skipped" in mermaid and "    class reflect stopped" in mermaid
    assert "    plan -. lookups planned ×2 .-> research" in mermaid
    ascii_art = draw("describe", "ascii", result)
    assert "stopped by max_steps at reflect (step 6)" in ascii_art
    dot = draw("describe", "dot", result)
    assert 'xlabel="stopped: max_steps"' in dot
    svg = draw("describe", "svg", result)
    ET.fromstring(svg)
    assert 'class="node skipped" data-node="analyse"' in svg and "stopped: max_steps" in svg


def test_a_run_without_steps_is_drawn_as_far_as_it_goes() -> None:
    result = DescribeResult(run_id="old", product="Navy Shirt", description="A navy shirt.")
    run = overlay(result)
    assert run.nodes["finish"].visits == 1 and run.stopped_at is None and run.tool_calls == []
    ET.fromstring(draw("describe", "svg", result))


@pytest.mark.parametrize(
    ("name", "fmt", "message"),
    [
        ("shop", "mermaid", "unknown graph 'shop'; graphs: describe, compete"),
        ("describe", "png", "unknown format 'png'; use mermaid, ascii, dot, svg, html"),
    ],
)
def test_unknown_graph_or_format(name: str, fmt: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        draw(name, fmt)
    assert str(caught.value) == message
    assert caught.value.exit_code == 2


def test_formats_are_all_offline_text() -> None:
    for fmt in FORMATS:
        text = draw("describe", fmt)
        assert isinstance(text, str) and text
        assert "mermaid.ink" not in text and "cdn" not in text.lower()


def test_write_atomic_leaves_no_half_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "graph.svg"
    write_atomic(target, "<svg/>")
    assert target.read_text() == "<svg/>" and target.stat().st_mode & 0o644 == 0o644
    with pytest.raises(UsageError, match="Is a directory"):
        write_atomic(target.parent, "x")
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(UsageError, match="is not a directory"):
        write_atomic(blocker / "graph.svg", "x")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["file", "graph.svg", "out"]
