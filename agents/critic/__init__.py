"""The critic: claim extraction, support judgement against evidence, minimal removal.

>>> from seamline.agents.critic import check
>>> check("A navy waterproof jacket.", [{"id": "E1", "text": "Colour: Navy Blue"}]).description
'A navy jacket.'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from seamline.agents.critic.claims import Candidate, extract_claims, general_sentences
from seamline.agents.critic.edit import Cut, apply_cuts
from seamline.agents.critic.judge import judge
from seamline.agents.critic.specifics import specifics as find_specifics
from seamline.agents.lexicon import (
    EvidenceIndex,
    Vocabulary,
    brand_names,
    build_index,
    clean_text,
    coerce_evidence,
    details_from_evidence,
    extract_mentions,
    find_mentions,
    missing_categories,
    norm,
    product_types,
    vocabulary,
)
from seamline.results import CheckResult, Claim, Evidence

__all__ = [
    "EMPTY_WARNING",
    "check",
    "coerce_evidence",
    "details_from_evidence",
    "extract_mentions",
    "missing_categories",
    "product_types",
]
"""``coerce_evidence``, ``details_from_evidence``, ``extract_mentions``, ``missing_categories`` and
``product_types`` live in the lexicon (seamline.agents.lexicon); they are re-exported here for callers
written before it existed."""


_MAX_PASSES = 3
EMPTY_WARNING = "the description is empty"
# Categories whose values read as adjectives before a noun ("navy", "cotton", "waterproof").
_MODIFIERS = {"colour", "material", "pattern", "feature", "certification", "composition"}


def check(
    description: str,
    evidence: Sequence[Evidence | Mapping[str, Any]],
    *,
    product: str | None = None,
    specifics: bool = True,
) -> CheckResult:
    """Judge every claim in ``description`` against ``evidence`` and strip the unsupported ones.

    With ``specifics`` (the default), a content word that no evidence uses and no lexicon claim covers
    ("a swoosh on the left chest") is cut as well (see ``critic.specifics``); a caller whose text is
    about something other than the product (the competitor summary, about a market) turns it off.

    Kept claims go to ``claims`` (verdict supported, with evidence ids); removed ones to ``removed``
    with what was cut. The result's description never gains text: it is the original with cuts, and
    checking it again changes nothing. Raises EvidenceError when the evidence or text is malformed.
    """
    text = clean_text(description)
    items = coerce_evidence(evidence, product=product)
    if not text.strip():
        return CheckResult(description=text, original=text, warnings=[EMPTY_WARNING])
    first = _check_once(text, items, specifics)
    result = first
    final_claims = first.claims
    # A cut can change the frame of what is left (a styling cue goes, a negation goes, "cotton" of
    # "cotton twill" stands alone): check again until nothing changes, so the output is a fixed point.
    for _ in range(_MAX_PASSES - 1):
        if not result.removed or result.description == text:
            break
        again = _check_once(result.description, items, specifics)
        final_claims = again.claims
        if not again.removed:
            break
        later = [c.model_copy(update={"start": -1, "end": -1}) for c in again.removed]
        result = again.model_copy(update={"removed": result.removed + later})
        text = again.original
    if final_claims is first.claims:
        return first
    final = Counter((c.category, c.value, c.text) for c in final_claims)
    claims = []
    for claim in first.claims:
        key = (claim.category, claim.value, claim.text)
        if final[key] > 0:
            final[key] -= 1
            claims.append(claim)
    # Claims a cut laid bare ("cotton" of "cotton twill") are judged only in a later pass.
    for claim in final_claims:
        key = (claim.category, claim.value, claim.text)
        if final[key] > 0:
            final[key] -= 1
            claims.append(claim.model_copy(update={"start": -1, "end": -1}))
    warnings = list(dict.fromkeys(first.warnings + result.warnings))
    return CheckResult(
        description=result.description,
        original=first.original,
        claims=claims,
        removed=result.removed,
        warnings=warnings,
    )


_LEADING_WORD = re.compile(r"([\w-]+)\s+(?=\w)")


def _cut_span(text: str, cand: Candidate) -> tuple[int, int]:
    """What a rejected claim's cut must take: "cotton twill" (twill unsupported) loses only "twill".

    A fabric compound whose first word is a fabric of its own keeps that word; the next pass of the
    critic judges it as a claim in its own right.
    """
    if cand.category == "material" and cand.kind == "attribute":
        lead = _LEADING_WORD.match(text, cand.cut_start, cand.cut_end)
        hit = vocabulary().lookup(lead.group(1)) if lead else None
        if lead is not None and hit is not None and hit[0] == "material" and hit[1] != cand.value:
            return lead.end(), cand.cut_end
    return cand.cut_start, cand.cut_end


def _garments(text: str, vocab: Vocabulary, *, keyed: bool, mentions: bool = False) -> list[Any]:
    """Garment values (or mentions) of ``text`` said of the product.

    Not inside an attribute ("short" of "short sleeves"), a styling cue or a negation; with ``keyed``,
    only on a type line ("Article type: Shirts").
    """
    found = find_mentions(text, vocab, garments=True)
    attributes = [(m.start, m.end) for m in found if m.category != "garment"]
    out = []
    for m in found:
        if m.category != "garment" or m.styling or m.negated:
            continue
        if any(a < m.end and m.start < b for a, b in attributes):
            continue
        if keyed and (m.key is None or vocab.key_category.get(norm(m.key)) != "garment"):
            continue
        out.append(m if mentions else m.value)
    return out


def _wrong_types(text: str, items: list[Evidence], vocab: Vocabulary) -> list[tuple[Candidate, Claim]]:
    """A product type the text gives this product that is none of its own ("checked shorts" for a shirt).

    A type in a styling cue ("pair it with jeans"), a negation or a general sentence is not said of the
    product.
    """
    # The product's types as the name or a catalog type line gives them, never from prose.
    own = [
        t
        for ev in items
        if ev.id == "name" or ev.about_product
        for t in _garments(ev.text, vocab, keyed=ev.id != "name")
    ]
    if not own:
        return []
    out = []
    general = general_sentences(text, vocab)
    for m in _garments(text, vocab, keyed=False, mentions=True):
        if any(vocab.related("garment", m.value, t) for t in own):
            continue
        if any(a <= m.start < b for a, b in general):
            continue  # "crew neck is the usual name for it on T-shirts": a term explained, not this product
        cand = Candidate("attribute", "garment", m.value, m.start, m.end, m.start, m.end)
        claim = Claim(
            text=text[m.start : m.end],
            category="garment",
            value=m.value,
            verdict="contradicted",
            evidence_ids=[],
            start=m.start,
            end=m.end,
            reason=f"the product is a {own[0]}",
        )
        out.append((cand, claim))
    return out


def _specifics(
    text: str, items: list[Evidence], taken: list[tuple[int, int]]
) -> list[tuple[Candidate, Claim]]:
    """Content words no evidence uses, outside every claim already judged: each one a claim to cut."""
    stated = [part for ev in items for part in (ev.title or "", ev.text) if part]
    out = []
    for found in find_specifics(text, stated):
        if any(a <= found.start < b for a, b in taken):
            continue
        span = (found.start, found.end)
        cand = Candidate("specific", "specific", found.word.lower(), *span, *span)
        claim = Claim(
            text=found.word,
            category="specific",
            value=found.word.lower(),
            verdict="unsupported",
            evidence_ids=[],
            start=found.start,
            end=found.end,
            reason="no evidence uses this word",
        )
        out.append((cand, claim))
    return out


def _names_a_part_only(text: str, claim: Candidate, index: EvidenceIndex, vocab: Vocabulary) -> bool:
    """A mention that only says a part is there ("with sleeves"), where no evidence speaks of the part.

    It is judged where the evidence states the part ("sleeves" for a sleeveless dress is contradicted);
    elsewhere it claims nothing the catalog records, and cutting it would only break the sentence. The
    key of a "Sleeves: sleeveless" line names what the line is about: no claim at all.
    """
    if claim.kind != "attribute" or vocab.form(claim.category, claim.value) != "part":
        return False
    if text[claim.end :].lstrip(" \t").startswith(":"):
        return True
    return not any(index.product.get(c) for c in vocab.group_of(claim.category))


def _check_once(text: str, items: list[Evidence], with_specifics: bool = True) -> CheckResult:
    """One pass: extract, judge, cut."""
    warnings: list[str] = []
    if not any(ev.about_product for ev in items):
        warnings.append("no product evidence: every product claim is unsupported")
    vocab = vocabulary()
    mentions = find_mentions(text, vocab)
    index = build_index(items)
    candidates = [
        c
        for c in extract_claims(text, mentions, vocab, brands=brand_names(items))
        if not _names_a_part_only(text, c, index, vocab)
    ]
    kept: list[Claim] = []
    rejected: list[tuple[Candidate, Claim]] = []
    for cand in candidates:
        verdict = judge(cand, index, vocab)
        claim = Claim(
            text=text[cand.start : cand.end],
            category=cand.category,
            value=("not " + cand.value) if cand.negated else cand.value,
            verdict=verdict.verdict,  # type: ignore[arg-type]
            kind="general" if cand.general else "product",
            evidence_ids=verdict.evidence_ids,
            start=cand.start,
            end=cand.end,
            reason=verdict.reason,
        )
        if verdict.verdict == "supported":
            kept.append(claim)
        else:
            rejected.append((cand, claim))
    rejected += _wrong_types(text, items, vocab)
    if with_specifics:
        judged = [(c.start, c.end) for c in kept] + [(c.start, c.end) for _, c in rejected]
        rejected += _specifics(text, items, judged)
    if not rejected:
        return CheckResult(description=text, original=text, claims=kept, warnings=warnings)
    cuts = [Cut(*_cut_span(text, cand), modifier=cand.category in _MODIFIERS) for cand, _ in rejected]
    cleaned, survived = apply_cuts(text, cuts, [(c.start, c.end) for c in kept])
    removed = [
        claim.model_copy(update={"removed_text": cut.removed_text, "cut": cut.strategy})
        for (_, claim), cut in zip(rejected, cuts, strict=True)
    ]
    still = [claim for claim, ok in zip(kept, survived, strict=True) if ok]
    if len(still) < len(kept):
        warnings.append(
            f"{len(kept) - len(still)} supported claim(s) went with the sentence around a removed one"
        )
    return CheckResult(description=cleaned, original=text, claims=still, removed=removed, warnings=warnings)
