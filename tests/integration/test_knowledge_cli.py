"""The done criterion of the knowledge store, through the CLI, with the real MiniLM model and real Chroma."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seamline.cli.knowledge import app

pytestmark = [pytest.mark.integration, pytest.mark.data]


def test_wordnet_glossary_add_search_readd(shared_data: Path) -> None:
    glossary = shared_data / "wordnet_fashion_glossary.jsonl"
    runner = CliRunner()

    added = runner.invoke(app, ["add", str(glossary), "--json"], catch_exceptions=False)
    assert added.exit_code == 0, added.output
    report = json.loads(added.stdout)
    assert report["files"] == 1 and report["chunks_added"] == 1241 and report["errors"] == []

    found = runner.invoke(app, ["search", "raglan sleeve", "--json"], catch_exceptions=False)
    assert found.exit_code == 0
    hits = json.loads(found.stdout)
    assert hits[0]["title"].lower() == "raglan sleeve"
    assert hits[0]["source"] == "knowledge" and hits[0]["about_product"] is False
    assert len(hits) == 4

    again = runner.invoke(app, ["add", str(glossary), "--json"], catch_exceptions=False)
    assert json.loads(again.stdout)["chunks_added"] == 0
    assert json.loads(again.stdout)["chunks_skipped"] == 1241

    listed = json.loads(runner.invoke(app, ["list", "--json"], catch_exceptions=False).stdout)
    assert {s["source"]: s["chunks"] for s in listed}["wordnet_fashion_glossary.jsonl"] == 1241

    removed = runner.invoke(
        app, ["remove", "wordnet_fashion_glossary.jsonl", "--json"], catch_exceptions=False
    )
    assert json.loads(removed.stdout) == {"source": "wordnet_fashion_glossary.jsonl", "chunks_removed": 1241}


def test_shipped_pack_answers_out_of_the_box() -> None:
    runner = CliRunner()
    found = runner.invoke(
        app, ["search", "sleeve joined to the collar with diagonal seams", "-k", "3", "--json"]
    )
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout)[0]["title"] == "Raglan sleeve"
    plain = runner.invoke(app, ["search", "which symbol means dry flat"])
    assert plain.exit_code == 0 and "Dry flat" in plain.stdout


def test_missing_file_exits_non_zero(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["add", str(tmp_path / "nope.md")])
    assert result.exit_code == 1
    assert "no such file" in result.output
