"""General sentences: what the knowledge store says about a value the product evidence states.

A knowledge entry explains a term ("Cotton: A soft natural fibre from the seed pod of the cotton
plant."). A description may carry one such sentence, for a fabric or construction the product evidence
states, written as a sentence about the term ("Cotton is a soft natural fibre ..."). It is about the term,
never the product: the critic reads it as general (``critic.claims``) and judges it under the rule in
DESIGN.md, so general knowledge in it supports only general statements.

Which values are looked up (``lookup_values``) and which hits are used (``about``) are chosen here, so the
planner that asks and the writer that writes agree. ``agent eval knowledge`` measures both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from seamline.agents.lexicon import (
    build_index,
    coerce_evidence,
    details_from_evidence,
    indefinite_article,
    split_sentences,
    vocabulary,
)
from seamline.agents.lexicon.words import words
from seamline.results import Evidence

ORDER = ("material", "collar", "neck", "closure", "fit")
"""The categories whose values are looked up, in the order a general sentence prefers them: the fabric
first, then how the product is built. A pattern or a sleeve length explains itself ("Short sleeves are
sleeves that end above the elbow")."""

MAX_LOOKUPS = 3
"""Values looked up per product (one knowledge call each)."""

MIN_SCORE = 0.5
"""The least similarity a hit must have to be used. On 200 Myntra dev products, in these categories, the
nearest entries about the queried value scored 0.51 at the least (0.69 at the 5th percentile), and those
about another term up to 0.75: the score cannot tell them apart, so the term decides (``about``), and
the threshold, just under the least on-topic score, keeps out a chunk of a user's documents that names
the term in passing. ``agent eval knowledge`` prints these scores."""

MAX_WORDS = 32
"""A longer definition is left out: a general sentence is an aside, not the body of the copy."""

_ENTRY = re.compile(r"\s*(?P<term>[^:\n]{2,40}):\s+(?P<body>\S.*)", re.DOTALL)
"""A glossary entry: "Term: definition"."""
_WORD = re.compile(r"[A-Za-z][\w'-]*")
_ARTICLE = re.compile(r"^\s*An?\s+")


def lookup_values(product: str, evidence: Sequence[Evidence]) -> list[tuple[str, str]]:
    """The (category, value) pairs worth a knowledge lookup: values the product evidence states.

    Where a record or page states a category, its values are the ones looked up, not the name's: the
    "Jersey" of "Nike Men Utd White Jersey" is a football shirt, and its record says Fabric: Polyester.
    """
    details = {d.attribute: d.value for d in details_from_evidence(product, evidence)}
    # What the evidence says beyond the name (a record repeats the name in its "Name:" line).
    unnamed = [e.model_copy(update={"text": e.text.replace(product, "")}) for e in coerce_evidence(evidence)]
    index = build_index([e for e in unnamed if e.source != "name"])
    out: list[tuple[str, str]] = []
    for category in ORDER:
        values = [v.strip() for v in details.get(category, "").split(",")]
        # The values a record or page states, where one does (details keep the most specific of them).
        said = {s.value for s in index.product.get(category, []) if s.evidence_id != "name"}
        if said:
            values = [v for v in values if v in said]
        for value in values:
            if value and (category, value) not in out:
                out.append((category, value))
    return out[:MAX_LOOKUPS]


def term(item: Evidence) -> str:
    """The term a knowledge chunk explains: its entry's term, else its title."""
    entry = _ENTRY.match(item.text)
    return entry.group("term").strip() if entry else item.title.strip()


def about(item: Evidence, category: str, value: str) -> bool:
    """Whether a knowledge hit is about this value, and close enough to the query to be used.

    It is about the value when its term names it, or, in a user's prose, when one of its sentences
    explains it. A store that gives no score (a user's retriever) is judged by the term alone.
    """
    if item.about_product or item.source != "knowledge":
        return False
    if item.score is not None and item.score < MIN_SCORE:
        return False
    if vocabulary().lookup(term(item)) == (category, value):
        return True
    return bool(_prose_sentence(item, category, value))  # a user's prose that explains the value


def best_hit(hits: Sequence[Evidence], category: str, value: str) -> Evidence | None:
    """The nearest hit about the value, one that names it exactly first ("Mesh" before "Tulle"), or None."""
    on_topic = [h for h in hits if about(h, category, value)]
    on_topic.sort(key=lambda h: (term(h).lower() != value, -(h.score or 0.0)))
    return on_topic[0] if on_topic else None


def _prose_sentence(item: Evidence, category: str, value: str) -> str:
    """A sentence of a prose chunk (a user's fabric book) that explains the value in general, or "".

    It must read as general to the critic ("Viscose is a soft fibre that drapes well.") and name the
    value as the term it explains; a chunk that only mentions the value in passing gives none.
    """
    from seamline.agents.critic.claims import general_spans

    vocab = vocabulary()
    text = item.text
    # The critic's own reading of a general sentence, and the term it explains ("Viscose is ...").
    for a, b, explained in general_spans(text, vocab):
        sentence = " ".join(text[a:b].split())
        if vocab.lookup(_ARTICLE.sub("", text[a:explained])) != (category, value):
            continue
        if len(_WORD.findall(sentence)) <= MAX_WORDS and sentence.endswith("."):
            return sentence
    return ""


def sentence_of(item: Evidence, category: str, value: str = "") -> str:
    """The entry's definition as a sentence about its term ("Cotton is a soft natural fibre ..."), or "".

    A chunk that is no "Term: definition" entry gives its own sentence about ``value``, if it has one.
    """
    entry = _ENTRY.match(item.text)
    if entry is None:
        return _prose_sentence(item, category, value) if value else ""
    first = next(iter(split_sentences(entry.group("body"))), "")
    # What follows a semicolon is an aside on the aside ("; crew neck is the usual name for it ...").
    first = first.split(";")[0].rstrip(" .") + "." if ";" in first else first
    name = entry.group("term").strip()
    if not first or len(_WORD.findall(first)) > MAX_WORDS or not first[0].isupper():
        return ""
    if {w.lower() for w in _WORD.findall(first)} & words("product_references"):
        return ""  # "it", "this": the critic would read it as said of the product, and so would a reader
    article = first.split()[0] in ("A", "An")
    # "Snap buttons: Two-part fasteners" are; "Canvas: A heavy fabric" and "Sleeveless" are not.
    plural = name.endswith("s") and not name.endswith("ss") and not article
    if category != "material" and not plural:
        if not article:
            return ""  # "Sleeveless: With no sleeves" is no definition to say "is" of
        name = _lower_first(name)
        name = f"{indefinite_article(name).capitalize()} {name}"
    return f"{name} {'are' if plural else 'is'} {first[0].lower()}{first[1:]}"


def _lower_first(name: str) -> str:
    """The term as it reads inside a sentence: "Round neck" -> "round neck"; "V-neck", "Peter Pan" stay."""
    words = name.split()
    if len(name) > 1 and name[1].islower() and not any(w[0].isupper() for w in words[1:]):
        return name[0].lower() + name[1:]
    return name


def general_sentence(product: str, evidence: Sequence[Evidence]) -> tuple[str, Evidence] | None:
    """One general sentence about a value the product evidence states, with its chunk; None if none fits."""
    hits = [e for e in evidence if e.source == "knowledge" and not e.about_product]
    if not hits:
        return None
    for category, value in lookup_values(product, evidence):
        item = best_hit(hits, category, value)
        sentence = sentence_of(item, category, value) if item is not None else ""
        if sentence:
            return sentence, item  # type: ignore[return-value]
    return None
