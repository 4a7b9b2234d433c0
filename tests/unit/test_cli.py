"""The `agent` command: exact output of the main commands, exit codes, one-line errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seamline.cli import app

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"
OFFLINE = ["--backend", "fake", "--search", "none", "--knowledge", "none"]


def invoke(*args: str) -> object:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_describe_prints_description_ledger_and_status() -> None:
    result = invoke("describe", "Turtle Check Men Navy Blue Shirt", *OFFLINE)
    assert result.exit_code == 0, result.output
    text = re.sub(r"run \S+; [0-9.]+s", "run RUN; Ts", result.stdout)
    assert text == (
        "Turtle Check Men Navy Blue Shirt\n"
        "\n"
        "Navy blue checked shirt for men.\n"
        "\n"
        "Details (from evidence)\n"
        "  colour: navy blue  [name]\n"
        "  pattern: checked  [name]\n"
        "  audience: men  [name]\n"
        "\n"
        "Claims kept (3)\n"
        "  ✓ Navy blue (colour; name)\n"
        "  ✓ checked (pattern; name)\n"
        "  ✓ men (audience; name)\n"
        "Claims removed (0)\n"
        "\n"
        "Evidence (1)\n"
        "  [name] name/product: Product name\n"
        "\n"
        "status: complete; run RUN; Ts\n"
    )


def test_run_json_is_one_object_with_the_result() -> None:
    result = invoke("run", "describe Turtle Check Men Navy Blue Shirt", "--json", *OFFLINE)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["run_id"] and data["status"]["state"] == "complete"
    assert data["description"] == "Navy blue checked shirt for men."
    assert {c["value"] for c in data["claims"]} == {"navy blue", "checked", "men"}
    assert data["evidence"][0]["id"] == "name"


def test_runs_list_and_show() -> None:
    data = json.loads(invoke("run", "describe Navy Blue Shirt", "--json", *OFFLINE).stdout)
    listed = json.loads(invoke("runs", "list", "--json").stdout)
    assert listed[0]["run_id"] == data["run_id"] and listed[0]["state"] == "complete"
    shown = json.loads(invoke("runs", "show", data["run_id"], "--json").stdout)
    assert shown["description"] == data["description"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["describe", "   ", *OFFLINE], 2, "error: the product name is empty"),
        (["describe", "x" * 501, *OFFLINE], 2, "error: the product name is 501 characters"),
        (["run", "paint the shirt", *OFFLINE], 2, "error: cannot understand the task"),
        (["run", "describe", *OFFLINE], 2, "error: 'describe' needs a product name"),
        (
            [
                "describe",
                "Navy Shirt",
                "--model",
                "/nope/model.gguf",
                "--search",
                "none",
                "--knowledge",
                "none",
            ],
            1,
            "error: model '/nope/model.gguf' not found",
        ),
        (["runs", "show", "no-such-run"], 1, "error: no run with id 'no-such-run'"),
        (["graph", "--format", "pdf"], 2, "error: unknown format 'pdf'"),
    ],
)
def test_bad_input_is_one_line_and_an_exit_code(args: list[str], code: int, message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), result.stderr
    assert "Traceback" not in result.output


def test_unwritable_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("SEAMLINE_DATA_DIR", str(blocker / "data"))
    result = invoke("describe", "Navy Shirt", *OFFLINE)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: data directory")
    assert "SEAMLINE_DATA_DIR" in result.stderr


def test_graph_mermaid_matches_snapshot() -> None:
    result = invoke("graph")
    assert result.exit_code == 0
    assert result.stdout == (SNAPSHOTS / "describe_graph.mmd").read_text()


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.startswith("seamline ")
