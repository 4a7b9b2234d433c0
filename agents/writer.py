"""The writer: the final prose is the critic's cleaned draft, led by one sentence computed from details.

The lead sentence states only the attributes the details (computed from product evidence) give and the
cleaned draft leaves out, so every labelled attribute the evidence states reaches the reader even when a
small model forgets it, and nothing is said twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from seamline.agents.critic.details import product_types
from seamline.agents.critic.vocab import extract_mentions

from seamline.results import Detail, Evidence

_NOUN_ATTRIBUTES = ("colour", "pattern")
"""Attributes said before the product type: 'navy blue checked shirt'."""

_WITH_ATTRIBUTES = ("sleeve", "neck", "collar", "closure", "feature")
"""Attributes said after 'with': 'with long sleeves and a spread collar'."""

_ARTICLE = {"neck", "collar", "closure"}


def _with_phrase(attribute: str, value: str) -> str:
    if attribute in _ARTICLE:
        article = "an" if value[:1] in "aeiou" else "a"
        return f"{article} {value}"
    return value


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _clauses(by_attr: dict[str, str], noun: str, *, always_noun: bool) -> list[str]:
    """The noun phrase ('navy blue checked shirt for men'), then 'made of', 'with', 'in a ... fit'."""
    clauses: list[str] = []
    head = " ".join(by_attr[a] for a in _NOUN_ATTRIBUTES if a in by_attr)
    if always_noun or head or "audience" in by_attr:
        phrase = f"{head} {noun}".strip()
        if "audience" in by_attr:
            phrase += f" for {by_attr['audience']}"
        clauses.append(phrase)
    material = by_attr.get("composition") or by_attr.get("material")
    if material:
        clauses.append(f"made of {material}")
    withs = [_with_phrase(a, by_attr[a]) for a in _WITH_ATTRIBUTES if a in by_attr]
    if withs:
        clauses.append(f"with {_join(withs)}")
    if "fit" in by_attr:
        clauses.append(f"in a {by_attr['fit']}")
    if "length" in by_attr:
        clauses.append(f"{by_attr['length']} in length")
    return clauses


def _extras(by_attr: dict[str, str]) -> str:
    extras = [f"{a}: {by_attr[a]}" for a in ("occasion", "season", "care") if a in by_attr]
    return ("; ".join(extras).capitalize() + ".") if extras else ""


def _noun(product: str, evidence: Sequence[Evidence]) -> str:
    types = product_types(product, evidence)
    return types[0] if types else "piece"


def lead_sentence(product: str, details: Sequence[Detail], evidence: Sequence[Evidence] = ()) -> str:
    """A factual opening from the details: 'Navy blue checked shirt for men, made of cotton, ...'."""
    by_attr = {d.attribute: d.value for d in details}
    if not by_attr:
        return ""
    sentence = ", ".join(_clauses(by_attr, _noun(product, evidence), always_noun=True))
    return " ".join(p for p in (sentence[:1].upper() + sentence[1:] + ".", _extras(by_attr)) if p)


def follow_up(product: str, details: Sequence[Detail], evidence: Sequence[Evidence] = ()) -> str:
    """A factual sentence to follow a draft, for the details it left out: 'It is made of cotton, ...'."""
    by_attr = {d.attribute: d.value for d in details}
    clauses = _clauses(by_attr, _noun(product, evidence), always_noun=False)
    if not clauses:
        return _extras(by_attr)
    first = clauses[0]
    if not first.startswith(("made of", "with", "in a")) and not first.endswith("in length"):
        clauses[0] = f"{'an' if first[:1] in 'aeiou' else 'a'} {first}"
    verb = "It comes" if first.startswith("with") else "It is"
    return " ".join(p for p in (f"{verb} {', '.join(clauses)}.", _extras(by_attr)) if p)


def compose(product: str, cleaned: str, details: Sequence[Detail], evidence: Sequence[Evidence] = ()) -> str:
    """The final prose: the cleaned draft and a sentence for the details it leaves out, or a lead alone."""
    cleaned = cleaned.strip()
    if not cleaned:
        return lead_sentence(product, details, evidence) or f"{product}."
    said = {(m.category, m.value) for m in extract_mentions(cleaned) if not m.negated}
    said_categories = {c for c, _ in said}
    missing = [d for d in details if d.attribute not in said_categories]
    extra = follow_up(product, missing, evidence) if missing else ""
    return f"{cleaned} {extra}".strip()
