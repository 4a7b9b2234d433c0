"""The adapter's model card: ``seamline_adapter.json`` for programs, ``README.md`` for people.

`agent finetune train` writes both; `agent finetune eval --write-card` adds the dev figures measured
against the base model, so the card of the shipped adapter says what it does and how it was made.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from seamline.llm.adapters import ADAPTER_META, read_card


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
