"""Judging claims against evidence: supported, unsupported or contradicted, with the deciding ids.

Only evidence about this product (``about_product``) supports a product attribute; general knowledge
supports only general explanatory sentences. Support goes through the vocabulary (a stated shade
supports its family), numbers need the same number with the same unit, and negations must agree.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from seamline.agents.critic.claims import Candidate, only_glue
from seamline.agents.critic.numbers import Number, find_numbers
from seamline.agents.critic.scopes import find_mentions
from seamline.agents.critic.vocab import Mention, Vocabulary, vocabulary
from seamline.results import Evidence

_BRAND_LINE = re.compile(
    r"^[ \t]*(?:brand|brand ?name|brandname|manufacturer|label)[ \t]*:[ \t]*(\S.*?)[ \t]*$", re.I | re.M
)


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


def build_index(evidence: Sequence[Evidence]) -> EvidenceIndex:
    """Index what each piece of evidence states; product evidence and general knowledge apart."""
    index = EvidenceIndex()
    for ev in evidence:
        text = ev.text if not ev.title or ev.title in ev.text else f"{ev.title}\n{ev.text}"
        if not text:
            continue
        index.ids.append(ev.id)
        mentions = mentions_of(text)
        if ev.source == "name":
            mentions += tuple(vocabulary().name_mentions(text))
        target = index.product if ev.about_product else index.general
        for m in mentions:
            if m.styling:
                continue
            target.setdefault(m.category, []).append(Stated(m.value, m.negated, ev.id))
        if not ev.about_product:
            continue
        index.texts.append((ev.id, text.lower()))
        nums = find_numbers(text)
        index.numbers.extend((n, ev.id) for n in nums)
        materials = [m for m in mentions if m.category == "material" and not m.styling]
        for n in nums:
            if n.unit != "percent":
                continue
            # "60% cotton" (material after, only glue words between), else "cotton 60%" (right before).
            mat = next((m for m in materials if m.start >= n.end and only_glue(text[n.end : m.start])), None)
            if mat is None:
                mat = next(
                    (
                        m
                        for m in materials
                        if 0 <= n.start - m.end <= 3 and not text[m.end : n.start].strip(" :-")
                    ),
                    None,
                )
            if mat is not None:
                index.compositions.append((n.value, mat.value, ev.id))
        index.brands.extend((b.strip().lower(), ev.id) for b in _BRAND_LINE.findall(text))
    return index


def brand_names(evidence: Sequence[Evidence]) -> list[str]:
    """Brand names product evidence states on a "Brand:" line, to recognise them in a description."""
    names: list[str] = []
    for ev in evidence:
        if ev.about_product:
            names.extend(b.strip() for b in _BRAND_LINE.findall(ev.text))
    return names


@dataclass(slots=True)
class Judgement:
    """The verdict on one claim."""

    verdict: str
    evidence_ids: list[str]
    reason: str


def _ids(items: list[Stated]) -> list[str]:
    return list(dict.fromkeys(s.evidence_id for s in items))


def judge(claim: Candidate, index: EvidenceIndex, vocab: Vocabulary) -> Judgement:
    """Supported, unsupported or contradicted, with the evidence ids that decided it."""
    if claim.kind == "attribute":
        return _judge_attribute(claim, index, vocab)
    if claim.kind == "composition":
        return _judge_composition(claim, index, vocab)
    if claim.kind == "number":
        return _judge_number(claim, index)
    return _judge_brand(claim, index)


def _judge_attribute(claim: Candidate, index: EvidenceIndex, vocab: Vocabulary) -> Judgement:
    cat = claim.category
    stated = index.product.get(cat, [])
    pool = stated + index.general.get(cat, []) if claim.general else stated
    support = [s for s in pool if s.negated == claim.negated and vocab.implies(cat, s.value, claim.value)]
    if support:
        where = "general knowledge" if claim.general and not any(s in stated for s in support) else "evidence"
        return Judgement("supported", _ids(support), f"{where} states {claim.value}")
    spec = vocab.categories.get(cat)
    flipped = [s for s in stated if s.negated != claim.negated and vocab.related(cat, s.value, claim.value)]
    if flipped and spec is not None and spec.negatable:
        what = "states" if claim.negated else "rules out"
        return Judgement("contradicted", _ids(flipped), f"evidence {what} {claim.value}")
    if not claim.negated and spec is not None and spec.group:
        groups = [c for c, s in vocab.categories.items() if s.group == spec.group]
        other = [
            s
            for g in groups
            for s in index.product.get(g, [])
            if not s.negated and not (g == cat and vocab.related(cat, s.value, claim.value))
        ]
        if other:
            values = ", ".join(dict.fromkeys(s.value for s in other))
            return Judgement("contradicted", _ids(other), f"evidence states {values}")
    if any(not s.negated and vocab.implies(cat, claim.value, s.value) for s in stated):
        return Judgement("unsupported", [], f"evidence states only a broader value than {claim.value}")
    if not index.ids:
        return Judgement("unsupported", [], "no evidence given")
    return Judgement("unsupported", [], f"no product evidence states {claim.value}")


def _judge_composition(claim: Candidate, index: EvidenceIndex, vocab: Vocabulary) -> Judgement:
    assert claim.number is not None and claim.material is not None
    pct, mat = claim.number.value, claim.material
    same = [e for v, m, e in index.compositions if v == pct and vocab.implies("material", m, mat)]
    if same:
        return Judgement("supported", list(dict.fromkeys(same)), f"evidence states {pct}% {mat}")
    other = [(v, m, e) for v, m, e in index.compositions if vocab.related("material", m, mat) or v == pct]
    if other:
        values = ", ".join(dict.fromkeys(f"{v}% {m}" for v, m, _ in other))
        return Judgement(
            "contradicted", list(dict.fromkeys(e for *_, e in other)), f"evidence states {values}"
        )
    return Judgement("unsupported", [], f"no product evidence states {pct}% {mat}")


def _judge_number(claim: Candidate, index: EvidenceIndex) -> Judgement:
    assert claim.number is not None
    n = claim.number
    if n.unit:
        same = [e for m, e in index.numbers if m.value == n.value and m.unit == n.unit]
    else:
        same = [e for m, e in index.numbers if m.value == n.value]
    if same:
        return Judgement("supported", list(dict.fromkeys(same)), f"evidence states {claim.value}")
    if n.unit:
        other = [(m, e) for m, e in index.numbers if m.unit == n.unit]
        if other:
            values = ", ".join(dict.fromkeys(f"{m.value}" for m, _ in other))
            return Judgement(
                "contradicted", list(dict.fromkeys(e for _, e in other)), f"evidence states {values}"
            )
    return Judgement("unsupported", [], f"no product evidence states {claim.value}")


def _judge_brand(claim: Candidate, index: EvidenceIndex) -> Judgement:
    pattern = re.compile(r"(?<![\w])" + re.escape(claim.value) + r"(?![\w])")
    same = [i for i, text in index.texts if pattern.search(text)]
    if same:
        return Judgement("supported", same, f"evidence names {claim.value}")
    other = [(b, e) for b, e in index.brands if b != claim.value]
    if other:
        values = ", ".join(dict.fromkeys(b for b, _ in other))
        return Judgement(
            "contradicted", list(dict.fromkeys(e for _, e in other)), f"evidence names the brand {values}"
        )
    return Judgement("unsupported", [], f"no product evidence names {claim.value}")
