"""Run reports and batch pages as HTML text: self-contained, complete, and readable from older runs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seamline import Agent
from seamline.cli import app
from seamline.errors import RunStoreError
from tests.sample_runs import PRODUCT, stopped_run


def invoke(*args: str) -> object:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def assert_self_contained(html: str) -> None:
    assert html.startswith("<!doctype html>")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    for banned in ("<script", "<link", "<iframe", "<img", "@import", "@font-face", " src="):
        assert banned not in html.lower(), banned
    assert not re.search(r"url\((?!#)", html), "a url() that is not a local reference"
    # Links go within the page, to a sibling report, or to the evidence's own pages (loaded only on a click).
    for href in re.findall(r'href="([^"]*)"', html):
        sibling = re.fullmatch(r"[a-z0-9-]+\.html", href)
        assert href.startswith("#") or sibling or href.startswith("https://shop.example/"), href


def test_report_holds_graph_ledger_timeline_and_evidence() -> None:
    result = stopped_run()
    html = result.to_html()
    assert_self_contained(html)
    assert f"<h1>{PRODUCT}</h1>" in html and "stopped by max_steps" in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="graph"') == 1
    for i, claim in enumerate(result.claims):
        assert f'<a class="claim" href="#claim-{i}">{claim.text}</a>' in html
        assert f'<div class="card" id="claim-{i}">' in html
    for j, claim in enumerate(result.removed):
        assert f'<div class="card" id="cut-{j}">' in html and claim.reason in html
    assert "<del>and made in Italy</del><sup>3</sup>" in html  # the critic's cut, not just the claim
    for step in result.steps:
        assert f'<li id="step-{step.number}" class="step node-{step.node}' in html
    assert 'class="step node-reflect stop"' in html  # where max_steps stopped it
    for i, item in enumerate(result.evidence):
        assert f'<div class="ev" id="ev-{i}"><b class="mono">[{item.id}]</b>' in html
    assert "search_web(query=&#x27;Turtle Check Men Navy Blue Shirt fit&#x27;, k=3)" in html


def test_a_run_recorded_by_an_older_version_renders_what_it_has(tmp_path: Path) -> None:
    full = json.loads(stopped_run().model_dump_json())
    old = {"description": full["description"], "claims": full["claims"], "evidence": full["evidence"]}
    for claim in old["claims"]:
        del claim["start"], claim["end"], claim["reason"]
    for item in old["evidence"]:
        del item["about_product"], item["retrieved_at"]
    with Agent() as agent:
        agent.runs.record("old-run", product=PRODUCT, task="describe", state="running", options={})
        agent.runs.finish("old-run", "complete", json.dumps(old))
        result = agent.run_result("old-run")
    assert result.run_id == "old-run" and result.product == PRODUCT and result.steps == []
    report = tmp_path / "old.html"
    assert invoke("runs", "show", "old-run", "--html", str(report)).exit_code == 0
    html = report.read_text()
    assert_self_contained(html)
    assert "This run recorded no steps" in html and "No steps were recorded." in html
    assert html.count('<a class="claim" href="#claim-') == len(old["claims"])
    assert invoke("graph", "--run", "old-run", "--format", "svg").exit_code == 0


def test_an_unfinished_run_has_no_report_yet() -> None:
    with Agent() as agent:
        agent.runs.record("paused", product=PRODUCT, task="describe", state="interrupted", options={})
        with pytest.raises(RunStoreError, match="has not finished"):
            agent.run_result("paused")
    result = invoke("runs", "show", "paused", "--html", "x.html")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: run paused has not finished (interrupted); continue it with: agent run --resume paused\n"
    )


def test_graph_command_draws_a_run(tmp_path: Path) -> None:
    run_id = stopped_run().run_id
    page = invoke("graph", "--run", run_id)
    assert page.exit_code == 0 and page.stdout.startswith("<!doctype html>")
    out = tmp_path / "g.svg"
    written = invoke("graph", "describe", "--run", run_id, "--format", "svg", "-o", str(out))
    assert written.stdout == f"wrote {out}\n"
    assert out.read_text().startswith("<svg") and "stopped: max_steps" in out.read_text()
    shown = json.loads(invoke("graph", "--format", "dot", "--json").stdout)
    assert shown["graph"] == "describe" and shown["text"].startswith("digraph")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["graph", "--run", "no-such-run"], 1, "error: no run with id 'no-such-run'"),
        (["graph", "shop"], 2, "error: unknown graph 'shop'; graphs: describe, compete"),
        (["runs", "show", "no-such-run", "--html", "r.html"], 1, "error: no run with id 'no-such-run'"),
    ],
)
def test_bad_graph_input_is_one_line(args: list[str], code: int, message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), result.stderr


def test_an_unwritable_output_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    run_id = stopped_run().run_id
    before = sorted(tmp_path.iterdir())
    for args in (
        ["runs", "show", run_id, "--html", str(tmp_path)],
        ["graph", "--format", "svg", "-o", str(tmp_path)],
    ):
        result = invoke(*args)
        assert result.exit_code == 2
        assert result.stderr == f"error: cannot write {tmp_path} (Is a directory); pass another output path\n"
    blocker = tmp_path / "file"
    blocker.write_text("kept")
    result = invoke("runs", "show", run_id, "--html", str(blocker / "r.html"))
    assert result.exit_code == 2
    assert result.stderr == f"error: cannot write {blocker / 'r.html'}: {blocker} is not a directory\n"
    assert sorted(tmp_path.iterdir()) == sorted([*before, blocker]) and blocker.read_text() == "kept"
