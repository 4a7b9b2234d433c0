"""Training examples: the JSONL that `agent finetune build-data` writes, read into chats and replies."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seamline.errors import UsageError
from seamline.llm.base import Message

if TYPE_CHECKING:
    from seamline.config import Settings


@dataclass(frozen=True)
class Example:
    """One training pair: the chat up to the reply, and the reply to learn."""

    messages: tuple[Message, ...]
    completion: str


def load_examples(
    settings: Settings, data_path: Path | None, *, max_examples: int | None = None, seed: int = 0
) -> list[Example]:
    """The examples of a training JSONL; a seeded sample of ``max_examples``."""
    if data_path is None:
        raise UsageError(
            "give the training data: agent finetune train DATA.jsonl (from `finetune build-data`)"
        )
    examples = read_jsonl_examples(Path(data_path))
    if not examples:
        raise UsageError(f"no training examples found in {data_path}")
    if max_examples is not None and len(examples) > max_examples:
        examples = random.Random(seed).sample(examples, max_examples)
    return examples


def read_jsonl_examples(path: Path) -> list[Example]:
    """Training examples from JSONL; the final reply is learned.

    Lines are Alpaca ``{"instruction", "input", "output"}``, ``{"prompt", "completion"}`` or
    ``{"messages": [...]}``.
    """
    if not path.is_file():
        raise UsageError(f"training data {path} not found; expected a JSONL file")
    examples = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                examples.append(example_from_json(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                raise UsageError(
                    f'{path} line {number}: expected {{"instruction", "input", "output"}}, '
                    f'{{"prompt", "completion"}} or {{"messages"}} ending with an assistant turn ({exc})'
                ) from exc
    return examples


def example_from_json(row: Any) -> Example:
    """One JSON line of training data as an example: Alpaca, prompt and completion, or chat messages."""
    from seamline.agents.prompts import tuned_chat

    if "messages" in row:
        turns = [Message(role=str(m["role"]), content=str(m["content"])) for m in row["messages"]]
        if len(turns) < 2 or turns[-1]["role"] != "assistant":
            raise ValueError("the last message must be the assistant's reply")
        return Example(messages=tuple(turns[:-1]), completion=turns[-1]["content"])
    if "output" in row:
        instruction, facts, output = str(row["instruction"]), str(row.get("input") or ""), str(row["output"])
        if not instruction.strip() or not output.strip():
            raise ValueError("instruction and output must not be empty")
        return Example(messages=tuple(tuned_chat(instruction, facts)), completion=output)
    prompt, completion = str(row["prompt"]), str(row["completion"])
    if not prompt.strip() or not completion.strip():
        raise ValueError("prompt and completion must not be empty")
    return Example(messages=(Message(role="user", content=prompt),), completion=completion)
