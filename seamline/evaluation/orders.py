"""How often the order detector drops real sentences: every train-split page, sentence by sentence.

A page is a Myntra train record as the agent reads it (``data.record_text``: "Key: value" lines, then
the human copy). No real page gives the model orders, so every sentence dropped is a false drop; the
report keeps them all, with the reason, to be read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from seamline.agents.instructions import find_orders
from seamline.agents.lexicon import sentence_spans
from seamline.evaluation.data import load_myntra, load_split, record_text


class OrdersReport(BaseModel):
    """The detector over real pages."""

    pages: int
    sentences: int
    dropped: int
    rate: float = Field(description="Dropped sentences over all sentences.")
    by_reason: dict[str, int] = Field(default_factory=dict)
    examples: list[dict[str, str]] = Field(default_factory=list, description="id, why, text per drop.")


def run_orders_eval(
    *,
    n: int | None = None,
    root: Path | str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> OrdersReport:
    """Run ``find_orders`` over the first ``n`` train-split pages (all of them when None)."""
    ids = load_split("myntra_train", root)[: n or None]
    records = load_myntra(ids, root)
    sentences = 0
    reasons: Counter[str] = Counter()
    examples: list[dict[str, str]] = []
    for i, record in enumerate(records, 1):
        text = record_text(record)
        sentences += len(sentence_spans(text))
        for a, b, why in find_orders(text):
            dropped = " ".join(text[a:b].split())
            reasons[why] += max(1, len(sentence_spans(text[a:b])))
            examples.append({"id": str(record.get("id")), "why": why, "text": dropped})
        if progress is not None and (i % 2000 == 0 or i == len(records)):
            progress(i, len(records))
    dropped_total = sum(reasons.values())
    return OrdersReport(
        pages=len(records),
        sentences=sentences,
        dropped=dropped_total,
        rate=round(dropped_total / sentences, 6) if sentences else 0.0,
        by_reason=dict(reasons),
        examples=examples,
    )
