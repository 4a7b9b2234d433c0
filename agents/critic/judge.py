"""Judging claims against evidence: supported, unsupported, contradicted or disputed, with the ids.

Only evidence about this product (``about_product``) supports a product attribute; general knowledge
supports only general explanatory sentences. Support goes through the vocabulary (a stated shade
supports its family), numbers need the same number with the same unit, and negations must agree.
Where product evidence of equal standing disagrees on a one-valued attribute (``evidence._settle``),
every value of it is disputed: the text states none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from seamline.agents.critic.claims import Candidate
from seamline.agents.lexicon.evidence import EvidenceIndex, Stated
from seamline.agents.lexicon.vocabulary import Vocabulary


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
    if claim.term:
        # A general sentence about a value the product evidence rules out is said of the product in
        # disguise: "Regular fit keeps you cool." in the copy of a slim-fit shirt.
        as_said = _judge_attribute(replace(claim, general=False, term=False), index, vocab)
        if as_said.verdict in ("contradicted", "disputed"):
            return as_said
    cat = claim.category
    spec = vocab.categories.get(cat)
    disputed = [s for c in vocab.group_of(cat) for s in index.disputed.get(c, [])]
    if disputed and not claim.negated:
        values = ", ".join(dict.fromkeys(f"{s.value} ({s.evidence_id})" for s in disputed))
        return Judgement("disputed", _ids(disputed), f"evidence disagrees: {values}")
    stated = index.product.get(cat, [])
    pool = stated + index.general.get(cat, []) if claim.general else stated
    support = [s for s in pool if s.negated == claim.negated and vocab.implies(cat, s.value, claim.value)]
    if support:
        where = "general knowledge" if claim.general and not any(s in stated for s in support) else "evidence"
        return Judgement("supported", _ids(support), f"{where} states {claim.value}")
    flipped = [s for s in stated if s.negated != claim.negated and vocab.related(cat, s.value, claim.value)]
    if flipped and spec is not None and spec.negatable:
        what = "states" if claim.negated else "rules out"
        return Judgement("contradicted", _ids(flipped), f"evidence {what} {claim.value}")
    if not claim.negated and spec is not None and spec.group:
        other = [
            s
            for g in vocab.group_of(cat)
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
