"""LoRA fine-tuning of the drafter with peft on the transformers backend: resumable, and atomic at the end.

Training reads the JSONL that `agent finetune build-data` writes (or a user's own), masks the prompt so
only the reply and its end-of-turn token are learned (a model that never learns to stop runs to the token
limit and repeats itself), and takes length-bucketed batches so little compute goes on padding. Every
``checkpoint_every`` steps the adapter, optimizer, schedule and step are saved beside the output; the same
command after a Ctrl-C or a kill resumes from there. The adapter is written to a temporary directory and
renamed into place with its model card, so an interrupted run never leaves a half-written adapter.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from seamline.errors import ModelError, UsageError
from seamline.finetune.card import model_card, tail_mean
from seamline.finetune.checkpoint import Checkpoint
from seamline.finetune.examples import Example, load_examples
from seamline.llm.base import Message

if TYPE_CHECKING:
    from seamline.config import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StepInfo:
    """What the progress callback hears after each step."""

    step: int
    steps: int
    loss: float
    tokens_per_second: float
    eta_seconds: float


Progress = Callable[[StepInfo], None]


class TrainConfig(BaseModel):
    """The options of one training run; a checkpoint resumes only under the same options and data."""

    steps: int = Field(100, ge=1, description="Optimizer steps.")
    batch_size: int = Field(8, ge=1, description="Examples per step.")
    learning_rate: float = Field(2e-4, gt=0, description="AdamW learning rate (linear warm-up, decay).")
    rank: int = Field(8, ge=1, description="LoRA rank r.")
    alpha: float = Field(16.0, gt=0, description="LoRA alpha (scale alpha / r).")
    target_modules: tuple[str, ...] = Field(("q_proj", "v_proj"), description="Projections to adapt.")
    max_examples: int | None = Field(None, ge=1, description="Most training examples (a seeded sample).")
    max_length: int = Field(384, ge=16, description="Most tokens per example; longer ones are dropped.")
    seed: int = Field(0, description="Seed for sampling, batch order and the adapter's initialisation.")
    checkpoint_every: int = Field(25, ge=1, description="Steps between checkpoints.")
    dtype: str = Field(
        "auto",
        description="'auto' (bf16 on CUDA and on CPUs with bf16 instructions, else fp32), 'fp32', 'bf16'.",
    )
    threads: int | None = Field(None, ge=1, description="CPU threads for torch (default: every core).")
    load_in_4bit: bool = Field(False, description="QLoRA: the base in 4-bit NF4 (CUDA and bitsandbytes).")


class FinetuneResult(BaseModel):
    """What `agent finetune train` produced."""

    adapter_dir: str = Field(description="The saved LoRA adapter directory (pass it to --adapter).")
    gguf_adapter: str | None = Field(None, description="The same adapter as a GGUF LoRA for llama.cpp.")
    base_model: str = Field(description="The base model the adapter was trained on.")
    examples: int = Field(description="Training examples used.")
    steps: int = Field(description="Optimizer steps taken.")
    resumed_from: int = Field(0, description="The step a checkpoint resumed from (0: a fresh start).")
    first_loss: float = Field(description="Loss of the first step.")
    final_loss: float = Field(description="Mean loss of the last steps (up to 10).")
    trainable_parameters: int = Field(description="Parameters the LoRA adds and trains.")
    adapter_bytes: int = Field(0, description="Size of the adapter's weights file.")
    seconds: float = Field(description="Wall-clock time of training (all sessions) and saving.")


def finetune(
    settings: Settings,
    data_path: Path | None,
    output_dir: Path,
    config: TrainConfig | None = None,
    *,
    force: bool = False,
    write_gguf: bool = True,
    command: str | None = None,
    progress: Progress | None = None,
) -> FinetuneResult:
    """Train a LoRA adapter on the configured base model; save it with its model card to ``output_dir``."""
    import torch

    config = config or TrainConfig()
    output_dir = Path(output_dir)
    _check_output(output_dir, force=force)
    started = time.perf_counter()
    if config.threads:
        torch.set_num_threads(config.threads)
    examples = load_examples(settings, data_path, max_examples=config.max_examples, seed=config.seed)
    model, tokenizer, base = _load_base(settings, config.dtype, load_in_4bit=config.load_in_4bit)
    device = next(model.parameters()).device
    encoded = [_encode(tokenizer, ex, config.max_length) for ex in examples]
    rows = [r for r in encoded if r is not None]
    if not rows:
        raise ModelError(f"no usable training examples: every one is longer than {config.max_length} tokens")

    from peft import LoraConfig, get_peft_model

    torch.manual_seed(config.seed)
    peft_model = get_peft_model(
        model,
        LoraConfig(
            r=config.rank,
            lora_alpha=config.alpha,  # type: ignore[arg-type]  # peft accepts a float alpha
            lora_dropout=0.0,
            target_modules=list(config.target_modules),
            task_type="CAUSAL_LM",
        ),
    )
    trainable = [p for p in peft_model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=config.learning_rate, weight_decay=0.0)
    steps = config.steps
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, 1 - s / steps) if steps > 1 else 1.0
    )
    data_digest = _digest(data_path)
    checkpoint = Checkpoint(output_dir, config, data_digest)
    state = checkpoint.load(force=force)
    start = 0
    losses: list[float] = []
    elapsed_before = 0.0
    if state is not None:
        from peft import set_peft_model_state_dict

        set_peft_model_state_dict(peft_model, state["adapter"])
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        start, losses, elapsed_before = state["step"], state["losses"], state["elapsed"]
        log.info("resuming from step %d of %d (%s)", start, steps, checkpoint.path)
    batches = _schedule(rows, steps, config.batch_size, config.seed)
    autocast = _autocast(device, config.dtype)
    peft_model.train()
    session = time.perf_counter()
    tokens = 0
    for step in range(start, steps):
        input_ids, labels, mask = _collate([rows[i] for i in batches[step]], tokenizer.pad_token_id, device)
        with autocast:
            loss = peft_model(input_ids=input_ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(round(float(loss.detach()), 4))
        tokens += int(mask.sum())
        spent = time.perf_counter() - session
        if progress is not None:
            done = step + 1 - start
            progress(StepInfo(step + 1, steps, losses[-1], tokens / spent, spent / done * (steps - step - 1)))
        if (step + 1) % config.checkpoint_every == 0 and step + 1 < steps:
            checkpoint.save(peft_model, optimizer, schedule, step + 1, losses, elapsed_before + spent)

    seconds = elapsed_before + time.perf_counter() - session
    card = model_card(
        settings, base, config, data_path, data_digest, len(rows), losses, seconds, command=command
    )
    gguf_path = _save_adapter(peft_model, card, output_dir, write_gguf=write_gguf)
    checkpoint.clear()
    weights = output_dir / "adapter_model.safetensors"
    return FinetuneResult(
        adapter_dir=str(output_dir),
        gguf_adapter=str(gguf_path) if gguf_path else None,
        base_model=base["display_name"],
        examples=len(rows),
        steps=steps,
        resumed_from=start,
        first_loss=losses[0],
        final_loss=tail_mean(losses),
        trainable_parameters=sum(p.numel() for p in trainable),
        adapter_bytes=weights.stat().st_size if weights.is_file() else 0,
        seconds=round(elapsed_before + time.perf_counter() - started, 2),
    )


def _check_output(output_dir: Path, *, force: bool) -> None:
    if output_dir.exists() and not output_dir.is_dir():
        raise UsageError(f"{output_dir} exists and is not a directory; choose a new --out")
    if output_dir.is_dir() and any(output_dir.iterdir()) and not force:
        raise UsageError(f"{output_dir} exists and is not empty; pass --force to overwrite it")


def _digest(path: Path | None) -> str:
    if path is None or not Path(path).is_file():
        return ""
    h = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _schedule(
    rows: Sequence[tuple[list[int], list[int]]], steps: int, batch_size: int, seed: int
) -> list[list[int]]:
    """The batches of every step, fixed by the seed: shuffled, then bucketed by length within windows.

    Examples of like length share a batch (little padding), and the order of batches is shuffled, so the
    loss does not follow the length. Fixed up front, a resumed run takes the same batches.
    """
    rng = random.Random(seed)
    batches: list[list[int]] = []
    while len(batches) < steps:
        order = list(range(len(rows)))
        rng.shuffle(order)
        window = batch_size * 32
        epoch: list[list[int]] = []
        for i in range(0, len(order), window):
            chunk = sorted(order[i : i + window], key=lambda k: len(rows[k][0]))
            epoch.extend(chunk[j : j + batch_size] for j in range(0, len(chunk), batch_size))
        epoch = [b for b in epoch if len(b) == batch_size] or epoch
        rng.shuffle(epoch)
        batches.extend(epoch)
    return batches[:steps]


def cpu_has_bf16() -> bool:
    """Whether this CPU computes in bf16 natively (AVX-512 BF16 or AMX), where bf16 autocast pays.

    Measured on a 2-core machine with AVX-512 BF16 (bench/finetune_cpu.py): a LoRA step of the default
    model in bf16 autocast took 3.4-4.1 s against 20-21 s in fp32. Without those instructions bf16 is
    emulated and slower than fp32.
    """
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return any(flag in flags.split() for flag in ("avx512_bf16", "amx_bf16"))


def _autocast(device: Any, dtype: str) -> Any:
    """bf16 autocast on CPU where asked (or 'auto' on a CPU with bf16); else a no-op (CUDA loads bf16)."""
    import contextlib

    import torch

    if device.type == "cpu" and (dtype == "bf16" or (dtype == "auto" and cpu_has_bf16())):
        return torch.autocast("cpu", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def _load_base(
    settings: Settings, dtype: str = "auto", *, load_in_4bit: bool = False
) -> tuple[Any, Any, dict[str, Any]]:
    """The base model in a trainable dtype (fp32 on CPU, bf16 or 4-bit on CUDA) and its tokenizer."""
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
    cuda = device.startswith("cuda")
    weights = torch.bfloat16 if cuda else torch.float32  # on CPU, bf16 is autocast (see ``_autocast``)
    kwargs: dict[str, Any] = {"dtype": weights}
    if load_in_4bit:
        from seamline.llm.transformers_backend import four_bit_config

        kwargs |= {"quantization_config": four_bit_config(device, weights), "device_map": {"": device}}
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(location))
        model = AutoModelForCausalLM.from_pretrained(str(location), **kwargs)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"cannot load the base model {source.location} for fine-tuning: {exc}") from exc
    if load_in_4bit:
        from peft import prepare_model_for_kbit_training

        model = prepare_model_for_kbit_training(model)
    else:
        model = model.to(device)  # type: ignore[arg-type]
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    if source.kind == "gguf":
        shape = read_gguf_shape(source.path)
    elif source.kind == "hf_dir":
        shape = read_hf_shape(source.path)
    else:
        shape = shape_from_config(model.config.to_dict(), where=source.location)
    portable = "default" if source.is_default else settings.model
    return (
        model,
        tokenizer,
        {"display_name": source.display_name, "source": portable, "shape": shape.as_dict()},
    )


def _encode(tokenizer: Any, example: Example, max_length: int) -> tuple[list[int], list[int]] | None:
    """Token ids and labels, or None when the example is longer than ``max_length``.

    The prompt is masked (-100); the reply and its end-of-turn token are learned. An example is never
    cut, since a cut reply teaches no stop.
    """
    prompt = tokenizer.apply_chat_template(list(example.messages), tokenize=False, add_generation_prompt=True)
    full = tokenizer.apply_chat_template(
        [*example.messages, Message(role="assistant", content=example.completion)], tokenize=False
    )
    if not full.startswith(prompt):  # a template that rewrites earlier turns; fall back to plain joining
        full = prompt + example.completion + (tokenizer.eos_token or "")
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    full_ids = tokenizer(full, add_special_tokens=False)["input_ids"]
    if len(full_ids) > max_length or len(full_ids) <= len(prompt_ids):
        return None
    labels = [-100] * len(prompt_ids) + full_ids[len(prompt_ids) :]
    return full_ids, labels


PAD_MULTIPLE = 32
"""Batch widths are rounded up to this: a few shapes, not one per length, so the CPU's bf16 kernels (which
oneDNN compiles for each new shape) are built a few times instead of on most steps."""


def _collate(batch: Sequence[tuple[list[int], list[int]]], pad_id: int, device: Any) -> tuple[Any, Any, Any]:
    import torch

    longest = max(len(ids) for ids, _ in batch)
    width = -(-longest // PAD_MULTIPLE) * PAD_MULTIPLE
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for i, (row, row_labels) in enumerate(batch):
        ids[i, : len(row)] = torch.tensor(row)
        labels[i, : len(row_labels)] = torch.tensor(row_labels)
        mask[i, : len(row)] = 1
    return ids.to(device), labels.to(device), mask.to(device)


def _save_adapter(
    peft_model: Any, card: dict[str, Any], output_dir: Path, *, write_gguf: bool
) -> Path | None:
    """Write the adapter into a temporary directory, then move it into place in one rename."""
    from seamline.finetune.card import write_card
    from seamline.llm.adapters import convert_adapter_to_gguf, read_adapter
    from seamline.llm.sources import Shape

    output_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.", dir=output_dir.parent))
    old = output_dir.with_name(f".{output_dir.name}.old")
    try:
        peft_model.save_pretrained(str(tmp))
        write_card(tmp, card)
        if write_gguf:
            convert_adapter_to_gguf(read_adapter(tmp), Shape(**card["base_shape"]), tmp / "adapter.gguf")
        if output_dir.exists():
            os.replace(output_dir, old)
        os.replace(tmp, output_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return output_dir / "adapter.gguf" if write_gguf else None


def dev_loss(
    settings: Settings, adapter: Path | None, examples: Sequence[Example], max_length: int = 512
) -> float:
    """Mean loss per reply token of ``examples`` under the base model, with ``adapter`` when given."""
    import math

    import torch

    model, tokenizer, _ = _load_base(settings)
    if adapter is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(adapter))
    model.eval()
    device = next(model.parameters()).device
    total, count = 0.0, 0
    with torch.no_grad():
        for example in examples:
            row = _encode(tokenizer, example, max_length)
            if row is None:
                continue
            ids, labels, mask = _collate([row], tokenizer.pad_token_id, device)
            n = int((labels != -100).sum()) - 1  # the loss is over next-token predictions
            loss = float(model(input_ids=ids, attention_mask=mask, labels=labels).loss)
            if n > 0 and math.isfinite(loss):
                total += loss * n
                count += n
    return round(total / count, 4) if count else float("nan")
