"""Batch benchmark: `agent batch` over N products against N separate `agent describe` processes.

Both sides run the real default model (llama.cpp) on the same products with the same local search
index, one after the other in this script; the baseline is the shell loop a user would write without
`agent batch`, paying the imports, the model load and the index load once per product.

    python bench/batch.py [-n 5]

Products are Myntra dev-split names (../shared/data), searched in a local catalog of those records and
2,000 train-split records; without the shared data, the example shop (examples/shop_pages.jsonl).
Prints seconds per product for each side and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
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


def main() -> int:
    """Time both sides and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5, help="products (default 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        names, catalog = corpus(args.n, Path(tmp))
        flags = ["--search", f"local:{catalog}", "--knowledge", "none"]
        env = {**os.environ, "SEAMLINE_DATA_DIR": str(Path(tmp) / "data")}
        # Warm up once (model conversion cache, index cache) so neither side pays first-use costs.
        subprocess.run([*AGENT, "describe", names[0], *flags], env=env, check=True, capture_output=True)
        source = Path(tmp) / "names.txt"
        source.write_text("\n".join(names) + "\n", encoding="utf-8")
        start = time.perf_counter()
        subprocess.run(
            [*AGENT, "batch", str(source), "--out", str(Path(tmp) / "out.jsonl"), *flags],
            env=env,
            check=True,
            capture_output=True,
        )
        batch = time.perf_counter() - start
        start = time.perf_counter()
        for name in names:
            subprocess.run([*AGENT, "describe", name, *flags], env=env, check=True, capture_output=True)
        loop = time.perf_counter() - start
    n = len(names)
    print(f"Seamline batch benchmark: {n} products, default model, local search index")
    print(f"  agent batch (one process):            {batch / n:6.2f} s/product ({batch:.1f} s)")
    print(f"  agent describe x {n} (baseline loop):  {loop / n:6.2f} s/product ({loop:.1f} s)")
    print(f"batch_speedup={loop / batch:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
