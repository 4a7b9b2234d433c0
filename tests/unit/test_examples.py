"""Every script in examples/ runs, so none rots: with the fake model where the real one would be slow."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO

EXAMPLES = REPO / "examples"
PAGES = EXAMPLES / "shop_pages.jsonl"


def run(script: str, *args: str, **env: str) -> str:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env},
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_every_example_has_a_test() -> None:
    tested = {"embed.py", "custom_tool.py", "custom_llm.py", "service.py"}
    tested |= {"describe_product.py", "audit_catalog.py", "langchain_tools.py"}
    assert {p.name for p in EXAMPLES.glob("*.py")} == tested


def test_embed() -> None:
    out = run("embed.py", "--fake")
    lines = out.splitlines()
    assert lines[0].startswith("describe: A navy blue checked shirt for men in cotton.")
    assert lines[1].startswith("adescribe: White solid shirt for men")
    assert "  claim_removed: 'waterproof' (unsupported)" in lines
    assert any(
        line.startswith("stream: A navy blue checked shirt for men. It is made of linen") for line in lines
    )
    assert any(line.startswith("compete: ") and "competitors were kept" in line for line in lines)


def test_custom_tool_is_called_by_a_planner_that_can_plan() -> None:
    out = run("custom_tool.py", "--fake")
    assert out.splitlines()[0] == "called pim_lookup({'product': 'Turtle Check Men Navy Blue Shirt'})"
    assert "removed origin 'Made in Italy': unsupported" in out


def test_custom_llm_with_a_langchain_chat_model() -> None:
    out = run("custom_llm.py", "--fake")
    assert out.splitlines()[:2] == [
        "model: ScriptedChat (langchain)",
        "draft: A navy blue checked shirt for men, in soft organic cotton with long sleeves.",
    ]
    assert "removed certification 'organic': unsupported" in out


def test_the_older_examples() -> None:
    out = run(
        "describe_product.py",
        "Turtle Check Men Navy Blue Shirt",
        "--search",
        f"local:{PAGES}",
        SEAMLINE_BACKEND="fake",
        SEAMLINE_KNOWLEDGE="none",
    )
    assert "kept     colour" in out and ": complete," in out
    assert "removed" in run("audit_catalog.py")
    out = run("langchain_tools.py")
    assert out.splitlines()[0].startswith("lookup_knowledge: Look up general fashion knowledge")
    assert "raglan" in out.lower()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_service_serves_over_http(tmp_path: Path) -> None:
    pytest.importorskip("uvicorn")
    port = free_port()
    env = {
        **os.environ,
        "SEAMLINE_BACKEND": "fake",
        "SEAMLINE_SEARCH": f"local:{PAGES}",
        "SEAMLINE_KNOWLEDGE": "none",
    }
    server = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "service.py"), "--port", str(port)],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/docs", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "the service did not start"
                time.sleep(0.2)
        answer = httpx.post(
            f"{url}/describe", json={"product": "Turtle Check Men Navy Blue Shirt"}, timeout=60
        )
        assert answer.status_code == 200
        result = answer.json()
        assert result["status"]["state"] == "complete" and "long sleeves" in result["description"]
        run_state = httpx.get(f"{url}/runs/{result['run_id']}", timeout=10).json()
        assert (
            run_state["state"] == "complete" and run_state["result"]["description"] == result["description"]
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
