"""A run's report in a real headless Chromium: what a copywriter sees, and that nothing is fetched."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from seamline.cli import app
from seamline.graphs.overlay import overlay
from tests.browser import chromium, open_file
from tests.sample_runs import stopped_run

PNG = b"\x89PNG\r\n\x1a\n"


def test_report_shows_the_run_and_each_claims_evidence_offline(tmp_path: Path) -> None:
    chromium()  # skip before running anything where there is no browser
    result = stopped_run()
    report = tmp_path / "report.html"
    cli = CliRunner().invoke(
        app, ["runs", "show", result.run_id, "--html", str(report)], catch_exceptions=False
    )
    assert cli.exit_code == 0 and cli.stdout == f"wrote {report}\n"

    with open_file(report, tmp_path / "profile") as opened:
        page = opened.page
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes().startswith(PNG) and shot.stat().st_size > 20_000

        # Every node of the graph is drawn; the run's nodes are marked, the one it never took is not.
        nodes = page.locator("svg.graph .node")
        assert nodes.count() == 9
        assert all(nodes.nth(i).is_visible() for i in range(9))
        ran = page.locator("svg.graph .node.ran").evaluate_all("els => els.map(e => e.dataset.node)")
        assert sorted(ran) == sorted(
            ["__start__", "plan", "research", "reflect", "draft", "critic", "finish", "__end__"]
        )
        skipped = page.locator("svg.graph .node.skipped")
        assert skipped.count() == 1 and skipped.get_attribute("data-node") == "analyse"

        # The overlay: the reflect -> plan loop ran twice, max_steps stopped it at reflect.
        badge = page.locator('svg.graph .node[data-node="plan"] .badge')
        assert badge.is_visible() and badge.text_content() == "2×"
        stop = page.locator("svg.graph .stop-tag")
        assert stop.is_visible() and stop.text_content() == "stopped: max_steps"
        assert page.locator('svg.graph .node.stopped[data-node="reflect"]').is_visible()
        taken = page.locator("svg.graph .edge.taken").evaluate_all(
            "els => els.map(e => e.dataset.source + '>' + e.dataset.target)"
        )
        assert sorted(taken) == sorted(f"{s}>{t}" for s, t in overlay(result).edges)
        research = page.locator('svg.graph .node[data-node="research"] text.overlay')
        assert research.filter(has_text="4 calls, +3 evidence").is_visible()

        # Every kept claim is highlighted in the description.
        claims = page.locator("p.description a.claim")
        assert claims.count() == len(result.claims) == 6
        assert all(claims.nth(i).is_visible() for i in range(claims.count()))
        background = claims.first.evaluate("e => getComputedStyle(e).backgroundColor")
        assert background not in ("rgba(0, 0, 0, 0)", "transparent")

        # Clicking a claim shows the evidence that supports it.
        i = next(i for i, c in enumerate(result.claims) if c.text == "cotton")
        card = page.locator(f"#claim-{i}")
        assert not card.is_visible()
        page.locator(f'p.description a.claim[href="#claim-{i}"]').click()
        assert card.is_visible()
        shown = card.inner_text()
        assert "supported" in shown and "[E1]" in shown and "Fabric: Cotton" in shown
        assert card.locator("mark", has_text="Cotton").first.is_visible()

        # A removed claim is struck through in the draft; clicking it says why it went.
        cut = page.locator("p.draft a.cut del")
        assert cut.count() == 3 and cut.first.is_visible()
        page.locator('p.draft a.cut[href="#cut-1"]').click()
        assert page.locator("#cut-1").is_visible()
        assert "no product evidence states waterproof" in page.locator("#cut-1").inner_text()
        assert not card.is_visible()

        assert opened.network() == []
