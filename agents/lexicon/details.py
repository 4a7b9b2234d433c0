"""Details computed from evidence (never generated), and the categories a product still lacks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from seamline.agents.lexicon.evidence import build_index, coerce_evidence, mentions_of
from seamline.agents.lexicon.mentions import find_mentions
from seamline.agents.lexicon.vocabulary import ATTRIBUTE_CATEGORIES, norm, vocabulary
from seamline.results import Detail, Evidence

_ORDER = (
    "material",
    "composition",
    "colour",
    "pattern",
    "fit",
    "sleeve",
    "neck",
    "collar",
    "length",
    "closure",
    *(
        c
        for c in ATTRIBUTE_CATEGORIES
        if c not in ("material", "colour", "pattern", "fit", "sleeve", "neck", "collar", "length", "closure")
    ),
)
_MAX_VALUES = 4


def _evidence(product: str, evidence: Sequence[Evidence | Mapping[str, Any]]) -> list[Evidence]:
    return coerce_evidence(list(evidence), product=product)


def details_from_evidence(product: str, evidence: Sequence[Evidence | Mapping[str, Any]]) -> list[Detail]:
    """One line per attribute category that product evidence states, with the evidence ids."""
    vocab = vocabulary()
    items = _evidence(product, evidence)
    index = build_index(items)
    details: list[Detail] = []
    for cat in _ORDER:
        if cat == "composition":
            if index.compositions:
                values = list(dict.fromkeys(f"{v}% {m}" for v, m, _ in index.compositions))[:_MAX_VALUES]
                ids = list(dict.fromkeys(e for *_, e in index.compositions))
                details.append(Detail(attribute="composition", value=", ".join(values), evidence_ids=ids))
            continue
        stated = [
            s
            for s in index.product.get(cat, [])
            if (not s.negated or vocab.categories[cat].negatable) and vocab.form(cat, s.value) != "part"
        ]  # "sleeves" alone says only that the part is there: nothing to tell a reader
        if not stated:
            continue
        counts: dict[tuple[str, bool], list[str]] = {}
        for s in stated:
            counts.setdefault((s.value, s.negated), [])
            if s.evidence_id not in counts[(s.value, s.negated)]:
                counts[(s.value, s.negated)].append(s.evidence_id)
        # Keep the most specific values: "navy blue" makes "blue" redundant.
        specific = {
            key: ids
            for key, ids in counts.items()
            if not any(o != key and o[1] == key[1] and key[0] in vocab.ancestors(cat, o[0]) for o in counts)
        }
        ranked = sorted(specific.items(), key=lambda kv: -len(kv[1]))[:_MAX_VALUES]
        value = ", ".join(
            ("do not " if cat == "care" else "not ") + v if neg else v for (v, neg), _ in ranked
        )
        ids = list(dict.fromkeys(i for _, idlist in ranked for i in idlist))
        details.append(Detail(attribute=cat, value=value, evidence_ids=ids))
    brands = list(dict.fromkeys(b for b, _ in index.brands))
    if not brands and vocab.brand_re is not None:
        for ev in items:
            if ev.about_product:
                brands.extend(m.group(0) for m in vocab.brand_re.finditer(ev.text))
        brands = list(dict.fromkeys(brands))
    if brands:
        ids = [e for b, e in index.brands] or [
            ev.id for ev in items if ev.about_product and brands[0] in ev.text
        ]
        details.append(Detail(attribute="brand", value=brands[0], evidence_ids=list(dict.fromkeys(ids))))
    return details


def disputed_details(product: str, evidence: Sequence[Evidence | Mapping[str, Any]]) -> list[Detail]:
    """One line per attribute that product evidence disagrees on: every value, with its evidence ids.

    The text states none of them (``evidence._settle``); the ledger shows them so an editor can settle it.
    """
    index = build_index(_evidence(product, evidence))
    return [
        Detail(
            attribute=cat,
            value=", ".join(dict.fromkeys(s.value for s in stated)),
            evidence_ids=list(dict.fromkeys(s.evidence_id for s in stated)),
        )
        for cat, stated in index.disputed.items()
    ]


def product_types(product: str, evidence: Sequence[Evidence | Mapping[str, Any]] = ()) -> list[str]:
    """The product types (t-shirt, shirt, jeans ...) the name, or else the evidence, names."""
    vocab = vocabulary()
    items = _evidence("", evidence)
    # A catalog line ("Product type: Bra") names the type best; then the name; then any product text.
    found = [
        m.value
        for ev in items
        if ev.about_product
        for m in find_mentions(ev.text, vocab, garments=True)
        if m.category == "garment" and m.key is not None and vocab.key_category.get(norm(m.key)) == "garment"
    ]
    if found:
        return list(dict.fromkeys(found))
    found = [m.value for m in find_mentions(product or "", vocab, garments=True) if m.category == "garment"]
    if not found:
        for ev in _evidence(product, evidence):
            if ev.about_product:
                found.extend(
                    m.value for m in find_mentions(ev.text, vocab, garments=True) if m.category == "garment"
                )
    # The last type the name gives is the head noun ("Polo T-shirt" -> polo t-shirt, "Shirt Dress" -> dress).
    return list(dict.fromkeys(reversed(found)))


def missing_categories(product: str, evidence: Sequence[Evidence | Mapping[str, Any]]) -> list[str]:
    """Categories the product type needs that product evidence does not state yet (for gap lookups)."""
    vocab = vocabulary()
    types = product_types(product, evidence)
    needs = vocab.needs.get(types[0], vocab.default_needs) if types else vocab.default_needs
    stated: set[str] = set()
    for ev in _evidence(product, evidence):
        if ev.about_product:
            stated.update(m.category for m in mentions_of(ev.text) if not m.styling and not m.negated)
    groups = {vocab.categories[c].group for c in stated if c in vocab.categories}
    missing = []
    for cat in needs:
        group = vocab.categories[cat].group if cat in vocab.categories else None
        if cat in stated or (group is not None and group in groups and group == "neckline"):
            continue
        missing.append(cat)
    return missing
