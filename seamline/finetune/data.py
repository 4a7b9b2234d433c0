"""Training examples for `agent finetune`: the Myntra train split, or a user's own JSONL.

Only ids listed in ``splits/myntra_train_ids.txt`` are ever read into training data; the dev ids and
every other id are reserved for measuring.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seamline.errors import DataMissingError, UsageError
from seamline.llm.base import Message

if TYPE_CHECKING:
    from seamline.config import Settings

_MISSING = {"", "na", "n/a", "none", "null"}
_HEADER = re.compile(
    r"^(composition|fitting|wash care|material|size & fit|care|features)\s*:?$", re.IGNORECASE
)
_CARE = re.compile(r"\b(wash|bleach|iron|dry clean|tumble|soak|wring)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Example:
    """One training pair: the chat up to the reply, and the reply to learn."""

    messages: tuple[Message, ...]
    completion: str


def shared_data_dir(settings: Settings) -> Path:
    """``settings.shared_data`` (SEAMLINE_SHARED_DATA) when set, else ``../shared/data`` beside the repo."""
    configured = getattr(settings, "shared_data", None)
    return Path(configured) if configured else Path(__file__).resolve().parents[3] / "shared" / "data"


def load_examples(
    settings: Settings, data_path: Path | None, *, max_examples: int | None = None, seed: int = 0
) -> list[Example]:
    """The user's JSONL when given, else Myntra train-split pairs; a seeded sample of ``max_examples``."""
    examples = (
        read_jsonl_examples(Path(data_path)) if data_path else myntra_examples(shared_data_dir(settings))
    )
    if not examples:
        raise UsageError(f"no training examples found in {data_path or 'the Myntra train split'}")
    if max_examples is not None and len(examples) > max_examples:
        examples = random.Random(seed).sample(examples, max_examples)
    return examples


def read_jsonl_examples(path: Path) -> list[Example]:
    """Lines of ``{"prompt", "completion"}`` or ``{"messages": [...]}``; the final reply is learned."""
    if not path.is_file():
        raise UsageError(f"training data {path} not found; expected a JSONL file")
    examples = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                examples.append(_example_from_json(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                raise UsageError(
                    f'{path} line {number}: expected {{"prompt", "completion"}} or {{"messages"}} '
                    f"ending with an assistant turn ({exc})"
                ) from exc
    return examples


def _example_from_json(row: Any) -> Example:
    if "messages" in row:
        turns = [Message(role=str(m["role"]), content=str(m["content"])) for m in row["messages"]]
        if len(turns) < 2 or turns[-1]["role"] != "assistant":
            raise ValueError("the last message must be the assistant's reply")
        return Example(messages=tuple(turns[:-1]), completion=turns[-1]["content"])
    prompt, completion = str(row["prompt"]), str(row["completion"])
    if not prompt.strip() or not completion.strip():
        raise ValueError("prompt and completion must not be empty")
    return Example(messages=(Message(role="user", content=prompt),), completion=completion)


def myntra_examples(data_dir: Path) -> list[Example]:
    """(drafting prompt with the record's facts as evidence -> human description) for train-split ids."""
    from seamline.agents.prompts import draft_messages
    from seamline.results import Evidence

    products = data_dir / "myntra_products.jsonl.gz"
    ids_file = data_dir / "splits" / "myntra_train_ids.txt"
    if not products.is_file() or not ids_file.is_file():
        raise DataMissingError(
            f"Myntra data not found in {data_dir}; pass --data FILE.jsonl or put the shared data there"
        )
    train_ids = {int(x) for x in ids_file.read_text(encoding="utf-8").split()}
    examples = []
    with gzip.open(products, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("id") not in train_ids:
                continue
            description = prose_description(record.get("description") or "")
            name = (record.get("productDisplayName") or "").strip()
            if not description or not name:
                continue
            evidence = Evidence(id="E1", source="catalog", title=name, text=record_facts(record))
            examples.append(
                Example(
                    messages=tuple(draft_messages(name, [evidence], examples=False)), completion=description
                )
            )
    return examples


def record_facts(record: dict[str, Any]) -> str:
    """The catalog record's facts as one evidence text ('Colour: Navy Blue. Fabric: Cotton. ...')."""
    facts = [
        ("Brand", record.get("brandName")),
        ("Gender", record.get("gender")),
        ("Type", record.get("articleType")),
        ("Colour", record.get("baseColour")),
        ("Season", record.get("season")),
        ("Usage", record.get("usage")),
    ]
    facts += list((record.get("articleAttributes") or {}).items())
    facts += [
        ("Materials and care", record.get("materials_care_desc")),
        ("Size and fit", record.get("size_fit_desc")),
        ("Style note", record.get("style_note")),
    ]
    if record.get("price"):
        facts.append(("Price", f"INR {record['price']}"))
    parts = []
    for key, value in facts:
        text = " ".join(str(value or "").split())
        if text.lower() not in _MISSING:
            parts.append(f"{key}: {text.rstrip('.')}.")
    return " ".join(parts)


def prose_description(text: str, *, min_chars: int = 80, max_chars: int = 600) -> str:
    """The prose of a catalog description: section headers, care lists and fragments dropped."""
    sentences = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if len(line) < 30 or _HEADER.match(line) or (_CARE.search(line) and len(line) < 80):
            continue
        sentences.append(line if line.endswith((".", "!", "?")) else line + ".")
    prose = " ".join(sentences)
    if len(prose) > max_chars:
        cut = prose.rfind(". ", 0, max_chars)
        prose = prose[: cut + 1] if cut > min_chars else ""
    return prose if len(prose) >= min_chars else ""
