"""Unverifiable specifics: content words that neither the evidence nor the catalog's framing holds.

The claim finder reads the lexicon's attributes (colour, material, fit ...). Copy also states things no
attribute list names: "a swoosh on the left chest", "two roomy compartments", "made in Portugal". Such a
word is a specific when the evidence never uses it (as written or as its lemma), no lexicon mention
covers it, and it is not a framing word, one the train split's copy uses for every kind of product
("style", "wardrobe"; see ``agents/vocab/words/framing.json``). Verbs and closed-class words frame a
sentence; nouns, proper nouns, adjectives and numbers carry what it states.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from seamline.agents.critic.parse import parse
from seamline.agents.lexicon import extract_mentions
from seamline.agents.lexicon.words import framing, words

CONTENT_POS = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "X"})
# Lists of function.json that frame rather than state. Not "calendar" (a date is a fact) and not
# "composition_glue" ("organic", "combed" are claims about the fabric).
_FRAMING_LISTS = (
    "determiners",
    "coordinators",
    "prepositions",
    "copulas",
    "frame_verbs",
    "finite_verbs",
    "generic_heads",
    "degree_adverbs",
    "predicative_adjectives",
    "quantity_words",
    "sentence_openers",
    "product_references",
    "general_verbs",
)
_CARE = re.compile(r"\b(wash|bleach|iron|dry|drying|dried|tumble|soak|wring|wipe)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+")


@functools.lru_cache(maxsize=1024)
def evidence_words(text: str) -> frozenset[str]:
    """Every lower-case word of ``text`` and the lemma of each (what the evidence can be said to use)."""
    words = set(_WORD.findall(text.lower()))
    for chunk in text.split("\n"):
        if chunk.strip():
            words.update(t.lemma_.lower() for t in parse(chunk[:2000]))
    return frozenset(words)


@functools.cache
def _free_words() -> frozenset[str]:
    return framing().union(*(words(name) for name in _FRAMING_LISTS))


def unverifiable(sentence: str, evidence: Sequence[str] | str) -> list[str]:
    """The content words of ``sentence`` that the evidence texts never use, in order.

    A word inside a lexicon mention is left to the claim judge; a number must appear in the evidence, and
    a care verb ("wash", "wipe") needs care in the evidence.
    """
    known = evidence_words(evidence if isinstance(evidence, str) else "\n".join(evidence))
    spans = [(m.start, m.end) for m in extract_mentions(sentence, garments=True)]
    free = _free_words()
    found = []
    # A care instruction is a fact like any other: it needs care in the evidence.
    care = _CARE.search(sentence)
    if care and not any(_CARE.search(w) for w in known):
        found.append(care.group(0))
    for token in parse(sentence):
        if token.pos_ not in CONTENT_POS:
            continue
        word, lemma = token.lower_, token.lemma_.lower()
        if not any(c.isalnum() for c in word) or (word.isalpha() and len(word) < 2):
            continue
        if any(start <= token.idx < end for start, end in spans):
            continue
        if word in known or lemma in known or lemma in free or word in free:
            continue
        found.append(token.text)
    return found
