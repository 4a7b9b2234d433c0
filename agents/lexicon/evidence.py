"""Reading evidence: validating it, and indexing what it states in the vocabulary's terms.

What a piece of evidence states is read once and kept by category (product evidence and general
knowledge apart), so the critic can judge many claims quickly and the details can be listed from it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from seamline.agents.lexicon.mentions import find_mentions
from seamline.agents.lexicon.numbers import Number, find_numbers, percent_material
from seamline.agents.lexicon.vocabulary import Mention, vocabulary
from seamline.errors import EvidenceError
from seamline.results import Evidence

BRAND_LINE = re.compile(
    r"^[ \t]*(?:brand|brand ?name|brandname|manufacturer|label)[ \t]*:[ \t]*(\S.*?)[ \t]*$", re.I | re.M
)
"""A catalog line that names the brand ("Brand: Nike")."""


def clean_text(text: str | bytes | None) -> str:
    """Text as str: bytes must be UTF-8; unpaired surrogates become U+FFFD."""
    if text is None:
        return ""
    if isinstance(text, bytes):
        try:
            return text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise EvidenceError(f"text is not valid UTF-8 (byte {exc.start}); re-encode it as UTF-8") from exc
    if not isinstance(text, str):
        raise EvidenceError(f"description must be text, not {type(text).__name__}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def coerce_evidence(evidence: Any, *, product: str | None = None) -> list[Evidence]:
    """Validate evidence (models or mappings) into a list, with the product name as evidence "name"."""
    if evidence is None:
        evidence = []
    if isinstance(evidence, (str, bytes, Mapping)) or not isinstance(evidence, Sequence):
        raise EvidenceError(
            f"evidence must be a list of objects with at least 'id' and 'text', not {type(evidence).__name__}"
        )
    items: list[Evidence] = []
    for i, item in enumerate(evidence):
        if isinstance(item, Evidence):
            items.append(item)
            continue
        if not isinstance(item, Mapping):
            raise EvidenceError(
                f"evidence item {i} must be an object with 'id' and 'text', not {type(item).__name__}"
            )
        data = dict(item)
        if "id" not in data:
            data["id"] = f"E{i + 1}"
        try:
            ev = Evidence.model_validate(data)
        except ValidationError as exc:
            problem = exc.errors()[0]
            where = ".".join(str(p) for p in problem.get("loc", ()))
            raise EvidenceError(
                f"evidence item {i}: {where or 'value'} {problem.get('msg', 'is invalid')}"
            ) from exc
        items.append(ev.model_copy(update={"text": clean_text(ev.text)}))
    if product and product.strip() and not any(ev.id == "name" for ev in items):
        items.insert(0, Evidence(id="name", source="name", title="Product name", text=product.strip()))
    return items


@functools.lru_cache(maxsize=1024)
def brand_spans(text: str, names: tuple[str, ...] = ()) -> tuple[tuple[int, int], ...]:
    """Where ``text`` names a brand: the vocabulary's brands and ``names`` (the evidence's "Brand:" lines).

    A brand is a name, not a description: "Indigo Nation" states no colour and "Red Tape" none either.
    Cached: the same evidence is indexed on every check and revision.
    """
    spans: list[tuple[int, int]] = []
    brand_re = vocabulary().brand_re
    if brand_re is not None:
        spans.extend(m.span() for m in brand_re.finditer(text))
    for name in names:
        if len(name) >= 2:
            pattern = r"(?<![\w])" + re.escape(name) + r"(?:['’]s)?(?![\w])"
            spans.extend(m.span() for m in re.finditer(pattern, text, re.IGNORECASE))
    return tuple(spans)


def outside_brands(mentions: Sequence[Mention], spans: Sequence[tuple[int, int]]) -> tuple[Mention, ...]:
    """The mentions that are not words of a brand name."""
    return tuple(m for m in mentions if not any(a <= m.start and m.end <= b for a, b in spans))


@functools.lru_cache(maxsize=1024)
def mentions_of(text: str) -> tuple[Mention, ...]:
    """Mentions of an evidence text, cached: the same evidence is read on every revision."""
    return tuple(find_mentions(text, vocabulary()))


@dataclass(slots=True)
class Stated:
    """One thing evidence states: a value, its polarity and the evidence id."""

    value: str
    negated: bool
    evidence_id: str
    rank: int = 0
    """Its ``precedence``: a record's key line over prose, the product's own over the web."""


DISPUTABLE = ("material", "sleeve", "neck", "collar", "fit", "length", "closure")
"""Attributes a product has one value of (one fabric, one sleeve length), so two values that evidence of
equal standing gives are a dispute. Colour and pattern are not: one page per colourway is the rule."""


def precedence(ev: Evidence, m: Mention) -> int:
    """How much a mention counts when evidence disagrees.

    3: a key line of the product's own record, or its name; 2: its prose; 1: a search result's key line;
    0: a search result's prose.
    """
    own = ev.source != "web"
    keyed = m.key is not None or ev.source == "name"
    return 2 * own + keyed


@dataclass(slots=True)
class EvidenceIndex:
    """What the evidence states, by category, for quick judgement of many claims."""

    product: dict[str, list[Stated]] = field(default_factory=dict)
    general: dict[str, list[Stated]] = field(default_factory=dict)
    numbers: list[tuple[Number, str]] = field(default_factory=list)
    compositions: list[tuple[str, str, str]] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)
    brands: list[tuple[str, str]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    disputed: dict[str, list[Stated]] = field(default_factory=dict)
    """Values product evidence of equal standing disagrees on, by category: they support nothing."""


def build_index(evidence: Sequence[Evidence]) -> EvidenceIndex:
    """Index what each piece of evidence states; product evidence and general knowledge apart."""
    index = EvidenceIndex()
    brands = tuple(brand_names(evidence))
    for ev in evidence:
        text = ev.text if not ev.title or ev.title in ev.text else f"{ev.title}\n{ev.text}"
        if not text:
            continue
        index.ids.append(ev.id)
        mentions = mentions_of(text)
        if ev.source == "name":
            mentions += tuple(vocabulary().name_mentions(text))
        mentions = outside_brands(mentions, brand_spans(text, brands))
        target = index.product if ev.about_product else index.general
        for m in mentions:
            if m.styling:
                continue
            target.setdefault(m.category, []).append(Stated(m.value, m.negated, ev.id, precedence(ev, m)))
        if not ev.about_product:
            continue
        index.texts.append((ev.id, text.lower()))
        nums = find_numbers(text)
        index.numbers.extend((n, ev.id) for n in nums)
        materials = [m for m in mentions if m.category == "material" and not m.styling]
        for n in nums:
            mat = percent_material(text, n, materials) if n.unit == "percent" else None
            if mat is not None:
                index.compositions.append((n.value, mat.value, ev.id))
        index.brands.extend((b.strip().lower(), ev.id) for b in BRAND_LINE.findall(text))
    _settle(index)
    return index


def _settle(index: EvidenceIndex) -> None:
    """Apply the precedence rule to each group of one-valued attributes (material, sleeve, neckline ...).

    The values of one piece of evidence at one precedence are taken together ("cotton with elastane").
    When two pieces at the top precedence share no value, the group is disputed: its values leave the
    index (they support no claim) for ``disputed``. A lower piece that shares no value with the top is
    overruled and leaves the index: the record's "Fabric: Cotton" wins over a page's "silk".
    """
    vocab = vocabulary()
    groups = {tuple(c for c in vocab.group_of(cat) if c in DISPUTABLE) for cat in DISPUTABLE}
    for cats in groups:
        items = [(cat, s) for cat in cats for s in index.product.get(cat, []) if not s.negated]
        if not items:
            continue
        units: dict[tuple[str, int], list[tuple[str, Stated]]] = {}
        for cat, s in items:
            units.setdefault((s.evidence_id, s.rank), []).append((cat, s))
        top = max(rank for _, rank in units)
        best = [u for (_, rank), u in units.items() if rank == top]

        def agree(a: list[tuple[str, Stated]], b: list[tuple[str, Stated]]) -> bool:
            return any(ca == cb and vocab.related(ca, x.value, y.value) for ca, x in a for cb, y in b)

        if any(not agree(a, b) for i, a in enumerate(best) for b in best[i + 1 :]):
            drop = {id(s) for _, s in items}
            for cat, s in items:
                index.disputed.setdefault(cat, []).append(s)
        else:
            drop = {id(s) for u in units.values() if not any(agree(u, b) for b in best) for _, s in u}
        if drop:
            for cat in cats:
                kept = [s for s in index.product.get(cat, []) if id(s) not in drop]
                if kept:
                    index.product[cat] = kept
                else:
                    index.product.pop(cat, None)


def brand_names(evidence: Sequence[Evidence]) -> list[str]:
    """Brand names product evidence states on a "Brand:" line, to recognise them in a description."""
    names: list[str] = []
    for ev in evidence:
        if ev.about_product:
            names.extend(b.strip() for b in BRAND_LINE.findall(ev.text))
    return names
