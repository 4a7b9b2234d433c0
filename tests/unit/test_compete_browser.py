"""The competitor report in headless Chromium: the matrix and the price chart render, nothing is fetched."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from seamline.cli import app
from seamline.compete_results import CompetitorReport
from tests.browser import chromium, open_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PRODUCT = "Turtle Check Men Navy Blue Shirt"
PNG = b"\x89PNG\r\n\x1a\n"


def test_the_report_shows_the_matrix_and_the_price_chart_offline(tmp_path: Path) -> None:
    chromium()  # skip before running anything where there is no browser
    page_file = tmp_path / "competitors.html"
    args = ["compete", PRODUCT, "--catalog", str(EXAMPLES / "rival_shirts.csv"), "--html", str(page_file)]
    args += ["--search", f"local:{EXAMPLES / 'shop_pages.jsonl'}", "--knowledge", "none", "--backend", "fake"]
    cli = CliRunner().invoke(app, [*args, "--json"], catch_exceptions=False)
    assert cli.exit_code == 0
    report = CompetitorReport.model_validate_json(cli.stdout)

    with open_file(page_file, tmp_path / "profile") as opened:
        page = opened.page
        shot = tmp_path / "competitors.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes().startswith(PNG) and shot.stat().st_size > 20_000

        # The matrix: a row per attribute, a column per competitor, every value a link to its listing.
        matrix = page.locator("table.matrix")
        assert matrix.is_visible()
        rows = matrix.locator("tr[data-attribute]")
        assert rows.count() == len(report.matrix)
        fabric = matrix.locator('tr[data-attribute="material"] td')
        assert fabric.count() == 2 + len(report.competitors)
        assert fabric.nth(0).inner_text() == "cotton" and "like the market" in fabric.nth(1).inner_text()
        gap = matrix.locator('tr.gap[data-attribute="feature"]')
        assert gap.is_visible() and gap.locator("td.yours").inner_text() == "—"
        matrix.locator('a[href="#ev-comp2"]').first.click()
        assert page.evaluate("location.hash") == "#ev-comp2"
        assert page.locator("#ev-comp2").is_visible() and "Norwood" in page.locator("#ev-comp2").inner_text()

        # The price chart: a dot per compared price, the quartile box, the median and your price.
        chart = page.locator("svg.price-chart")
        assert chart.is_visible() and chart.bounding_box()["width"] > 400
        assert chart.locator("circle.dot").count() == report.price_position.prices == 7
        box = chart.locator("rect.iqr").bounding_box()
        assert box is not None and box["width"] > 10
        assert chart.locator("rect.median").is_visible() and chart.locator("path.yours").is_visible()
        assert chart.locator("text.yours").text_content() == "yours 1299 INR"

        assert opened.network() == []
