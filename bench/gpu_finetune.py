"""LoRA fine-tuning speed on a GPU: a LLaMA of 7B shape with random weights in bf16, sequence 512.

    python bench/gpu_finetune.py                      # on a CUDA machine; one run fits in 5 minutes
    python bench/gpu_finetune.py --tiny --device cpu  # a tiny config, to check the script itself

The base is frozen and LoRA (peft) adapts the attention and MLP projections, as `agent finetune train`
does. A training step costs about 4 x parameters x tokens floating-point operations (forward 2, and the
backward pass through frozen weights 2: activation gradients only) plus the attention; the script prints
tokens/s per batch size and the model FLOPs utilisation (MFU) against the GPU's bf16 peak (H200:
989 TFLOP/s dense). Random weights train as fast as real ones.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gpu_drafter import SEVEN_B, TINY  # noqa: E402  (one definition of the shapes)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--device", default="cuda", help="cuda (default) or cpu.")
    parser.add_argument("--tiny", action="store_true", help="A tiny LLaMA config instead of the 7B shape.")
    parser.add_argument("--peak-tflops", type=float, default=989.0, help="bf16 dense peak (H200: 989).")
    parser.add_argument("--seq", type=int, default=512, help="Tokens per sequence.")
    parser.add_argument("--rank", type=int, default=16, help="LoRA rank.")
    parser.add_argument(
        "--batches", default="1,4,8", type=lambda s: [int(x) for x in s.split(",")], help="Batch sizes."
    )
    parser.add_argument("--steps", type=int, default=5, help="Timed steps per batch size (after 2 warm-up).")
    parser.add_argument("--checkpointing", action="store_true", help="Gradient checkpointing (less memory).")
    parser.add_argument("--json", action="store_true", help="Print one JSON object instead of text.")
    args = parser.parse_args(argv)
    if min(args.batches) < 1 or args.seq < 8 or args.steps < 1:
        parser.error("batch sizes must be >= 1, --seq >= 8 and --steps >= 1")
    return args


def build(args: argparse.Namespace) -> tuple[Any, Any]:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    if args.device.startswith("cuda") and not torch.cuda.is_available():
        raise SystemExit("no CUDA GPU visible; run with --tiny --device cpu to check the script")
    config = LlamaConfig(**(TINY if args.tiny else SEVEN_B), dtype=torch.bfloat16)
    torch.manual_seed(0)
    with torch.device(args.device):
        previous = torch.get_default_dtype()
        torch.set_default_dtype(torch.bfloat16)  # straight into bf16 on the device: no fp32 copy
        try:
            model = LlamaForCausalLM(config)
        finally:
            torch.set_default_dtype(previous)
    if args.checkpointing:
        model.gradient_checkpointing_enable()
        model.enable_input_require_grads()
    targets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    lora = LoraConfig(r=args.rank, lora_alpha=2 * args.rank, target_modules=targets, task_type="CAUSAL_LM")
    peft_model = get_peft_model(model, lora)
    trainable = [p for p in peft_model.parameters() if p.requires_grad]
    return peft_model, torch.optim.AdamW(trainable, lr=1e-4)


def step_seconds(model: Any, optimizer: Any, batch: int, args: argparse.Namespace, steps: int) -> float:
    """Mean seconds of one training step (forward, backward, optimizer) on random tokens."""
    import torch

    sync = torch.cuda.synchronize if args.device.startswith("cuda") else (lambda: None)
    ids = torch.randint(3, model.config.vocab_size, (batch, args.seq), device=args.device)
    model.train()
    sync()
    started = time.perf_counter()
    for _ in range(steps):
        loss = model(input_ids=ids, labels=ids).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
    sync()
    return (time.perf_counter() - started) / steps


def run(args: argparse.Namespace) -> dict[str, Any]:
    model, optimizer = build(args)
    frozen = sum(p.numel() for p in model.parameters() if not p.requires_grad)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    cfg = model.config
    # Attention score and value products: 2 x 2 x layers x seq x hidden per token, forward and backward.
    attention = 2 * 2 * 2 * cfg.num_hidden_layers * args.seq * cfg.hidden_size
    per_token = 4 * frozen + 6 * trainable + attention
    rows = {}
    for size in args.batches:
        step_seconds(model, optimizer, size, args, 2)  # warm-up
        seconds = step_seconds(model, optimizer, size, args, args.steps)
        tokens = size * args.seq / seconds
        rows[size] = {
            "step_s": round(seconds, 4),
            "tokens_s": round(tokens, 1),
            "mfu": float(f"{tokens * per_token / (args.peak_tflops * 1e12):.3g}"),
        }
    return {
        "config": "tiny" if args.tiny else "llama-7b-shape",
        "device": args.device,
        "seq": args.seq,
        "lora_rank": args.rank,
        "trainable_params": trainable,
        "frozen_params": frozen,
        "batches": rows,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    result = run(args)
    if args.json:
        print(json.dumps(result))
        return result
    print(
        f"{result['config']} on {result['device']}, LoRA r={args.rank} on 7 projections "
        f"({result['trainable_params'] / 1e6:.1f} M trainable), sequence {args.seq}, bf16"
    )
    for size, row in result["batches"].items():
        print(f"batch {size:>2}: {row['step_s']} s/step, {row['tokens_s']} tokens/s, MFU {row['mfu']:.1%}")
    best = max(row["mfu"] for row in result["batches"].values())
    print(f"gpu_lora_mfu={best:.3f}")
    return result


if __name__ == "__main__":
    main()
