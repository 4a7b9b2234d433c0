"""Batch benchmark: products per minute of `agent batch` sequential, batched at 2, 4 and 8, and on Ray.

Every side runs the real default model (llama.cpp with the shipped adapter) on the same products with
the same local search index and the default knowledge store, one after the other in this script, each
as the `agent batch` command a user runs (a process of its own: imports and model load included):

- sequential: `--batch-size 1`, one draft at a time (the baseline);
- batched: `--batch-size 2`, `4` and `8`: that many drafts decoded together in one llama.cpp context,
  research and the critic of the other products overlapping them;
- Ray: `--ray local --workers 2`, two shards as Ray tasks, one model each (needs the ray extra).

    python bench/batch.py [-n 60] [--sizes 2,4,8] [--no-ray]

Products are Myntra dev-split names (../shared/data), searched in a local catalog of those records and
2,000 train-split records; without the shared data, the example shop (examples/shop_pages.jsonl).
Prints products per minute and the ratio to sequential for each side, how many final descriptions
equal the sequential ones, and where a sequential product's time goes.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AGENT = [sys.executable, "-m", "seamline"]


def corpus(n: int, folder: Path) -> tuple[list[str], Path]:
    """n Myntra dev names and a catalog of them plus 2,000 train records; the example shop without data."""
    from seamline.errors import DataMissingError
    from seamline.evaluation.data import load_myntra, load_split, product_name

    try:
        dev = load_myntra(load_split("myntra_dev")[:n])
        train = load_myntra(load_split("myntra_train")[:2000])
    except DataMissingError as exc:
        print(f"shared data absent ({exc}); using examples/shop_pages.jsonl", file=sys.stderr)
        pages = ROOT / "examples" / "shop_pages.jsonl"
        return [json.loads(line)["title"] for line in pages.open()][:n], pages
    catalog = folder / "catalog.jsonl"
    with catalog.open("w", encoding="utf-8") as fh:
        for record in dev + train:
            fh.write(json.dumps(record) + "\n")
    return [product_name(r) for r in dev], catalog


def run(flags: list[str], out: Path, env: dict[str, str]) -> tuple[float, list[dict]]:
    """Wall-clock seconds of one `agent batch`, and its result lines."""
    start = time.perf_counter()
    subprocess.run([*AGENT, "batch", *flags, "--out", str(out)], env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    return seconds, [json.loads(line) for line in out.open(encoding="utf-8")]


def where_time_goes(rows: list[dict]) -> str:
    """Median seconds per product of each stage the results time."""
    parts = []
    for stage in ("research", "generate", "critic", "total"):
        values = [r["timings"].get(stage, 0.0) for r in rows if r.get("timings")]
        parts.append(f"{stage} {statistics.median(values):.2f}s")
    return ", ".join(parts)


def main() -> int:
    """Time every side and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=60, help="products (default 60)")
    parser.add_argument("--sizes", default="2,4,8", help="batch sizes to compare (default 2,4,8)")
    parser.add_argument("--no-ray", action="store_true", help="leave out the Ray side")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        names, catalog = corpus(args.n, folder)
        source = folder / "names.txt"
        source.write_text("\n".join(names) + "\n", encoding="utf-8")
        env = {**os.environ, "SEAMLINE_DATA_DIR": str(folder / "data")}
        flags = [str(source), "--search", f"local:{catalog}"]
        # Warm up once (knowledge store, index cache, adapter conversion) so no side pays first-use costs.
        subprocess.run([*AGENT, "describe", names[0], *flags[1:]], env=env, check=True, capture_output=True)
        sides: list[tuple[str, list[str]]] = [("sequential (--batch-size 1)", ["--batch-size", "1"])]
        sides += [(f"batched (--batch-size {b})", ["--batch-size", str(b)]) for b in sizes]
        if not args.no_ray:
            if importlib.util.find_spec("ray") is None:
                print(
                    "ray is not installed (pip install -e '.[ray]'); leaving out the Ray side",
                    file=sys.stderr,
                )
            else:
                sides.append(("Ray, 2 local workers", ["--ray", "local", "--workers", "2"]))
        measured = []
        for i, (label, extra) in enumerate(sides):
            seconds, rows = run([*flags, *extra], folder / f"out{i}.jsonl", env)
            measured.append((label, seconds, rows))
    n = len(names)
    base_seconds, base_rows = measured[0][1], measured[0][2]
    base = {r["key"]: r["description"] for r in base_rows}
    print(f"Seamline batch benchmark: {n} products, default model and adapter, local search index")
    for label, seconds, rows in measured:
        same = sum(base.get(r["key"]) == r["description"] for r in rows)
        print(
            f"  {label:30s} {60 * n / seconds:6.1f} products/min ({seconds:6.1f} s), "
            f"{base_seconds / seconds:4.2f}x, same text as sequential {same}/{n}"
        )
    print(f"sequential, median per product: {where_time_goes(base_rows)}")
    best = max(measured[1:], key=lambda m: base_seconds / m[1], default=measured[0])
    print(f"best_ratio={base_seconds / best[1]:.2f} ({best[0]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
