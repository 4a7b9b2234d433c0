"""Runs are resumable: after a SIGKILL mid-run, and after a pause for human approval."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seamline import Agent, ApprovalRequired
from seamline.cli import app
from seamline.llm.fake import FakeLLM
from tests.fakes import OTHER, SHIRT, FakeKnowledge, FakeSearch, tool_calls

PRODUCT = "Turtle Check Men Navy Blue Shirt"


def write_pages(path: Path) -> Path:
    with path.open("w") as fh:
        for page in (SHIRT, OTHER):
            fh.write(json.dumps({"url": page.url, "title": page.title, "text": page.text}) + "\n")
    return path


def test_resume_after_sigkill(tmp_path: Path, isolated_dirs: Path) -> None:
    pages = write_pages(tmp_path / "pages.jsonl")
    marker = tmp_path / "drafting"
    script = tmp_path / "victim.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import time
            from pathlib import Path
            from seamline import Agent
            from seamline.llm.fake import FakeLLM

            def hang(messages):
                Path({str(marker)!r}).write_text("drafting")
                time.sleep(300)
                return "never"

            agent = Agent(llm=FakeLLM(default=hang), search="local:{pages}", knowledge="none")
            agent.describe({PRODUCT!r}, run_id="killed-run")
            """
        )
    )
    proc = subprocess.Popen([sys.executable, str(script)], env=os.environ.copy())
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert proc.poll() is None, "the victim process ended before drafting"
            assert time.monotonic() < deadline, "the victim never reached the draft"
            time.sleep(0.1)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL

    listed = CliRunner().invoke(app, ["runs", "list", "--json"], catch_exceptions=False)
    assert [r["state"] for r in json.loads(listed.stdout) if r["run_id"] == "killed-run"] == ["running"]

    result = CliRunner().invoke(
        app, ["run", "--resume", "killed-run", "--backend", "fake", "--json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["run_id"] == "killed-run" and data["status"]["state"] == "complete"
    assert any(e["url"] == SHIRT.url and e["about_product"] for e in data["evidence"])
    # Resumed from the checkpoint, not restarted: research ran once, before the kill.
    assert [s["node"] for s in data["steps"]].count("research") == 1


def test_approval_pauses_and_resumes() -> None:
    search, knowledge = FakeSearch(pages=[SHIRT]), FakeKnowledge(["Twill is a durable weave."])
    agent = Agent(
        llm=FakeLLM(default="A navy blue checked shirt for men."), search=search, knowledge=knowledge
    )
    with agent:
        with pytest.raises(ApprovalRequired) as info:
            agent.describe(PRODUCT, approve=True)
        assert info.value.requests[0]["tool"] == "search_product"
        assert search.queries == [] and knowledge.queries == []  # nothing ran before approval
        run_id = info.value.run_id
        # Approve search_product; refuse the knowledge lookups for the three values the page states.
        answers = iter([True, False, False, False])
        result = None
        while result is None:
            try:
                result = agent.resume(run_id, answers=next(answers, True), approve=True)
            except ApprovalRequired:
                continue
    assert [name for name, _ in tool_calls(result)] == ["search_product"]
    assert search.queries and knowledge.queries == []
    assert result.status.state == "complete"


def test_approval_callback_decides_in_process() -> None:
    knowledge = FakeKnowledge(["Twill is a durable weave."])
    agent = Agent(
        llm=FakeLLM(default="A navy blue checked shirt for men."),
        search=FakeSearch(pages=[SHIRT]),
        knowledge=knowledge,
    )
    seen: list[str] = []

    def only_search(request: dict) -> bool:
        seen.append(request["tool"])
        return request["tool"] == "search_product"

    with agent:
        result = agent.describe(PRODUCT, approve=only_search)
    assert seen[:2] == ["search_product", "lookup_knowledge"]
    assert {name for name, _ in tool_calls(result)} == {"search_product"} and knowledge.queries == []
    assert result.status.state == "complete"
