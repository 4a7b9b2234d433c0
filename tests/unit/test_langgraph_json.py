"""LangGraph's own tooling loads the graphs that langgraph.json names, the way `langgraph dev` does."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from langgraph.pregel import Pregel

from seamline.graphs.context import RunContext
from seamline.llm.fake import FakeLLM
from tests.conftest import REPO
from tests.fakes import OTHER, SHIRT

PRODUCT = "Turtle Check Men Navy Blue Shirt"


def load(spec: str) -> Any:
    """What LangGraph's server does with "./path/to/file.py:variable": import the file, take the variable."""
    path, _, attr = spec.partition(":")
    file = (REPO / path).resolve()
    module_spec = importlib.util.spec_from_file_location(f"langgraph_json_{file.stem}", file)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return getattr(module, attr)


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    path = tmp_path / "pages.jsonl"
    path.write_text(
        "".join(json.dumps({"url": p.url, "title": p.title, "text": p.text}) + "\n" for p in (SHIRT, OTHER))
    )
    return path


def graphs() -> dict[str, str]:
    config = json.loads((REPO / "langgraph.json").read_text())
    assert config["dependencies"] == ["."]
    return config["graphs"]


def test_langgraph_json_names_both_compiled_graphs() -> None:
    from seamline.graphs import compete, describe

    assert graphs() == {"describe": "./graphs/describe.py:graph", "compete": "./graphs/compete.py:graph"}
    for name, spec in graphs().items():
        graph = load(spec)
        assert isinstance(graph, Pregel) and graph.name == name
    assert isinstance(describe.graph, Pregel) and isinstance(compete.graph, Pregel)  # importable by module


def test_the_describe_graph_runs_with_an_empty_context_built_from_the_environment(
    pages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`langgraph dev` passes the context as a dict; {} takes every setting from SEAMLINE_* variables."""
    monkeypatch.setenv("SEAMLINE_BACKEND", "fake")
    monkeypatch.setenv("SEAMLINE_SEARCH", f"local:{pages}")
    monkeypatch.setenv("SEAMLINE_KNOWLEDGE", "none")
    graph = load(graphs()["describe"])
    out = graph.invoke({"product": PRODUCT}, context={}, config={"recursion_limit": 40})
    result = out["result"]
    assert result.product == PRODUCT and result.status.state == "complete"
    assert any(e.url == SHIRT.url and e.about_product for e in result.evidence)
    assert "long sleeves" in result.description
    assert result.model is not None and result.model.backend == "fake"


def test_the_graphs_run_with_a_context_of_settings_and_parts(pages: Path) -> None:
    settings = {"search": f"local:{pages}", "knowledge": "none"}
    describe = load(graphs()["describe"])
    llm = FakeLLM(default="A navy blue checked shirt for men. It is waterproof.")
    context = RunContext(settings=settings, llm_factory=lambda: llm, run_id="from-langgraph")  # type: ignore[arg-type]
    result = describe.invoke({"product": PRODUCT}, context=context)["result"]
    assert result.run_id == "from-langgraph" and "waterproof" not in result.description.lower()

    compete = load(graphs()["compete"])
    context = {"settings": {**settings, "backend": "fake"}}
    report = compete.invoke({"product": PRODUCT, "top": 3}, context=context)["report"]
    assert report.product == PRODUCT and report.status.state == "complete"
