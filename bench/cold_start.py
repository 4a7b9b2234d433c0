"""Cold start with the knowledge store against without it: `agent run` in fresh processes, side by side.

Each run is a new `agent run "describe ..." --search local:examples/shop_pages.jsonl --json` process, so
every import and load is paid again; the two sides alternate so that the machine's load falls on both.
The product's page states cotton, a spread collar and a slim fit, so the default store is opened and
queried three times; with `--knowledge none` it is never opened. The glossary is embedded into the
store once before timing (that first use is reported on its own line). Then the parts are timed apart,
each in a fresh process: importing Seamline, loading the model, opening the store, the first query.

    python bench/cold_start.py [-n 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = "Turtle Check Men Navy Blue Shirt"
SEARCH = f"local:{ROOT / 'examples' / 'shop_pages.jsonl'}"

PARTS = {
    "import seamline": "import seamline.api",
    "model load": "from seamline import Settings; from seamline.llm import load_llm; load_llm(Settings())",
    "store open": "from seamline import Settings; from seamline.memory.knowledge import KnowledgeStore; "
    "KnowledgeStore.open(Settings()).list_sources()",
    "store open and first query": "from seamline import Settings; "
    "from seamline.memory.knowledge import KnowledgeStore; KnowledgeStore.open(Settings()).search('cotton')",
}


def timed(command: list[str], env: dict[str, str]) -> tuple[float, dict]:
    t0 = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.monotonic() - t0
    if done.returncode != 0:
        sys.exit(f"{' '.join(command[:4])} ... failed ({done.returncode}): {done.stderr.strip()[-400:]}")
    try:
        return wall, json.loads(done.stdout)
    except json.JSONDecodeError:
        return wall, {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5, help="runs per side")
    args = parser.parse_args()
    agent = [sys.executable, "-m", "seamline"]
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "SEAMLINE_DATA_DIR": data}
        first, _ = timed([sys.executable, "-c", PARTS["store open and first query"]], env)
        print(f"first use of a new store (embeds the glossary once): {first:.1f} s")
        walls: dict[str, list[float]] = {"none": [], "local": []}
        research: dict[str, list[float]] = {"none": [], "local": []}
        for _ in range(args.n):
            for side in ("none", "local"):
                command = [*agent, "run", f"describe {PRODUCT}", "--search", SEARCH, "--knowledge", side]
                wall, result = timed([*command, "--json"], env)
                walls[side].append(wall)
                research[side].append(result.get("timings", {}).get("research", 0.0))
                if side == "local" and "general" not in {c.get("kind") for c in result.get("claims", [])}:
                    print("  note: this run's text has no general sentence")
        base, store = statistics.median(walls["none"]), statistics.median(walls["local"])
        looked = {side: statistics.median(times) for side, times in research.items()}
        print(f"agent run, median of {args.n} fresh processes each:")
        print(f"  --knowledge none:  {base:.2f} s wall (research {looked['none']:.2f} s)")
        print(f"  default store:     {store:.2f} s wall (research {looked['local']:.2f} s)")
        print(f"  ratio: {store / base:.2f}x (target <= 1.5x)")
        print("parts, each in a fresh process (median of 3, includes the interpreter's start):")
        for name, code in PARTS.items():
            times = [timed([sys.executable, "-c", code], env)[0] for _ in range(3)]
            print(f"  {name}: {statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
