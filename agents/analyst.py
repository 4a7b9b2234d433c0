"""The analyst: compares the product with competitor listings, attribute by attribute, from evidence only."""

from __future__ import annotations

import re
from collections.abc import Sequence

from seamline.agents.lexicon import details_from_evidence
from seamline.results import Comparison, Detail, Evidence

_PRICE = re.compile(r"\b(?:price|mrp)\s*[:=]?\s*(?:rs\.?|inr|₹|\$|€|£)?\s*([0-9][0-9,]*(?:\.[0-9]+)?)", re.I)


def price_of(text: str) -> float | None:
    """The price a listing states ("Price: 1299"), if any."""
    match = _PRICE.search(text)
    return float(match.group(1).replace(",", "")) if match else None


def compare(product: str, ours: Sequence[Detail], evidence: Sequence[Evidence]) -> list[Comparison]:
    """One comparison per competitor listing in the evidence."""
    mine = {d.attribute: d.value for d in ours}
    own_price = next((p for e in evidence if e.about_product and (p := price_of(e.text)) is not None), None)
    out: list[Comparison] = []
    for item in evidence:
        if item.source != "competitor":
            continue
        as_product = item.model_copy(update={"about_product": True})
        theirs = {d.attribute: d.value for d in details_from_evidence(item.title, [as_product])}
        shared = sorted(a for a in theirs if mine.get(a) == theirs[a])
        differs = {a: [mine[a], theirs[a]] for a in sorted(theirs) if a in mine and mine[a] != theirs[a]}
        only = {a: theirs[a] for a in sorted(theirs) if a not in mine}
        out.append(
            Comparison(
                evidence_id=item.id,
                title=item.title,
                url=item.url,
                price=price_of(item.text),
                our_price=own_price,
                shared=shared,
                differs=differs,
                only_theirs=only,
            )
        )
    return out


def summary(product: str, comparisons: Sequence[Comparison]) -> str:
    """A few plain sentences over the comparisons; every figure in them comes from evidence."""
    if not comparisons:
        return f"No competitor listings were found for {product}."
    lines = [f"Compared with {len(comparisons)} competitor listing(s)."]
    for c in comparisons:
        parts = []
        if c.shared:
            parts.append("same " + ", ".join(c.shared))
        if c.differs:
            parts.append("; ".join(f"{a}: {o} vs {t}" for a, (o, t) in c.differs.items()))
        if c.price is not None:
            parts.append(
                f"price {c.price:g}" + (f" vs ours {c.our_price:g}" if c.our_price is not None else "")
            )
        lines.append(
            f"[{c.evidence_id}] {c.title}: " + ("; ".join(parts) or "no comparable attributes") + "."
        )
    return " ".join(lines)
