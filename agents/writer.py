"""The writer: joins the critic's cleaned prose with a lead sentence computed from the evidence details."""

from __future__ import annotations

from collections.abc import Sequence

from seamline.results import Detail


def lead_sentence(product: str, details: Sequence[Detail]) -> str:
    """One factual sentence from the details; falls back to the product name alone."""
    if not details:
        return f"{product}."
    facts = "; ".join(f"{d.attribute}: {d.value}" for d in details)
    return f"{product}. {facts}."


def compose(product: str, cleaned: str, details: Sequence[Detail]) -> str:
    """The final prose: the cleaned draft, or a factual lead sentence when nothing of the draft survived."""
    cleaned = cleaned.strip()
    return cleaned if cleaned else lead_sentence(product, details)
