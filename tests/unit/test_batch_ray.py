"""`agent batch --ray`: shards as Ray tasks on a local Ray, part files merged, nothing lost or doubled."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seamline import Settings
from seamline.api import Agent
from seamline.batch import read_products, run_batch
from seamline.batch_ray import merge, parts_dir, run_ray
from seamline.cli import app
from seamline.errors import UsageError

OFFLINE = {"backend": "fake", "search": "none", "knowledge": "none"}
FLAGS = ["--backend", "fake", "--search", "none", "--knowledge", "none"]
PRODUCTS = ("Turtle Check Men Navy Blue Shirt", "Nike Men Red Polo T-shirt", "Puma Women Black Leggings")

needs_ray = pytest.mark.skipif(
    __import__("importlib").util.find_spec("ray") is None, reason="ray is not installed (the ray extra)"
)


def catalog(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "names.txt"
    path.write_text("".join(f"{PRODUCTS[i % 3]} {i}\n" for i in range(n)), encoding="utf-8")
    return path


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def part_lines(out: Path) -> int:
    return sum(p.read_bytes().count(b"\n") for p in parts_dir(out).glob("part-*.jsonl"))


@needs_ray
def test_a_local_ray_gives_the_results_of_the_plain_run(tmp_path: Path) -> None:
    names = catalog(tmp_path, 6)
    settings = Settings(**OFFLINE, data_dir=str(tmp_path / "data"))
    with Agent(settings) as agent:
        run_batch(agent, names, tmp_path / "plain.jsonl")
    report = run_ray(settings, names, tmp_path / "ray.jsonl", address="local", workers=2)
    assert (report.products, report.described, report.failed) == (6, 6, 0)

    def essence(path: Path) -> list[tuple]:
        return [(r["key"], r["description"], [c["value"] for c in r["claims"]]) for r in lines(path)]

    assert essence(tmp_path / "ray.jsonl") == essence(tmp_path / "plain.jsonl")
    assert sorted(p.name for p in parts_dir(tmp_path / "ray.jsonl").glob("*.jsonl")) == [
        "part-0-of-2.jsonl",
        "part-1-of-2.jsonl",
    ]


@needs_ray
def test_a_killed_driver_then_a_rerun_leaves_every_product_exactly_once(tmp_path: Path) -> None:
    names = catalog(tmp_path, 200)
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "seamline", "batch", str(names), "--out", str(out), "--ray", "local"]
    command += ["--workers", "2", *FLAGS]
    env = {**os.environ, "SEAMLINE_DATA_DIR": str(tmp_path / "data")}
    driver = subprocess.Popen(command, env=env, start_new_session=True, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while part_lines(out) < 2 and driver.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert driver.poll() is None, "the batch ended before it could be killed"
        os.kill(driver.pid, signal.SIGKILL)
        driver.wait()
        assert not out.exists(), "killed before the merge"
        done_before = part_lines(out)
        assert 2 <= done_before < 200
        again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    finally:
        # Ray's processes of the killed driver's session, if any outlived it.
        try:
            os.killpg(driver.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert again.returncode == 0, again.stderr
    rows = lines(out)
    assert [r["key"] for r in rows] == [f"line {i}" for i in range(1, 201)]
    assert all(r["status"]["state"] == "complete" for r in rows)
    # The rerun described only what no part held (a worker may have outlived the driver a moment).
    words = again.stdout.split()
    described, failed, already = int(words[0]), int(words[2]), int(words[4])
    assert failed == 0 and described + already == 200 and already >= done_before


@needs_ray
def test_a_worker_killed_mid_shard_is_retried_and_loses_nothing(tmp_path: Path) -> None:
    names = catalog(tmp_path, 120)
    out = tmp_path / "out.jsonl"
    settings = Settings(**OFFLINE, data_dir=str(tmp_path / "data"))
    reports: list = []
    runner = threading.Thread(
        target=lambda: reports.append(run_ray(settings, names, out, address="local", workers=2)), daemon=True
    )
    runner.start()
    deadline = time.monotonic() + 120
    while part_lines(out) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    found = subprocess.run(["pgrep", "-f", "ray::_shard"], capture_output=True, text=True).stdout.split()
    assert found, "no shard task was running"
    os.kill(int(found[0]), signal.SIGKILL)
    runner.join(timeout=300)
    assert reports, "the batch did not finish"
    rows = lines(out)
    assert [r["key"] for r in rows] == [f"line {i}" for i in range(1, 121)]
    assert [r["status"] for r in rows if r["status"]["state"] != "complete"] == []


def test_merge_keeps_each_products_last_kept_line_and_fails_a_lost_shards(tmp_path: Path) -> None:
    names = catalog(tmp_path, 4)
    items, _ = read_products(names)
    out = tmp_path / "out.jsonl"
    parts = parts_dir(out)
    parts.mkdir()

    def line(key: str, state: str) -> str:
        row = {"key": key, "product": "x", "description": state, "status": {"state": state}}
        return json.dumps(row) + "\n"

    # Shard 0 of 2 holds lines 1 and 3: line 1 failed once, then completed; shard 1's worker was lost.
    held = line("line 1", "failed") + line("line 1", "complete") + line("line 3", "complete")
    (parts / "part-0-of-2.jsonl").write_text(held + '{"key": "line')  # the last cut short by a kill
    report = merge(items, parts, 2, out, {1: "the worker died"})
    rows = lines(out)
    assert [(r["key"], r["status"]["state"]) for r in rows] == [
        ("line 1", "complete"),
        ("line 2", "failed"),
        ("line 3", "complete"),
        ("line 4", "failed"),
    ]
    assert rows[1]["status"]["message"].startswith("shard 1/2 failed after 2 retries: the worker died")
    assert (report.described, report.failed) == (2, 2)


def test_ray_options_are_checked_and_a_missing_ray_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = catalog(tmp_path, 2)
    out = str(tmp_path / "out.jsonl")
    runner = CliRunner()
    result = runner.invoke(app, ["batch", str(names), "--out", out, "--workers", "2", *FLAGS])
    assert result.exit_code == 2 and "--workers is for --ray" in result.stderr
    result = runner.invoke(app, ["batch", str(names), "--out", out, "--ray", "local", "--limit", "1", *FLAGS])
    assert result.exit_code == 2 and "drop --shard and --limit" in result.stderr
    monkeypatch.setitem(sys.modules, "ray", None)
    result = runner.invoke(app, ["batch", str(names), "--out", out, "--ray", "local", *FLAGS])
    assert result.exit_code == 2
    assert "--ray needs Ray, an optional extra: pip install 'seamline[ray]'" in result.stderr
    assert not (tmp_path / "out.jsonl").exists()
    with pytest.raises(UsageError, match="--workers 0"):
        run_ray(Settings(**OFFLINE), names, tmp_path / "o.jsonl", workers=0)
