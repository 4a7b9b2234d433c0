"""How long writing the HTML report of a finished run takes.

Describes one product of examples/shop_pages.jsonl (the fake model by default, the real default model
with --real) into a temporary data directory, then times, for that finished run:
  - in process: read it from the run store, render the report, write the file (median of -n runs);
  - as a command: `agent runs show RUN_ID --html FILE`, process start and imports included (median of 5).

    python bench/report.py [-n 20] [--real] [--adapter none]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "examples" / "shop_pages.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20, help="in-process repetitions")
    parser.add_argument("--real", action="store_true", help="describe with the real default model")
    parser.add_argument("--adapter", default=None, help="pass an adapter setting with --real (e.g. none)")
    parser.add_argument("--product", default="Turtle Check Men Navy Blue Shirt")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="seamline-bench-report-"))
    os.environ["SEAMLINE_DATA_DIR"] = str(tmp / "data")
    os.environ["SEAMLINE_CONFIG_DIR"] = str(tmp / "config")
    from seamline import Agent
    from seamline.graphs.visualize import write_atomic

    options: dict[str, object] = {"search": f"local:{SHOP}", "knowledge": "none"}
    if args.real:
        options["backend"] = "llamacpp"
        if args.adapter is not None:
            options["adapter"] = args.adapter
    else:
        options["backend"] = "fake"
    with Agent(**options) as agent:
        result = agent.describe(args.product)
    print(
        f"run {result.run_id}: {'real default model' if args.real else 'fake model'}, "
        f"{len(result.steps)} steps, "
        f"{len(result.evidence)} evidence, {len(result.claims)} claims kept, {len(result.removed)} removed"
    )

    out = tmp / "report.html"
    render, total = [], []
    with Agent() as agent:
        for _ in range(args.n):
            t0 = time.perf_counter()
            finished = agent.run_result(result.run_id)
            t1 = time.perf_counter()
            html = finished.to_html()
            t2 = time.perf_counter()
            write_atomic(out, html)
            t3 = time.perf_counter()
            render.append(t2 - t1)
            total.append(t3 - t0)
    print(f"report size: {out.stat().st_size / 1024:.1f} KiB")
    print(
        f"in process, median of {args.n}: render {statistics.median(render) * 1000:.1f} ms; "
        f"read + render + write {statistics.median(total) * 1000:.1f} ms"
    )

    agent_cmd = Path(sys.executable).with_name("agent")
    walls = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run(
            [str(agent_cmd), "runs", "show", result.run_id, "--html", str(tmp / "cli.html")],
            capture_output=True,
            check=True,
        )
        walls.append(time.perf_counter() - t0)
    print(f"`agent runs show RUN_ID --html FILE`, median of 5: {statistics.median(walls):.2f} s wall")
    print(f"report_seconds={statistics.median(total):.4f} command_seconds={statistics.median(walls):.2f}")


if __name__ == "__main__":
    main()
