"""The competitor analysis commands: agent compete, agent run "competitor analysis for ...", batch."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from seamline import Agent
from seamline.api import parse_task
from seamline.cli import app
from seamline.compete_results import CompetitorReport
from seamline.llm.fake import FakeLLM

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CATALOG = EXAMPLES / "rival_shirts.csv"
SHOP = EXAMPLES / "shop_pages.jsonl"
PRODUCT = "Turtle Check Men Navy Blue Shirt"
OFFLINE = ["--search", f"local:{SHOP}", "--knowledge", "none", "--backend", "fake"]


def test_tasks_in_words() -> None:
    assert parse_task(f"competitor analysis for {PRODUCT}") == ("compete", PRODUCT)
    assert parse_task(f"Competitor analysis of {PRODUCT}") == ("compete", PRODUCT)
    assert parse_task(f"compare {PRODUCT}") == ("compete", PRODUCT)


def test_agent_compete_prints_the_report_as_markdown() -> None:
    cli = CliRunner().invoke(app, ["compete", PRODUCT, "--catalog", str(CATALOG), *OFFLINE])
    assert cli.exit_code == 0, cli.output
    text = cli.stdout
    assert text.startswith(f"# Competitor analysis: {PRODUCT}\n\n9 competitors were kept of 14 candidates.")
    for heading in (
        "The market",
        "Competitors",
        "Attribute matrix",
        "Gaps in your listing",
        "Price position",
    ):
        assert f"\n## {heading}\n" in text
    assert (
        "| fabric | cotton [E1, own1] | like the market: like 7 of the 9 competitors that state the fabric |"
        in text
    )
    assert "| your price | 1299 INR, percentile 43 [own1] |" in text
    assert f"- {CATALOG}:17: no product name" in text


def test_agent_run_competitor_analysis_and_json(tmp_path: Path) -> None:
    task = f"competitor analysis for {PRODUCT}"
    cli = CliRunner().invoke(app, ["run", task, "--catalog", str(CATALOG), "--top", "5", "--json", *OFFLINE])
    assert cli.exit_code == 0, cli.output
    data = json.loads(cli.stdout)
    for key in ("competitors", "matrix", "price_position", "gaps", "do_not_copy"):
        assert key in data
    assert len(data["competitors"]) == 5
    assert all(
        item["evidence_ids"] for key in ("competitors", "matrix", "gaps", "do_not_copy") for item in data[key]
    )
    assert data["price_position"]["evidence_ids"]
    assert CompetitorReport.model_validate(data).market.top == 5


def test_html_is_written_whole_and_an_unwritable_path_is_one_line_exit_1(tmp_path: Path) -> None:
    page = tmp_path / "out" / "report.html"
    cli = CliRunner().invoke(
        app, ["compete", PRODUCT, "--catalog", str(CATALOG), "--html", str(page), *OFFLINE]
    )
    assert cli.exit_code == 0 and f"wrote {page}" in cli.stderr
    html = page.read_text()
    assert html.startswith("<!doctype html>") and 'class="matrix"' in html and "<svg" in html
    assert "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    ) and "https://" not in html.replace("https://shop.example/turtle-check-navy-shirt", "")

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    bad = blocker / "report.html"
    cli = CliRunner().invoke(
        app, ["compete", PRODUCT, "--catalog", str(CATALOG), "--html", str(bad), *OFFLINE]
    )
    assert cli.exit_code == 1
    assert cli.stderr == f"error: cannot write {bad}: {blocker} is not a writable directory\n"
    assert cli.stdout == "" and not bad.exists()


def test_batch_compete_writes_one_report_a_line(tmp_path: Path) -> None:
    names = tmp_path / "products.txt"
    names.write_text(f"{PRODUCT}\nHarbour Men Navy Blue Check Shirt\n")
    out = tmp_path / "report.jsonl"
    llm = FakeLLM()
    with Agent(llm=llm, search=f"local:{SHOP}", knowledge="none") as agent:
        done = agent.batch(names, out, task="compete", compete={"catalog": CATALOG, "top": 4})
    assert done.described == 2
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["product"] for r in rows] == [PRODUCT, "Harbour Men Navy Blue Check Shirt"]
    assert all(len(r["competitors"]) == 4 and r["matrix"] for r in rows)
    harbour = [c["brand"] for c in rows[1]["competitors"]]
    assert "Harbour" not in harbour and "Turtle" in harbour  # another product's market: Turtle competes


def test_batch_task_and_catalog_are_checked_first(tmp_path: Path) -> None:
    names = tmp_path / "products.txt"
    names.write_text(f"{PRODUCT}\n")
    cli = CliRunner().invoke(
        app,
        [
            "batch",
            str(names),
            "--out",
            str(tmp_path / "o.jsonl"),
            "--task",
            "compete",
            "--catalog",
            "nope.csv",
        ],
    )
    assert cli.exit_code == 2
    assert "competitor catalog nope.csv is not a file" in cli.stderr
