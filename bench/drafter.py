"""Drafter speed on the default model: each Seamline backend side by side with raw llama-cpp-python.

    python bench/drafter.py [--tokens 96] [--rounds 3] [--threads N] [--no-transformers]

Each backend runs in its own process (so peak memory is its own): load time, time to first token
(streamed), decode tokens/s over the same greedy prompts, peak resident memory. The ratio on the last
line comes from one process that holds raw llama-cpp-python and Seamline's fastest CPU backend on the
same GGUF with the same thread count and alternates between them prompt by prompt (the median of the
per-pair ratios), so load from other processes on the machine falls on both alike:

    drafter_vs_llamacpp=<Seamline tokens/s over raw llama-cpp-python tokens/s>
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PENALTY = 1.1  # the drafter's repetition penalty, given to both sides so they decode the same tokens
PROMPTS = [
    "Write a short product description for: Roadster Men Navy Blue Slim Fit Cotton Shirt.",
    "Write a short product description for: Nike Women Black Running Shoes with mesh upper.",
    "Write a short product description for: Fabindia Women Red Printed Cotton Kurta.",
]


def messages(prompt: str) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": "You write concise, factual fashion product descriptions."},
        {"role": "user", "content": prompt},
    ]


# --- the backends under test ---------------------------------------------------------------------------


class Raw:
    """The anchor: llama-cpp-python used directly, its own defaults, the GGUF's chat template."""

    def __init__(self, threads: int | None) -> None:
        from llama_cpp import Llama

        from seamline.llm.default_model import default_gguf_path

        kwargs: dict[str, Any] = {"n_ctx": 4096, "verbose": False}
        if threads:
            kwargs["n_threads"] = kwargs["n_threads_batch"] = threads
        self.llm = Llama(model_path=str(default_gguf_path()), **kwargs)

    def run(self, prompt: str, tokens: int) -> int:
        out = self.llm.create_chat_completion(
            messages(prompt), temperature=0.0, max_tokens=tokens, repeat_penalty=PENALTY
        )
        return int(out["usage"]["completion_tokens"])

    def first_piece(self, prompt: str) -> None:
        chunks = self.llm.create_chat_completion(messages(prompt), temperature=0.0, max_tokens=8, stream=True)
        for chunk in chunks:
            if chunk["choices"][0].get("delta", {}).get("content"):
                return


class Seamline:
    """A Seamline backend built the way `agent run --backend NAME` builds it."""

    def __init__(self, backend: str, threads: int | None) -> None:
        from seamline.config import Settings
        from seamline.llm import load_llm

        self.llm = load_llm(Settings(backend=backend), n_threads=threads)  # type: ignore[arg-type]

    def run(self, prompt: str, tokens: int) -> int:
        from seamline.llm.base import GenerationParams

        params = GenerationParams(temperature=0.0, max_new_tokens=tokens, repetition_penalty=PENALTY)
        return self.llm.generate(messages(prompt), params).completion_tokens  # type: ignore[union-attr]

    def first_piece(self, prompt: str) -> None:
        from seamline.llm.base import GenerationParams

        for _ in self.llm.stream(messages(prompt), GenerationParams(temperature=0.0, max_new_tokens=8)):
            return


def build(name: str, threads: int | None) -> Raw | Seamline:
    return Raw(threads) if name == "raw-llamacpp" else Seamline(name.split("-", 1)[1], threads)


# --- workers (one process each) ------------------------------------------------------------------------


def worker(name: str, tokens: int, threads: int | None) -> dict[str, Any]:
    """Load one backend, then time first token and decode; report peak memory of this process."""
    started = time.perf_counter()
    backend = build(name, threads)
    load_s = time.perf_counter() - started
    backend.run(PROMPTS[0], 8)  # warm-up
    t0 = time.perf_counter()
    backend.first_piece(PROMPTS[1])
    ttft = time.perf_counter() - t0
    produced, spent = 0, 0.0
    for prompt in PROMPTS:
        t0 = time.perf_counter()
        produced += backend.run(prompt, tokens)
        spent += time.perf_counter() - t0
    return {
        "backend": name,
        "load_s": round(load_s, 2),
        "ttft_ms": round(ttft * 1000, 1),
        "tokens": produced,
        "tok_s": round(produced / spent, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def paired(name: str, tokens: int, threads: int | None, rounds: int) -> dict[str, Any]:
    """Raw llama-cpp-python and a Seamline backend in one process, alternating prompt by prompt."""
    raw, ours = Raw(threads), build(name, threads)
    raw.run(PROMPTS[0], 8)
    ours.run(PROMPTS[0], 8)
    totals = {"raw": [0, 0.0], "ours": [0, 0.0]}
    ratios = []
    for r in range(rounds):
        for i, prompt in enumerate(PROMPTS):
            pair = [("raw", raw), ("ours", ours)]
            if (r + i) % 2:
                pair.reverse()  # ABBA order, so neither side always runs first
            speed = {}
            for key, backend in pair:
                t0 = time.perf_counter()
                produced = backend.run(prompt, tokens)
                spent = time.perf_counter() - t0
                totals[key][0] += produced
                totals[key][1] += spent
                speed[key] = produced / spent
            ratios.append(speed["ours"] / speed["raw"])
    raw_tps = totals["raw"][0] / totals["raw"][1]
    ours_tps = totals["ours"][0] / totals["ours"][1]
    # The median of the per-pair ratios: a burst of load from other processes spoils one pair, not the result.
    return {
        "raw_tok_s": round(raw_tps, 1),
        "ours_tok_s": round(ours_tps, 1),
        "ratio": statistics.median(ratios),
    }


def spawn(args: list[str]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, __file__, *args, "--out", out.name], check=True)
        return json.loads(Path(out.name).read_text())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tokens", type=int, default=96, help="Tokens per prompt (greedy).")
    parser.add_argument("--rounds", type=int, default=4, help="Rounds of the paired ratio measurement.")
    parser.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default: its own).")
    parser.add_argument("--no-transformers", action="store_true", help="Skip the slow transformers run.")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--paired", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker or args.paired:
        result = (
            worker(args.worker, args.tokens, args.threads)
            if args.worker
            else paired(args.paired, args.tokens, args.threads, args.rounds)
        )
        Path(args.out).write_text(json.dumps(result))
        return

    names = ["raw-llamacpp", "seamline-llamacpp"]
    if not args.no_transformers:
        names.append("seamline-transformers")
    common = ["--tokens", str(args.tokens)] + (["--threads", str(args.threads)] if args.threads else [])
    rows = [spawn(["--worker", name, *common]) for name in names]
    print(f"default model, greedy, {args.tokens} tokens x {len(PROMPTS)} prompts, one process per backend")
    print(f"{'backend':<24}{'tok/s':>8}{'TTFT ms':>10}{'load s':>9}{'peak MB':>10}")
    for row in rows:
        print(
            f"{row['backend']:<24}{row['tok_s']:>8}{row['ttft_ms']:>10}{row['load_s']:>9}{row['peak_rss_mb']:>10}"
        )
    fastest = max((r for r in rows if r["backend"] != "raw-llamacpp"), key=lambda r: r["tok_s"])
    pair = spawn(["--paired", fastest["backend"], "--rounds", str(args.rounds), *common])
    print(
        f"paired ({args.rounds} rounds x {len(PROMPTS)} prompts, alternating): raw llama-cpp-python "
        f"{pair['raw_tok_s']} tok/s, {fastest['backend']} {pair['ours_tok_s']} tok/s; "
        "ratio = median of per-pair ratios"
    )
    print(f"drafter_vs_llamacpp={pair['ratio']:.3f}")


if __name__ == "__main__":
    main()
