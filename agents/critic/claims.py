"""Claim extraction: every objective, checkable statement in a description, with its span.

Claims are attribute values from the vocabulary, compositions ("100% cotton"), other numbers, and brand
names. Subjective words ("timeless", "versatile") are not in the vocabulary and so are never claims;
values inside styling suggestions ("pair it with blue jeans") are about other items and are skipped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from seamline.agents.lexicon.evidence import brand_spans, outside_brands
from seamline.agents.lexicon.numbers import Number, find_numbers, percent_material
from seamline.agents.lexicon.text import sentence_spans
from seamline.agents.lexicon.vocabulary import Mention, Vocabulary
from seamline.agents.lexicon.words import words

_FROM_BRAND = re.compile(
    r"\b(?:from|by)[ \t]+(?:the[ \t]+)?(?P<name>[A-Z][\w'’&]*(?:\.[A-Za-z]\w*)*"
    r"(?:[ \t]+(?:[A-Z][\w'’&]*(?:\.[A-Za-z]\w*)*|&|of|and)){0,3})"
)


def _alternation(name: str) -> str:
    return "|".join(re.escape(w) for w in sorted(words(name), key=lambda w: (-len(w), w)))


@functools.cache
def _general_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Start of a general sentence, its head phrase, and a reference to the product (from word lists)."""
    verbs = _alternation("general_verbs")
    # "Twill is ...", "Jersey knit is ...", and a term taken in general: "A mandarin collar is ...".
    start = re.compile(rf"^\s*(?:An?\s+)?[A-Z]?[A-Za-z-]+(?:\s+[A-Za-z-]+){{0,2}}?\s+(?:{verbs})\b")
    head = re.compile(rf"\s*(?:An?\s+)?((?:[A-Za-z-]+\s+){{0,2}}?[A-Za-z-]+)\s+(?:{verbs})\b")
    ref = re.compile(rf"(?<![\w'’])(?:{_alternation('product_references')})(?![\w'’])", re.IGNORECASE)
    return start, head, ref


@dataclass(slots=True)
class Candidate:
    """A claim found in the text before judgement; ``cut`` is the least text that removes it."""

    kind: str  # attribute, composition, number, brand
    category: str
    value: str
    start: int
    end: int
    cut_start: int
    cut_end: int
    negated: bool = False
    general: bool = False
    term: bool = False
    """The term a general sentence explains ("Regular fit" in "Regular fit is a standard cut.")."""
    number: Number | None = None
    material: str | None = None


def general_sentences(
    text: str, vocab: Vocabulary, spans: list[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """Sentences that explain a term in general ("Twill is a durable weave."), not this product."""
    return [(a, b) for a, b, _ in general_spans(text, vocab, spans)]


def general_spans(
    text: str, vocab: Vocabulary, spans: list[tuple[int, int]] | None = None
) -> list[tuple[int, int, int]]:
    """(start, end, end of the term explained) of each general sentence."""
    spans = sentence_spans(text) if spans is None else spans
    start, head_re, ref = _general_patterns()
    out = []
    for a, b in spans:
        sentence = text[a:b]
        if ref.search(sentence) or not start.match(sentence):
            continue
        head = head_re.match(sentence)
        if head and vocab.lookup(head.group(1)) is not None:
            out.append((a, b, a + head.end(1)))
    return out


def _brand_names(text: str, vocab: Vocabulary, extra: Iterable[str]) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    if vocab.brand_re is not None:
        found.extend((m.start(), m.end(), m.group(0)) for m in vocab.brand_re.finditer(text))
    for name in extra:
        if len(name) < 2:
            continue
        for m in re.finditer(r"(?<![\w])" + re.escape(name) + r"(?:['’]s)?(?![\w])", text, re.IGNORECASE):
            found.append((m.start(), m.end(), m.group(0)))
    for m in _FROM_BRAND.finditer(text):
        name = m.group("name").strip()
        parts = name.split()
        while parts and parts[-1] in ("&", "of", "and"):
            parts.pop()
        if not parts or parts[0].lower() in words("sentence_openers") | words("calendar"):
            continue
        name = " ".join(parts)
        if (
            vocab.lookup(name) is not None
            or vocab.garment(name) is not None
            or vocab.value_in_category("origin", name)
        ):
            continue
        start = m.start("name")
        found.append((start, start + len(name), name))
    found.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    out: list[tuple[int, int, str]] = []
    for item in found:
        if out and item[0] < out[-1][1]:
            continue
        out.append(item)
    return out


def _overlaps(a: int, b: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(a < e and s < b for s, e in spans)


def extract_claims(
    text: str, mentions: list[Mention], vocab: Vocabulary, *, brands: Iterable[str] = ()
) -> list[Candidate]:
    """The claims of a description, given its mentions; ``brands`` are names the evidence knows.

    Words of a brand name are the brand's claim, not attributes ("Indigo Nation" states no colour).
    """
    brands = list(brands)
    spans = sentence_spans(text)
    general = general_spans(text, vocab, spans)
    out: list[Candidate] = []
    attr_spans: list[tuple[int, int]] = []
    for m in outside_brands(mentions, brand_spans(text, tuple(brands))):
        if m.category == "garment":
            continue
        attr_spans.append((m.start, m.end))
        if m.styling:
            continue
        out.append(
            Candidate(
                kind="attribute",
                category=m.category,
                value=m.value,
                start=m.start,
                end=m.end,
                cut_start=m.core if m.core >= 0 else m.start,
                cut_end=m.end,
                negated=m.negated,
                general=_overlaps(m.start, m.end, [(a, b) for a, b, _ in general]),
                term=any(a <= m.start < t for a, _, t in general),
            )
        )
    materials = [c for c in out if c.category == "material"]
    for n in find_numbers(text):
        if _overlaps(n.start, n.end, attr_spans) and n.unit != "percent":
            continue
        if n.unit == "percent":
            # "100% cotton", "cotton 60%": a composition when a material is right beside it.
            mat = percent_material(text, n, materials)
            if mat is not None:
                start, end = min(n.start, mat.start), max(n.end, mat.end)
                out.append(
                    Candidate(
                        kind="composition",
                        category="composition",
                        value=f"{n.value}% {mat.value}",
                        start=start,
                        end=end,
                        cut_start=n.start,
                        cut_end=n.end,
                        number=n,
                        material=mat.value,
                    )
                )
                continue
        if _overlaps(n.start, n.end, [(c.start, c.end) for c in out if c.kind == "composition"]):
            continue
        out.append(
            Candidate(
                kind="number",
                category="number",
                value=f"{n.value} {n.unit}".strip()
                if not n.unit.startswith("count:")
                else f"{n.value} {n.unit[6:]}",
                start=n.start,
                end=n.end,
                cut_start=n.num_start,
                cut_end=n.num_end,
                number=n,
            )
        )
    taken = [(c.start, c.end) for c in out]
    for start, end, name in _brand_names(text, vocab, brands):
        if _overlaps(start, end, taken):
            continue
        out.append(
            Candidate(
                kind="brand",
                category="brand",
                value=_brand_key(name),
                start=start,
                end=end,
                cut_start=start,
                cut_end=end,
            )
        )
    out.sort(key=lambda c: (c.start, c.end))
    return out


def _brand_key(name: str) -> str:
    return re.sub(r"['’]s$", "", name).strip().lower()
