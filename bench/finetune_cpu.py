"""Which precision and thread count `agent finetune train` should use on a CPU: measured side by side.

    python bench/finetune_cpu.py [--steps 4] [--threads 1,2]

Builds 64 training rows from the Myntra train split (or, without the shared data, from the example
shop's pages), then trains the default model with the shipped adapter's LoRA shape (r=16 on all seven
projections, batch 8) for a few steps in fp32 and in bf16 autocast, at each thread count, one after the
other, each after a warm-up run. Prints seconds per step (the first step is left out) and the last line
``bf16_vs_fp32=<ratio>`` (above 1: bf16 is faster).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


def rows(folder: Path) -> Path:
    from seamline.config import Settings
    from seamline.errors import DataMissingError
    from seamline.finetune.data import build_data, myntra_train_records, shared_data_dir

    out = folder / "rows.jsonl"
    try:
        build_data(myntra_train_records(shared_data_dir(Settings())), out, source="bench", limit=64)
    except DataMissingError:
        pages = [json.loads(line) for line in (ROOT / "examples" / "shop_pages.jsonl").open()]
        with out.open("w") as handle:
            for i in range(64):
                page = pages[i % len(pages)]
                row = {
                    "instruction": f'Describe "{page["title"]}".',
                    "input": page["text"],
                    "output": page["text"],
                }
                handle.write(json.dumps(row) + "\n")
    return out


def seconds_per_step(data: Path, folder: Path, dtype: str, threads: int, steps: int) -> float:
    from seamline.config import Settings
    from seamline.finetune import TrainConfig, finetune

    stamps: list[float] = []
    config = TrainConfig(
        steps=steps, batch_size=8, rank=16, alpha=32, target_modules=TARGETS, dtype=dtype, threads=threads
    )
    finetune(
        Settings(device="cpu"),
        data,
        folder / f"{dtype}-{threads}",
        config,
        force=True,
        write_gguf=False,
        progress=lambda info: stamps.append(time.perf_counter()),
    )
    gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
    return sum(gaps) / len(gaps)


def measured(data: Path, folder: Path, dtype: str, threads: int, steps: int) -> float:
    """Seconds per step of a second run: the first run in a process also pays for kernel set-up."""
    seconds_per_step(data, folder, dtype, threads, 2)
    return seconds_per_step(data, folder, dtype, threads, steps)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--threads", default="2", type=lambda s: [int(x) for x in s.split(",")])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = rows(folder)
        results = {}
        for threads in args.threads:
            for dtype in ("fp32", "bf16"):
                results[(dtype, threads)] = measured(data, folder, dtype, threads, args.steps)
                print(f"{dtype} threads={threads}: {results[(dtype, threads)]:.2f} s/step", flush=True)
    best = max(args.threads)
    print(f"bf16_vs_fp32={results[('fp32', best)] / results[('bf16', best)]:.2f}")


if __name__ == "__main__":
    main()
