"""Drafter decode speed on a GPU: a LLaMA of 7B shape with random weights in bf16 (transformers backend).

    python bench/gpu_drafter.py                   # on a CUDA machine; one run fits in 8 minutes
    python bench/gpu_drafter.py --tiny --device cpu   # a tiny config, to check the script itself

Single-stream decode is memory-bound: each token reads every weight once, so tokens/s cannot exceed
memory bandwidth / weight bytes (4.8 TB/s on an H200). The script prints the measured single-stream
tokens/s, that limit and the fraction attained, then batched throughput at each --batches size.
Random weights decode as fast as trained ones; --min-new-tokens keeps every run the same length.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

SEVEN_B = {
    "hidden_size": 4096,
    "intermediate_size": 11008,
    "num_hidden_layers": 32,
    "num_attention_heads": 32,
    "num_key_value_heads": 32,
    "vocab_size": 32000,
    "max_position_embeddings": 4096,
}
TINY = {
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "vocab_size": 256,
    "max_position_embeddings": 512,
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--device", default="cuda", help="cuda (default) or cpu.")
    parser.add_argument("--tiny", action="store_true", help="A tiny LLaMA config instead of the 7B shape.")
    parser.add_argument(
        "--bandwidth-tbs", type=float, default=4.8, help="Memory bandwidth in TB/s (H200: 4.8)."
    )
    parser.add_argument("--prompt-tokens", type=int, default=128, help="Prompt length per sequence.")
    parser.add_argument("--new-tokens", type=int, default=128, help="Tokens decoded per sequence.")
    parser.add_argument(
        "--batches", default="1,8,32,64", type=lambda s: [int(x) for x in s.split(",")], help="Batch sizes."
    )
    parser.add_argument("--compile", action="store_true", help="torch.compile the forward (CUDA graphs).")
    parser.add_argument("--json", action="store_true", help="Print one JSON object instead of text.")
    args = parser.parse_args(argv)
    if min(args.batches) < 1 or args.new_tokens < 2 or args.prompt_tokens < 1:
        parser.error("batch sizes must be >= 1, --new-tokens >= 2 and --prompt-tokens >= 1")
    return args


def build_model(args: argparse.Namespace) -> Any:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    if args.device.startswith("cuda") and not torch.cuda.is_available():
        raise SystemExit("no CUDA GPU visible; run with --tiny --device cpu to check the script")
    dtype = torch.bfloat16
    config = LlamaConfig(**(TINY if args.tiny else SEVEN_B), dtype=dtype)
    torch.manual_seed(0)
    with torch.device(args.device):
        previous = torch.get_default_dtype()
        torch.set_default_dtype(dtype)  # initialise straight into bf16 on the device: no fp32 copy
        try:
            model = LlamaForCausalLM(config)
        finally:
            torch.set_default_dtype(previous)
    model.eval()
    if args.compile:
        model.forward = torch.compile(model.forward, mode="reduce-overhead", fullgraph=True)
    return model


def timed_generate(model: Any, batch: int, args: argparse.Namespace, new_tokens: int) -> float:
    """Seconds to prefill a batch of prompts and decode exactly ``new_tokens`` each (greedy)."""
    import torch

    ids = torch.randint(3, model.config.vocab_size, (batch, args.prompt_tokens), device=args.device)
    sync = torch.cuda.synchronize if args.device.startswith("cuda") else (lambda: None)
    sync()
    started = time.perf_counter()
    with torch.inference_mode():
        model.generate(
            ids,
            attention_mask=torch.ones_like(ids),
            max_new_tokens=new_tokens,
            min_new_tokens=new_tokens,
            do_sample=False,
            cache_implementation="static",
            pad_token_id=0,
        )
    sync()
    return time.perf_counter() - started


def run(args: argparse.Namespace) -> dict[str, Any]:
    model = build_model(args)
    weight_bytes = sum(p.numel() * p.element_size() for p in model.parameters())
    limit = args.bandwidth_tbs * 1e12 / weight_bytes
    timed_generate(model, 1, args, 4)  # warm-up (and compilation, with --compile)
    # Decode rate without the prefill: the difference between N and 1 new tokens.
    prefill = timed_generate(model, 1, args, 1)
    full = timed_generate(model, 1, args, args.new_tokens)
    single = (args.new_tokens - 1) / max(full - prefill, 1e-9)
    batched = {}
    for size in args.batches:
        seconds = timed_generate(model, size, args, args.new_tokens)
        batched[size] = round(size * args.new_tokens / seconds, 1)
    return {
        "config": "tiny" if args.tiny else "llama-7b-shape",
        "device": args.device,
        "weights_gb": round(weight_bytes / 1e9, 2),
        "single_stream_tok_s": round(single, 1),
        "bandwidth_limit_tok_s": round(limit, 1),
        "fraction_of_limit": round(single / limit, 3),
        "ttft_ms": round(prefill * 1000, 1),
        "batched_tok_s": batched,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    result = run(args)
    if args.json:
        print(json.dumps(result))
        return result
    print(f"{result['config']} on {result['device']}, bf16 weights {result['weights_gb']} GB")
    print(
        f"single-stream decode {result['single_stream_tok_s']} tok/s; bandwidth limit "
        f"{result['bandwidth_limit_tok_s']} tok/s at {args.bandwidth_tbs} TB/s "
        f"({result['fraction_of_limit']:.1%} of it); first token {result['ttft_ms']} ms"
    )
    for size, tps in result["batched_tok_s"].items():
        print(f"batch {size:>3}: {tps} tok/s")
    print(f"gpu_decode_vs_bandwidth={result['fraction_of_limit']:.3f}")
    return result


if __name__ == "__main__":
    main()
