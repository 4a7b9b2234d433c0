"""Unverifiable specifics: content words that neither the evidence nor the catalog's framing holds.

The claim finder reads the lexicon's attributes (colour, material, fit ...). Copy also states things no
attribute list names: "a swoosh on the left chest", "two roomy compartments", "made in Portugal". Such a
word is a specific when the evidence never uses it (as written or as its lemma), no lexicon mention
covers it, and it is not a framing word, one the train split's copy uses for every kind of product
("style", "wardrobe"; see ``agents/vocab/words/framing.json``). Verbs, adjectives and closed-class words
frame a sentence; nouns, proper nouns and numbers carry what it states.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from seamline.agents.critic.parse import lemmas, parse
from seamline.agents.lexicon import extract_mentions, sentence_spans
from seamline.agents.lexicon.words import framing, words

if TYPE_CHECKING:
    from spacy.tokens import Token

CONTENT_POS = frozenset({"NOUN", "PROPN", "NUM", "X"})
"""What a sentence states things with. Adjectives are left out: the lexicon's own ("waterproof", "slim")
are claims the judge reads, and the rest are the subjective words of copy ("versatile", "elegant")."""
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
CARE = re.compile(r"\b(wash|bleach|iron|dry|drying|dried|tumble|soak|wring|wipe)\b", re.IGNORECASE)
"""A care instruction's verbs (what build-data also reads to drop care lists from copy)."""
_WORD = re.compile(r"[a-z]+")
_FINITE_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty"
).split()


@functools.lru_cache(maxsize=1024)
def evidence_words(text: str) -> frozenset[str]:
    """Every lower-case word of ``text`` and the lemma of each (what the evidence can be said to use)."""
    words = set(_WORD.findall(text.lower()))
    # "2 chest pockets" states "two" as well.
    digits = (int(n) for n in re.findall(r"(?<![\d.])\d{1,2}(?![\d.])", text))
    words.update(_NUMBER_WORDS[n] for n in digits if n < len(_NUMBER_WORDS))
    for found in lemmas(chunk[:2000] for chunk in text.split("\n") if chunk.strip()):
        words.update(found)
    return frozenset(words)


@functools.cache
def _free_words() -> frozenset[str]:
    return framing().union(*(words(name) for name in _FRAMING_LISTS))


@dataclass(frozen=True)
class Specific:
    """A content word of the text that no evidence uses, and where it is."""

    start: int
    end: int
    word: str


def specifics(text: str, evidence: Sequence[str] | str) -> list[Specific]:
    """The unverifiable words of ``text`` that it states as the product's, with their place in ``text``.

    Here a noun counts only in a frame that says the product has it, is made of or in it, or comes in
    it ("has a swoosh", "with two pockets", "made in Portugal", "available in sizes"); a number or a
    proper name counts anywhere. A noun in a frame of opinion ("a timeless choice", "a sporty vibe")
    states nothing to check.
    """
    known = evidence_words(evidence if isinstance(evidence, str) else "\n".join(evidence))
    found = []
    for a, b in sentence_spans(text):
        body = text[a:b]
        lead = len(body) - len(body.lstrip())
        for token in _unverified_tokens(body.strip(), known):
            if not _stated_as_the_products(token):
                continue
            start = a + lead + token.idx
            found.append(Specific(start, start + len(token.text), token.text))
    return found


_HAVE = frozenset({"have", "feature", "come", "boast", "sport", "include", "carry", "offer", "display"})
_MADE = frozenset({"make", "craft", "construct", "cut", "weave", "knit", "manufacture", "fashion", "create"})
_OFFERED = frozenset({"available", "come", "offer", "sell", "stock"})
_NP_LINKS = frozenset({"compound", "nummod", "amod", "poss", "nmod", "conj", "appos"})


def _stated_as_the_products(token: Token) -> bool:
    """Whether ``token`` is a number, a name, or a noun in a has / made of / made in / comes in frame."""
    if token.pos_ in ("NUM", "PROPN", "X"):
        return True
    head = token
    for _ in range(6):  # up the noun phrase to its head ("chest" of "two chest pockets" -> "pockets")
        if head.dep_ in _NP_LINKS and head.head.i != head.i and head.head.pos_ in ("NOUN", "PROPN"):
            head = head.head
        else:
            break
    governor = head.head
    if head.dep_ == "dobj":
        return governor.lemma_.lower() in _HAVE
    if head.dep_ == "pobj":
        prep, above = governor.lower_, governor.head
        if prep == "with":
            return True
        if prep == "of" and above.lower_ in words("quantity_words"):  # "a variety of sizes"
            return _stated_as_the_products(above)
        if prep in ("of", "from"):
            return above.lemma_.lower() in _MADE
        if prep == "in":
            return above.lemma_.lower() in _MADE or _offers(above)
        if prep == "on":  # "a logo on the chest": where a detail sits is a detail
            return above.pos_ in ("NOUN", "PROPN")
    return False


def addresses_the_reader(sentence: str) -> bool:
    """Whether ``sentence`` is an instruction: a bare verb leads it and nothing is its subject.

    Care advice ("Remove it at once when wet") and styling advice ("Pair this tee with denims") tell the
    reader what to do; no product record holds either, so a training target that keeps them teaches the
    drafter to write them for every product.
    """
    doc = parse(sentence)
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.tag_ != "VB":
        return False
    lead = next((t for t in doc if not (t.is_punct or t.pos_ in ("ADV", "INTJ", "CCONJ"))), None)
    subject = any(c.dep_ in _FINITE_SUBJECTS for c in root.children)
    return lead is not None and lead.i == root.i and not subject


def unverifiable(sentence: str, evidence: Sequence[str] | str) -> list[str]:
    """The content words of ``sentence`` that the evidence texts never use, in order.

    A word inside a lexicon mention is left to the claim judge; a number must appear in the evidence, and
    a care verb ("wash", "wipe") needs care in the evidence.
    """
    known = evidence_words(evidence if isinstance(evidence, str) else "\n".join(evidence))
    found = []
    # A care instruction is a fact like any other: it needs care in the evidence.
    care = CARE.search(sentence)
    if care and not any(CARE.search(w) for w in known):
        found.append(care.group(0))
    return found + [token.text for token in _unverified_tokens(sentence, known)]


def _unverified_tokens(sentence: str, known: frozenset[str]) -> list[Token]:
    """The parse tokens of ``sentence`` that are content words outside every mention and ``known``."""
    spans = [(m.start, m.end) for m in extract_mentions(sentence, garments=True)]
    free = _free_words()
    found = []
    for token in parse(sentence):
        if token.pos_ not in CONTENT_POS:
            continue
        word, lemma = token.lower_, token.lemma_.lower()
        if not any(c.isalnum() for c in word) or (word.isalpha() and len(word) < 2):
            continue
        if any(start <= token.idx < end for start, end in spans):
            continue
        if _claims_variants(token):
            # "available in various colours": the record's one colour does not state several.
            if word not in known:
                found.append(token)
            continue
        if word in known or lemma in known or lemma in free or word in free:
            continue
        found.append(token)
    return found


def _claims_variants(token: Token) -> bool:
    """Whether ``token`` says the product comes in several of a kind: "in various colours", "many sizes".

    A record describes one product, with one value of each attribute; a plural of an attribute's kind
    ("colours", "prints", "sizes") in an availability frame or under a word of variety claims others.
    """
    if token.tag_ != "NNS" or token.lemma_.lower() not in words("generic_heads") | {"size"}:
        return False
    head = token
    while head.dep_ == "conj" and head.head.i != head.i:  # "sizes and colours"
        head = head.head
    if any(child.lower_ in words("variety_words") for child in head.children):
        return True
    governor = head.head
    if head.dep_ == "pobj" and governor.lower_ == "of" and governor.head.lower_ in words("quantity_words"):
        head, governor = governor.head, governor.head.head  # "a range of prints"
    return head.dep_ == "pobj" and governor.lower_ == "in" and _offers(governor.head)


def _offers(word: Token) -> bool:
    """Whether ``word`` says the product is offered: "comes (in)", "is available (in)"."""
    if word.lemma_.lower() in _OFFERED:
        return True
    return any(c.dep_ == "acomp" and c.lemma_.lower() in _OFFERED for c in word.children)
