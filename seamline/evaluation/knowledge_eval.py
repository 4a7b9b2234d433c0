"""How well the knowledge store serves the copy: retrieval by value, and the general sentence it gives.

For each Myntra dev product, the record is the evidence (its facts, without the human copy). Every value
the record states that the glossary has an entry for is looked up by itself, as the planner looks it up,
and the nearest entry is judged on topic when its term names that value (``agents.general.about`` without
the score threshold). Then the values the planner would look up are looked up for real, and the writer's
text is composed from the record and those hits, then checked by the critic, as ``finish`` does.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from seamline.memory.knowledge import KnowledgeStore

K = 3
"""Entries asked for per lookup, as the planner asks."""


class KnowledgeReport(BaseModel):
    """Retrieval by value and general sentences on dev products."""

    products: int
    values: int = Field(description="Stated values the glossary has an entry for, over all products.")
    precision_at_1: float = Field(description="Share of those values whose nearest entry is about them.")
    in_top_k: float = Field(description="Share with an entry about them among the first K.")
    by_category: dict[str, list[float]] = Field(
        default_factory=dict, description="Per category: [values, precision@1]."
    )
    wrong: list[str] = Field(default_factory=list, description="value -> nearest entry, most common first.")
    score_on_topic: dict[str, float] = Field(
        default_factory=dict,
        description="Similarity of nearest entries about the value, in the categories a general sentence "
        "may explain (agents.general.ORDER): min, p5, median.",
    )
    score_off_topic: dict[str, float] = Field(
        default_factory=dict, description="Similarity of nearest entries about another term: max, median."
    )
    below_threshold: float = Field(description="Share of on-topic nearest entries under MIN_SCORE.")
    eligible: int = Field(description="Products whose record states a covered fabric or construction.")
    with_sentence: float = Field(description="Share of the eligible products whose text has one.")
    cut: int = Field(description="General sentences the critic cut into or removed.")
    sentences: list[str] = Field(default_factory=list, description="product -> general sentence, first ones.")


def covered_values(store_terms: set[tuple[str, str]], product: str, evidence: list) -> list[tuple[str, str]]:
    """The (category, value) pairs the record states that some glossary entry is about."""
    from seamline.agents.lexicon import details_from_evidence

    out = []
    for detail in details_from_evidence(product, evidence):
        for value in (v.strip() for v in detail.value.split(",")):
            if (detail.attribute, value) in store_terms:
                out.append((detail.attribute, value))
    return out


def pack_terms() -> set[tuple[str, str]]:
    """The (category, value) pairs the shipped glossary has an entry about."""
    from seamline.agents.lexicon import vocabulary
    from seamline.memory.ingest import load_file
    from seamline.memory.knowledge import PACK_PATH

    vocab = vocabulary()
    found = (vocab.lookup(c.title) for c in load_file(PACK_PATH).chunks)
    return {f for f in found if f is not None}


def run_knowledge_eval(
    store: KnowledgeStore,
    *,
    n: int = 200,
    root: Path | str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> KnowledgeReport:
    """Measure retrieval and general sentences on the first ``n`` Myntra dev products."""
    from seamline.agents import general, writer
    from seamline.agents.critic import check
    from seamline.agents.lexicon import details_from_evidence, vocabulary
    from seamline.evaluation.data import load_myntra, load_split
    from seamline.finetune.data import record_evidence
    from seamline.memory.records import record_title

    vocab = vocabulary()
    terms = pack_terms()
    records = load_myntra(load_split("myntra_dev", root)[:n], root)
    per_cat: dict[str, list[int]] = {}
    wrong: Counter[str] = Counter()
    on_scores: list[float] = []
    off_scores: list[float] = []
    values = top1 = topk = eligible = with_sentence = cut = 0
    sentences: list[str] = []
    cache: dict[str, list] = {}

    def lookup(query: str) -> list:
        if query not in cache:
            cache[query] = store.search(query, k=K)
        return cache[query]

    for i, record in enumerate(records, start=1):
        name = record_title(record)
        evidence = record_evidence(record)
        for category, value in covered_values(terms, name, evidence):
            hits = lookup(value)
            if not hits:
                continue
            nearest = vocab.lookup(general.term(hits[0]))
            good = nearest == (category, value)
            values += 1
            top1 += good
            topk += any(vocab.lookup(general.term(h)) == (category, value) for h in hits)
            counts = per_cat.setdefault(category, [0, 0])
            counts[0] += 1
            counts[1] += good
            if category in general.ORDER:  # the scores that matter are those the writer's hits have
                (on_scores if good else off_scores).append(hits[0].score or 0.0)
            if not good:
                wrong[f"{value} -> {general.term(hits[0])}"] += 1
        asked = general.lookup_values(name, evidence)
        if not any(pair in terms for pair in asked):
            if progress is not None:
                progress(i, len(records))
            continue
        eligible += 1
        found = []
        for j, (_category, value) in enumerate(asked):
            found += [h.model_copy(update={"id": f"kb{j}{h.id}"}) for h in lookup(value)]
        pool = [*evidence, *found]
        picked = general.general_sentence(name, pool)
        if picked is not None:
            with_sentence += 1
            text = writer.compose(name, "", details_from_evidence(name, pool), pool)
            final = check(text, pool, product=name).description
            cut += picked[0] not in final
            if len(sentences) < 40:
                sentences.append(f"{name} -> {picked[0]}")
        if progress is not None:
            progress(i, len(records))

    def share(a: int, b: int) -> float:
        return round(a / b, 4) if b else 0.0

    on = sorted(on_scores)
    return KnowledgeReport(
        products=len(records),
        values=values,
        precision_at_1=share(top1, values),
        in_top_k=share(topk, values),
        by_category={c: [v[0], share(v[1], v[0])] for c, v in sorted(per_cat.items())},
        wrong=[f"{w} ({c})" for w, c in wrong.most_common(12)],
        score_on_topic={"min": on[0], "p5": on[len(on) // 20], "median": statistics.median(on)} if on else {},
        score_off_topic={"max": max(off), "median": statistics.median(off)} if (off := off_scores) else {},
        below_threshold=share(sum(s < general.MIN_SCORE for s in on), len(on)),
        eligible=eligible,
        with_sentence=share(with_sentence, eligible),
        cut=cut,
        sentences=sentences,
    )
