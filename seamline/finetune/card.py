"""The adapter's model card: ``seamline_adapter.json`` for programs, ``README.md`` for people.

`agent finetune train` builds the card (``model_card``, with the build-data record kept beside the data)
and writes both; `agent finetune eval --write-card` adds the dev figures measured against the base
model, so the card of the shipped adapter says what it does and how it was made.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seamline.llm.adapters import ADAPTER_META, read_card

if TYPE_CHECKING:
    from seamline.config import Settings
    from seamline.finetune.train import TrainConfig


def write_card(folder: Path, card: dict[str, Any]) -> None:
    """Write the JSON card and its Markdown rendering into ``folder`` (each atomically)."""
    _atomic(folder / ADAPTER_META, json.dumps(card, indent=2) + "\n")
    _atomic(folder / "README.md", card_markdown(card))


def record_dev(folder: Path, dev: dict[str, Any]) -> dict[str, Any]:
    """Put the dev figures of an evaluation into an adapter's card; returns the card."""
    card = read_card(folder)
    card["dev"] = dev
    write_card(folder, card)
    return card


def card_markdown(card: dict[str, Any]) -> str:
    """The card for people: what the adapter is, what it was trained on, how to rebuild it, how it did."""
    curve = card.get("loss_curve") or {}
    data = card.get("data") or {}
    targets = ", ".join(card.get("target_modules") or [])
    lines = [
        f"# {card.get('name') or 'Seamline drafter adapter'}",
        "",
        f"A LoRA adapter for {card.get('base_model')} (`--model {card.get('base_source')}`) that drafts "
        "fashion product descriptions from a product's facts, in Seamline's compact prompt "
        f"(`{card.get('prompt_format')}`). Seamline's critic checks every draft against the evidence.",
        "",
        "## Training",
        "",
        f"- Data: `{data.get('file')}` (sha256 `{data.get('sha256')}`), {card.get('examples')} rows: "
        "Myntra train-split catalog copy cleaned by the critic against each product's own record "
        "(`agent finetune build-data`).",
        f"- LoRA r={card.get('rank')}, alpha={card.get('alpha')} on {targets}.",
        f"- {card.get('steps')} steps of batch {card.get('batch_size')}, learning rate "
        f"{card.get('learning_rate')}, at most {card.get('max_length')} tokens an example, seed "
        f"{card.get('seed')}, {card.get('dtype')} precision, {card.get('threads')} threads: "
        f"{card.get('train_seconds')} s.",
        f"- Loss {card.get('first_loss')} at the first step, {card.get('final_loss')} over the last ten; "
        f"every {curve.get('every_steps')} steps: {', '.join(str(v) for v in curve.get('values') or [])}.",
        "",
        "Reproduce it:",
        "",
        "```",
        *(card.get("reproduce") or [card.get("command") or ""]),
        "```",
        "",
    ]
    dev = card.get("dev") or {}
    if dev:
        lines += ["## Measured on dev products (base against this adapter, one run)", ""]
        lines += [f"- {key}: {value}" for key, value in dev.items()]
        lines.append("")
    lines += [
        "## Use and limits",
        "",
        "Trained on a retailer's catalog copy (Myntra, 2011-2016) for research and evaluation; the copy "
        "itself is not in the adapter. It writes short descriptions of apparel, footwear and accessories "
        "and still makes mistakes a critic must catch: the critic checks every claim against the evidence.",
        "",
    ]
    return "\n".join(lines)


def _atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def model_card(
    settings: Settings,
    base: dict[str, Any],
    config: TrainConfig,
    data_path: Path | None,
    data_digest: str,
    examples: int,
    losses: Sequence[float],
    seconds: float,
    *,
    command: str | None,
) -> dict[str, Any]:
    """The adapter's card: what it was trained on, how, and the command that reproduces it."""
    from seamline.agents.prompts import TUNED_FORMAT

    build = read_build_record(data_path)
    window = max(1, len(losses) // 20)
    curve = [
        round(sum(losses[i : i + window]) / len(losses[i : i + window]), 4)
        for i in range(0, len(losses), window)
    ]
    return {
        "base_model": base["display_name"],
        "base_source": base["source"],
        "base_shape": base["shape"],
        "prompt_format": TUNED_FORMAT,
        "rank": config.rank,
        "alpha": config.alpha,
        "target_modules": list(config.target_modules),
        "steps": config.steps,
        "batch_size": config.batch_size,
        "learning_rate": config.learning_rate,
        "max_length": config.max_length,
        "seed": config.seed,
        "examples": examples,
        "data": {"file": Path(data_path).name if data_path else None, "sha256": data_digest, "build": build},
        "reproduce": [c for c in (build.get("command"), command) if c],
        "first_loss": losses[0] if losses else None,
        "final_loss": tail_mean(losses),
        "loss_curve": {"every_steps": window, "values": curve},
        "train_seconds": round(seconds, 1),
        "threads": config.threads or os.cpu_count(),
        "dtype": config.dtype,
        "command": command,
        "dev": {},
    }


def build_record_path(data_path: Path) -> Path:
    """Where `finetune build-data` leaves its report and command beside the data it wrote."""
    return data_path.with_name(data_path.name + ".build.json")


def read_build_record(data_path: Path | None) -> dict[str, Any]:
    """The build-data record of a training file, or nothing when it was made another way."""
    if data_path is None or not build_record_path(Path(data_path)).is_file():
        return {}
    try:
        return dict(json.loads(build_record_path(Path(data_path)).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def tail_mean(losses: Sequence[float]) -> float:
    """The mean of the last ten losses: the final loss, less noisy than the last step alone."""
    tail = losses[-10:]
    return round(sum(tail) / len(tail), 4) if tail else float("nan")
