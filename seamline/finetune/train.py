"""LoRA fine-tuning of the drafter with peft on the transformers backend.

The default data is the Myntra train split (only ids in ``splits/myntra_train_ids.txt``): the product
name and the catalog record's facts, in the drafter's own prompt, paired with the human-written
description. A user's JSONL of ``{"prompt", "completion"}`` or ``{"messages"}`` lines works too.
The adapter is saved atomically with the identity of its base model, so applying it to another model is
a clear error instead of silent garbage.
"""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from seamline.errors import ModelError
from seamline.finetune.data import Example, load_examples
from seamline.llm.base import Message

if TYPE_CHECKING:
    from seamline.config import Settings

log = logging.getLogger(__name__)

Progress = Callable[[int, int, float], None]
"""Called after each step with (step, total steps, loss)."""


class FinetuneResult(BaseModel):
    """What `agent finetune` produced."""

    adapter_dir: str = Field(description="The saved LoRA adapter directory (pass it to --adapter).")
    gguf_adapter: str | None = Field(None, description="The same adapter as a GGUF LoRA for llama.cpp.")
    base_model: str = Field(description="The base model the adapter was trained on.")
    examples: int = Field(description="Training examples used.")
    steps: int = Field(description="Optimizer steps taken.")
    first_loss: float = Field(description="Loss of the first step.")
    final_loss: float = Field(description="Mean loss of the last steps (up to 10).")
    trainable_parameters: int = Field(description="Parameters the LoRA adds and trains.")
    seconds: float = Field(description="Wall-clock time of training and saving.")


def finetune(
    settings: Settings,
    data_path: Path | None,
    output_dir: Path,
    steps: int = 100,
    *,
    batch_size: int = 8,
    learning_rate: float = 2e-4,
    rank: int = 8,
    alpha: float = 16.0,
    target_modules: Sequence[str] = ("q_proj", "v_proj"),
    max_examples: int | None = 2000,
    max_length: int = 384,
    seed: int = 0,
    write_gguf: bool = True,
    progress: Progress | None = None,
) -> FinetuneResult:
    """Train a LoRA adapter on the configured base model and save it to ``output_dir``."""
    import torch

    started = time.perf_counter()
    if steps < 1 or batch_size < 1:
        raise ModelError("steps and batch size must be at least 1")
    examples = load_examples(settings, data_path, max_examples=max_examples, seed=seed)
    model, tokenizer, base = _load_base(settings)
    device = next(model.parameters()).device
    rows = [_encode(tokenizer, ex, max_length) for ex in examples]
    rows = [r for r in rows if any(label != -100 for label in r[1])]
    if not rows:
        raise ModelError(f"no usable training examples: every completion was cut off at {max_length} tokens")

    from peft import LoraConfig, get_peft_model

    torch.manual_seed(seed)
    config = LoraConfig(
        r=rank,
        lora_alpha=alpha,  # type: ignore[arg-type]  # peft accepts a float alpha
        lora_dropout=0.0,
        target_modules=list(target_modules),
        task_type="CAUSAL_LM",
    )
    peft_model = get_peft_model(model, config)
    trainable = [p for p in peft_model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=learning_rate, weight_decay=0.0)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, 1 - s / steps) if steps > 1 else 1.0
    )
    rng = random.Random(seed)
    order: list[int] = []
    losses: list[float] = []
    peft_model.train()
    for step in range(steps):
        if len(order) < batch_size:
            fresh = list(range(len(rows)))
            rng.shuffle(fresh)
            order.extend(fresh * max(1, batch_size // len(rows) + 1))
        batch = [rows[order.pop()] for _ in range(batch_size)]
        input_ids, labels, mask = _collate(batch, tokenizer.pad_token_id, device)
        loss = peft_model(input_ids=input_ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(float(loss.detach()))
        if progress is not None:
            progress(step + 1, steps, losses[-1])

    meta = {
        "base_model": base["display_name"],
        "base_source": settings.model,
        "base_shape": base["shape"],
        "rank": rank,
        "alpha": alpha,
        "target_modules": list(target_modules),
        "steps": steps,
        "examples": len(rows),
        "data": str(data_path) if data_path else "myntra-train",
        "final_loss": _tail_mean(losses),
    }
    gguf_path = _save_adapter(peft_model, meta, Path(output_dir), write_gguf=write_gguf, settings=settings)
    return FinetuneResult(
        adapter_dir=str(Path(output_dir)),
        gguf_adapter=str(gguf_path) if gguf_path else None,
        base_model=base["display_name"],
        examples=len(rows),
        steps=steps,
        first_loss=losses[0],
        final_loss=_tail_mean(losses),
        trainable_parameters=sum(p.numel() for p in trainable),
        seconds=round(time.perf_counter() - started, 2),
    )


def _load_base(settings: Settings) -> tuple[Any, Any, dict[str, Any]]:
    """The base model in a trainable dtype (fp32 on CPU, bf16 on CUDA) and its tokenizer."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from seamline.llm import model_cache_dir
    from seamline.llm.default_model import ensure_converted
    from seamline.llm.sources import read_gguf_shape, read_hf_shape, resolve_model, shape_from_config
    from seamline.llm.transformers_backend import pick_device

    source = resolve_model(settings.model)
    location: str | Path = source.location
    if source.kind == "gguf":
        location = ensure_converted(source.path, model_cache_dir(settings))
    device = pick_device(settings.device)
    dtype = torch.bfloat16 if device.startswith("cuda") else torch.float32
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(location))
        model = AutoModelForCausalLM.from_pretrained(str(location), dtype=dtype).to(device)  # type: ignore[arg-type]
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"cannot load the base model {source.location} for fine-tuning: {exc}") from exc
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    if source.kind == "gguf":
        shape = read_gguf_shape(source.path)
    elif source.kind == "hf_dir":
        shape = read_hf_shape(source.path)
    else:
        shape = shape_from_config(model.config.to_dict(), where=source.location)
    return model, tokenizer, {"display_name": source.display_name, "shape": shape.as_dict()}


def _encode(tokenizer: Any, example: Example, max_length: int) -> tuple[list[int], list[int]]:
    """Token ids and labels: the prompt is masked (-100) so only the completion is learned."""
    prompt = tokenizer.apply_chat_template(list(example.messages), tokenize=False, add_generation_prompt=True)
    full = tokenizer.apply_chat_template(
        [*example.messages, Message(role="assistant", content=example.completion)], tokenize=False
    )
    if not full.startswith(prompt):  # a template that rewrites earlier turns; fall back to plain joining
        full = prompt + example.completion + (tokenizer.eos_token or "")
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    full_ids = tokenizer(full, add_special_tokens=False)["input_ids"]
    full_ids = full_ids[:max_length]
    labels = [-100] * min(len(prompt_ids), len(full_ids)) + full_ids[len(prompt_ids) :]
    return full_ids, labels


def _collate(batch: Sequence[tuple[list[int], list[int]]], pad_id: int, device: Any) -> tuple[Any, Any, Any]:
    import torch

    width = max(len(ids) for ids, _ in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for i, (row, row_labels) in enumerate(batch):
        ids[i, : len(row)] = torch.tensor(row)
        labels[i, : len(row_labels)] = torch.tensor(row_labels)
        mask[i, : len(row)] = 1
    return ids.to(device), labels.to(device), mask.to(device)


def _save_adapter(
    peft_model: Any, meta: dict[str, Any], output_dir: Path, *, write_gguf: bool, settings: Settings
) -> Path | None:
    """Write the adapter into a temporary directory, then move it into place in one rename."""
    from seamline.llm.adapters import ADAPTER_META, convert_adapter_to_gguf, read_adapter
    from seamline.llm.sources import Shape

    if (
        output_dir.exists()
        and any(output_dir.iterdir())
        and not (output_dir / "adapter_config.json").exists()
    ):
        raise ModelError(
            f"{output_dir} exists and is not an adapter directory; choose an empty or new --output"
        )
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.", dir=output_dir.parent))
    old = output_dir.with_name(f".{output_dir.name}.old")
    try:
        peft_model.save_pretrained(str(tmp))
        (tmp / ADAPTER_META).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        if write_gguf:
            convert_adapter_to_gguf(read_adapter(tmp), Shape(**meta["base_shape"]), tmp / "adapter.gguf")
        if output_dir.exists():
            os.replace(output_dir, old)
        os.replace(tmp, output_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return output_dir / "adapter.gguf" if write_gguf else None


def _tail_mean(losses: Sequence[float]) -> float:
    tail = losses[-10:]
    return round(sum(tail) / len(tail), 4) if tail else float("nan")
