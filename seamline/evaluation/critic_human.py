"""The critic on wording it never wrote: planted claims in real copy, and an audit of real copy.

``run_human_eval`` (`agent eval critic --style human`) takes sentences from each product's own catalog
copy that the critic finds fully supported by the record, and plants one false claim in each: a stated
colour, material, pattern, sleeve, neckline or fit swapped for another of its kind, or an invented
feature, certification or origin inserted. It reports recall, precision and retention as the planted
evaluation does, and two figures that only real wording can show: whether the output still parses
cleanly, and how many words went per planted claim.

``run_audit`` (`agent eval critic --style audit`) runs the critic on the real descriptions themselves,
against their own records, and counts what it removed, what it kept, the sentences it dropped and the
edited sentences left broken.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field

from seamline.evaluation.critic_eval import Miss, _present, _ratio
from seamline.evaluation.critic_plants import (
    _CERTS,
    _COLOURS,
    _FABRICS,
    _FEATURES,
    _FITS,
    _NECKS,
    _ORIGINS,
    _PATTERNS,
    _SLEEVES,
    _pick_group,
)
from seamline.evaluation.data import load_myntra, load_split, product_name, record_evidence

_SWAPS: dict[str, list[list[str]]] = {
    "colour": _COLOURS,
    "material": [[f] for f in _FABRICS],
    "pattern": _PATTERNS,
    "sleeve": _SLEEVES,
    "neck": _NECKS,
    "collar": _NECKS,
    "fit": _FITS,
}
PLANTS = ("swap", "feature", "certification", "origin")


@dataclass
class HumanSample:
    """One real sentence with one false claim planted in it."""

    product_id: str
    product: str
    original: str
    text: str
    kind: str
    key: str
    start: int
    end: int
    supported: list[str] = field(default_factory=list)


class HumanEvalReport(BaseModel):
    """What `agent eval critic --style human` prints."""

    split: str
    products: int
    sentences: int = Field(0, description="Real sentences the critic found fully supported, one plant each.")
    seed: int
    recall: float = Field(0.0, description="Planted claims removed / planted.")
    per_kind: dict[str, float] = Field(default_factory=dict, description="Recall by kind of plant.")
    removals: int = 0
    precision: float = Field(0.0, description="Removals that hit the planted claim / all removals.")
    supported: int = 0
    retention: float = Field(0.0, description="Supported mentions still in the output / supported.")
    grammatical: float = Field(0.0, description="Outputs whose parse shows no problem the input lacked.")
    grammar_problems: dict[str, int] = Field(default_factory=dict)
    words_removed: dict[str, float] = Field(
        default_factory=dict, description="Words removed per planted claim: median, p90, mean."
    )
    sentences_dropped: float = Field(0.0, description="Share of planted sentences dropped whole.")
    misses: list[Miss] = Field(default_factory=list, description="Up to 40 failures, to read.")


class AuditReport(BaseModel):
    """What `agent eval critic --style audit` prints: the critic on real copy against its record."""

    split: str
    descriptions: int = 0
    mentions: int = 0
    removed: int = Field(0, description="Mentions the record does not support, removed.")
    supported_kept: int = Field(0, description="Supported mentions still in the output.")
    supported: int = 0
    sentences: int = 0
    sentences_lost: int = Field(0, description="Input sentences with no part left in the output.")
    edited: int = Field(0, description="Output sentences the critic changed.")
    broken: int = Field(0, description="Changed sentences whose re-parse shows a problem the input lacked.")
    broken_rate: float = Field(0.0, description="Broken sentences / output sentences.")
    examples: list[Miss] = Field(default_factory=list, description="Up to 40 broken sentences, to read.")


def _words(text: str) -> int:
    from seamline.finetune.clean import WORD

    return len(WORD.findall(text))


def _problems(text: str) -> Counter[str]:
    """What the parse and the surface check of ``text`` show, sentence by sentence."""
    from seamline.agents.critic.grammar import problems
    from seamline.agents.critic.parse import parse
    from seamline.agents.critic.verify import parse_problems
    from seamline.agents.lexicon.text import split_sentences

    found: Counter[str] = Counter(problems(text))
    for sentence in split_sentences(text):
        found += parse_problems(parse(sentence))
    return found


def _garment_at(text: str) -> int | None:
    """Where the first product-type word of ``text`` starts."""
    from seamline.agents.critic.parse import parse
    from seamline.agents.lexicon.vocabulary import vocabulary

    for tok in parse(text):
        if tok.pos_ in ("NOUN", "PROPN") and vocabulary().garment(tok.text) is not None:
            start = tok.idx
            while start > 0 and not text[start - 1].isspace():  # the whole word: "t-shirt", not "shirt"
                start -= 1
            return start
    return None


def _plant(rng: random.Random, sentence: str, claims: Sequence[Any], evidence: str) -> tuple | None:
    """One false claim in ``sentence``: (text, kind, key, start, end, supported values), or None."""
    supported = [c for c in claims if c.verdict == "supported"]
    for kind in rng.sample(PLANTS, k=len(PLANTS)):
        if kind == "swap":
            options = [c for c in supported if c.category in _SWAPS]
            if not options:
                continue
            claim = rng.choice(options)
            value = _pick_group(rng, _SWAPS[claim.category], claim.value, evidence)
            if value is None:
                continue
            if sentence[claim.start : claim.start + 1].isupper():
                value = value[0].upper() + value[1:]
            text = sentence[: claim.start] + value + sentence[claim.end :]
            rest = [c.text for c in supported if c.end <= claim.start or c.start >= claim.end]
            return text, f"swap {claim.category}", value, claim.start, claim.start + len(value), rest
        if kind == "origin":
            key, phrase = rng.choice(
                [o for o in _ORIGINS if " " in o[1] and o[1].startswith(("made", "craf"))]
            )
            end = len(sentence.rstrip(".!? "))
            text = sentence[:end] + ", " + phrase + sentence[end:]
            return text, kind, key, end + 2, end + 2 + len(phrase), [c.text for c in supported]
        at = None
        if kind == "certification":
            materials = [c for c in supported if c.category == "material"]
            word = rng.choice([c for c, form in _CERTS if form == "adj"])
            at = materials[0].start if materials else None
        else:
            word = rng.choice(_FEATURES)
            at = _garment_at(sentence)
        if at is None or word.lower() in evidence:
            continue
        text = sentence[:at] + word + " " + sentence[at:]
        return text, kind, word, at, at + len(word), [c.text for c in supported]
    return None


def human_samples(record: dict[str, Any], seed: int) -> list[HumanSample]:
    """The planted sentences of one product: from its own copy, each fully supported before planting."""
    from seamline.agents.critic import check
    from seamline.agents.lexicon.text import split_sentences
    from seamline.finetune.clean import prose_description

    evidence = [record_evidence(record)]
    name = product_name(record)
    rng = random.Random(f"{seed}:{record.get('id')}")
    out = []
    for sentence in split_sentences(prose_description(str(record.get("description") or ""))):
        if _words(sentence) < 5 or _problems(sentence):
            continue
        result = check(sentence, evidence, product=name)
        if result.removed or not result.claims or result.description != sentence:
            continue
        planted = _plant(rng, sentence, result.claims, evidence[0].text.lower())
        if planted is not None:
            text, kind, key, start, end, supported = planted
            out.append(
                HumanSample(str(record.get("id")), name, sentence, text, kind, key, start, end, supported)
            )
    return out


def run_human_eval(
    *,
    split: str = "myntra_dev",
    limit: int | None = None,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> HumanEvalReport:
    """Plant one false claim in each fully supported sentence of the split's copy; judge the critic."""
    from seamline.agents.critic import check

    ids = load_split(split)[:limit] if limit else load_split(split)
    records = load_myntra(ids)
    report = HumanEvalReport(split=split, products=len(records), seed=seed)
    planted: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    grammar: Counter[str] = Counter()
    removed_words: list[float] = []
    hits = removals = kept = supported = clean = dropped = 0
    for n, record in enumerate(records):
        evidence = [record_evidence(record)]
        for sample in human_samples(record, seed):
            result = check(sample.text, evidence, product=sample.product)
            out = result.description
            report.sentences += 1
            kind = sample.kind.split()[0]
            planted[kind] += 1
            miss = Miss(product_id=sample.product_id, kind="", what="", text=sample.text, output=out)
            if _present(sample.key, out):
                _keep(report.misses, miss, "planted kept", f"{sample.kind}: {sample.key}")
            else:
                caught[kind] += 1
            for claim in result.removed:
                removals += 1
                if claim.start < sample.end and sample.start < claim.end:
                    hits += 1
                else:
                    _keep(
                        report.misses,
                        miss,
                        "wrong removal",
                        f"{claim.category}={claim.value} ({claim.reason})",
                    )
            for value in sample.supported:
                supported += 1
                if _present(value, out):
                    kept += 1
                else:
                    _keep(report.misses, miss, "supported lost", value)
            extra = _problems(out) - _problems(sample.original) if out else Counter()
            grammar.update(extra)
            clean += not extra
            if extra:
                _keep(report.misses, miss, "grammar", ", ".join(extra))
            removed_words.append(_words(sample.text) - _words(out))
            dropped += not out.strip()
        if progress is not None:
            progress(n + 1, len(records))
    total = sum(planted.values())
    report.recall = _ratio(sum(caught.values()), total)
    report.per_kind = {k: _ratio(caught[k], planted[k]) for k in PLANTS if planted[k]}
    report.removals = removals
    report.precision = _ratio(hits, removals)
    report.supported = supported
    report.retention = _ratio(kept, supported)
    report.grammatical = _ratio(clean, total)
    report.grammar_problems = dict(grammar)
    if removed_words:
        report.words_removed = {
            "median": float(statistics.median(removed_words)),
            "p90": float(statistics.quantiles(removed_words, n=10, method="inclusive")[-1])
            if len(removed_words) > 1
            else removed_words[0],
            "mean": round(statistics.fmean(removed_words), 2),
        }
    report.sentences_dropped = _ratio(dropped, total)
    return report


def _keep(target: list[Miss], miss: Miss, kind: str, what: str) -> None:
    if len(target) < 40:
        target.append(miss.model_copy(update={"kind": kind, "what": what}))


def run_audit(
    *, split: str = "myntra_dev", limit: int | None = 300, progress: Callable[[int, int], None] | None = None
) -> AuditReport:
    """`agent check` on the split's own descriptions against their records, counted."""
    from seamline.agents.critic import check
    from seamline.agents.lexicon.text import split_sentences

    ids = load_split(split)[:limit] if limit else load_split(split)
    records = [r for r in load_myntra(ids) if str(r.get("description") or "").strip()]
    report = AuditReport(split=split)
    for n, record in enumerate(records):
        text = str(record["description"])
        result = check(text, [record_evidence(record)], product=product_name(record))
        out = result.description
        report.descriptions += 1
        report.mentions += len(result.claims) + len(result.removed)
        report.removed += len(result.removed)
        report.supported += len(result.claims)
        report.supported_kept += sum(_present(c.text, out) for c in result.claims)
        before = split_sentences(text)
        after = split_sentences(out)
        left = set(out.lower().split())
        report.sentences += len(after)
        report.sentences_lost += sum(not {w for w in s.lower().split() if len(w) > 3} & left for s in before)
        original = " ".join(text.split())
        for sentence in after:
            if " ".join(sentence.split()) in original:
                continue
            report.edited += 1
            source = max(before, key=lambda s: _overlap(s, sentence), default="")
            extra = _problems(sentence) - _problems(source)
            if extra:
                report.broken += 1
                miss = Miss(product_id=str(record.get("id")), kind="", what="", text=source, output=sentence)
                _keep(report.examples, miss, "broken", ", ".join(extra))
        if progress is not None:
            progress(n + 1, len(records))
    report.broken_rate = _ratio(report.broken, report.sentences)
    return report


def _overlap(a: str, b: str) -> int:
    return len(set(a.lower().split()) & set(b.lower().split()))
