"""Batch reports: one page per product of a batch's output and an index, most claims removed first."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from seamline import Agent, DescribeResult
from seamline.cli import app
from seamline.llm.fake import FakeLLM
from seamline.report_batch import batch_index, write_batch_reports
from tests.fakes import FakeSearch
from tests.sample_runs import DRAFT, NO_FIT, OTHER, PRODUCT, stopped_run
from tests.unit.test_report import assert_self_contained

OFFLINE = ["--backend", "fake", "--search", "none", "--knowledge", "none"]


def invoke(*args: str) -> object:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_batch_reports_index_puts_most_claims_removed_first(tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text(f"Turtle Men White Formal Shirt\n{PRODUCT}\n")
    agent = Agent(
        llm=FakeLLM(["A white formal shirt for men.", DRAFT]),
        search=FakeSearch(pages=[NO_FIT, OTHER]),
        knowledge="none",
    )
    with agent:
        report = agent.batch(names, tmp_path / "out.jsonl", html=tmp_path / "html")
    assert report.described == 2
    index = (tmp_path / "html" / "index.html").read_text()
    assert_self_contained(index)
    rows = re.findall(
        r'<tr><td><a href="([^"]+)">([^<]+)</a></td><td class="mono">([^<]+)</td><td><b>(\d+)', index
    )
    assert [(p, k, n) for _f, p, k, n in rows] == [
        (PRODUCT, "line 2", "3"),
        ("Turtle Men White Formal Shirt", "line 1", "0"),
    ]
    for file, *_ in rows:
        assert (tmp_path / "html" / file).read_text().startswith("<!doctype html>")


def test_batch_html_option(tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("Navy Blue Shirt\nBlack Maxi Dress\n")
    html = tmp_path / "reports"
    result = invoke("batch", str(names), "--out", str(tmp_path / "out.jsonl"), "--html", str(html), *OFFLINE)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == f"2 reports; open {html / 'index.html'}"
    assert sorted(p.name for p in html.iterdir()) == [
        "index.html",
        "line-1-navy-blue-shirt.html",
        "line-2-black-maxi-dress.html",
    ]
    # A rerun describes nothing and still writes the reports of what the output holds.
    again = invoke("batch", str(names), "--out", str(tmp_path / "out.jsonl"), "--html", str(html), *OFFLINE)
    assert again.exit_code == 0 and "0 described" in again.stdout and "2 reports" in again.stdout
    blocked = invoke("batch", str(names), "--out", str(tmp_path / "o2.jsonl"), "--html", str(names), *OFFLINE)
    assert blocked.exit_code == 2
    assert blocked.stderr == f"error: --html {names} is a file; give a directory for the reports\n"
    assert not (tmp_path / "o2.jsonl").exists()


def test_batch_index_of_results_without_a_run() -> None:
    rows = [
        ("a", DescribeResult(run_id="1", product="Plain Tee", description="A tee."), "a.html"),
    ]
    html = batch_index(rows, title="Seamline batch")
    assert_self_contained(html)
    assert '<a href="a.html">Plain Tee</a>' in html


def test_write_batch_reports_notes_lines_that_are_no_result(tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    good = json.loads(stopped_run().model_dump_json())
    output.write_text(json.dumps({"key": "k1", **good}) + "\n" + '{"key": "k2"}\n')
    pages = write_batch_reports(output, tmp_path / "html")
    assert pages.reports == 1 and pages.skipped == [f"{output}:2: not a result"]
