"""Cleaning catalog copy into a training target: the prose of the copy, cut by the critic to its record.

`build-data` (seamline.finetune.data) reads the records; this module turns one record's copy into its
target. The copy's prose is taken without headers and care lists (``prose_description``); the critic cuts
what the record does not support, and a sentence the cut broke, emptied of facts, or left holding a
specific the record never states goes (``clean_target``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from seamline.results import Evidence

_HEADER = re.compile(
    r"^(composition|fitting|wash care|material|size & fit|care|features|model statistics)\s*:?$",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?]+[.!?]+|[^.!?]+$")
WORD = re.compile(r"[A-Za-z][\w'-]*")
"""A word, as targets are counted."""

COVERED = ("colour", "material", "pattern", "fit", "sleeve", "neck", "collar")
"""Attributes a target should state when the record does: the composed sentence adds the ones the
cleaned copy leaves out, so the model learns to cover the facts it is given."""

_ENTITY = re.compile(r"&\s?(rsquo|lsquo|rdquo|ldquo|ndash|mdash|bull|amp|quot|nbsp|trade|reg|euro);?")
_SPLIT_CONTRACTION = re.compile(r"(\w)' (s|t|re|ll|ve|d|m)\b")
"""HTML entities whose semicolon the export lost, some with a space after the ampersand ("it& rsquo s")."""
_ENTITY_TEXT = {
    "rsquo": "'", "lsquo": "'", "rdquo": '"', "ldquo": '"', "ndash": " - ", "mdash": " - ", "bull": " ",
    "amp": " & ", "quot": '"', "nbsp": " ", "trade": " ", "reg": " ", "euro": " EUR ",
}  # fmt: skip


def prose_description(text: str, *, min_chars: int = 40, max_chars: int = 700) -> str:
    """The prose of a catalog description: section headers, care lists and short fragments dropped."""
    from seamline.agents.critic.specifics import CARE

    text = _SPLIT_CONTRACTION.sub(r"\1'\2", _ENTITY.sub(lambda m: _ENTITY_TEXT[m.group(1)], text or ""))
    sentences = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if len(line) < 25 or _HEADER.match(line) or (CARE.search(line) and len(line) < 80):
            continue
        sentences.append(line if line.endswith((".", "!", "?")) else line + ".")
    prose = " ".join(sentences)
    if len(prose) > max_chars:
        cut = prose.rfind(". ", 0, max_chars)
        prose = prose[: cut + 1] if cut > min_chars else ""
    return prose if len(prose) >= min_chars else ""


@dataclass(frozen=True)
class Target:
    """A cleaned target and what cleaning it found."""

    text: str
    human: str
    composed: str
    mentions_before: int
    unsupported_before: int
    coverage: float
    """Share of the record's colour, material, pattern, fit, sleeve, neck and collar the copy states."""


def clean_target(
    product: str, copy: str, evidence: list[Evidence], *, max_words: int = 90, compose: bool = False
) -> Target:
    """The human copy cleaned against the evidence; with ``compose``, the writer's sentence for what it omits.

    Claims the evidence does not support are cut by the critic; sentences the cut emptied of facts, left
    with a grammar problem, that state a specific the evidence never uses (``critic.specifics``) or that
    give the reader advice are dropped (see ``writer.drop_emptied`` and ``grammar.problems``). The
    brand is written as the product name writes it (copy often has it in lower case).
    """
    from seamline.agents import writer
    from seamline.agents.critic import check
    from seamline.agents.critic.grammar import problems
    from seamline.agents.critic.specifics import CARE, addresses_the_reader, unverifiable
    from seamline.agents.lexicon import details_from_evidence

    result = check(copy, evidence, product=product)
    before = len(result.claims) + len(result.removed)
    unsupported = len(result.removed)
    cleaned = writer.prose(writer.drop_emptied(result.description, copy))
    original = " ".join(copy.split())
    stated = [product, *(e.text for e in evidence)]
    kept: list[str] = []
    words = 0
    for sentence in _SENTENCE.findall(cleaned):
        sentence = sentence.strip()
        # A sentence the critic changed must read as well as one it left alone.
        if not sentence or (" ".join(sentence.split()) not in original and problems(sentence)):
            continue
        # A target teaches only what the record holds: a sentence with a specific it never states goes,
        # and so does advice inside the prose, care or styling (the care lists went with the headers).
        if unverifiable(sentence, stated) or CARE.search(sentence) or addresses_the_reader(sentence):
            continue
        n = len(WORD.findall(sentence))
        if n < 3:  # a label left from the page's layout ("Fit."), not a sentence
            continue
        if words + n > max_words:
            break
        kept.append(sentence)
        words += n
    human = _brand_as_named(" ".join(kept), product, evidence)
    every = details_from_evidence(product, evidence)
    details = [d for d in every if d.attribute in COVERED]
    missing = writer.unsaid(details, human) if human else details
    coverage = 1 - len(missing) / len(details) if details else 1.0
    text = human
    if compose:
        # What the writer adds at run time, added here: a model that learns it leaves the writer nothing.
        text = (
            writer.compose(product, human, every, evidence)
            if human
            else writer.lead_sentence(product, every, evidence)
        )
    composed = text.removeprefix(human).strip()
    return Target(text, human, composed, before, unsupported, coverage)


def _brand_as_named(text: str, product: str, evidence: list[Evidence]) -> str:
    """``text`` with the brand cased as in the product name ("from puma" -> "from Puma")."""
    from seamline.agents.lexicon import brand_names

    for brand in brand_names(evidence):
        named = re.search(r"(?<!\w)" + re.escape(brand) + r"(?!\w)", product, re.IGNORECASE)
        if named:
            pattern = re.compile(r"(?<!\w)" + re.escape(brand) + r"(?!\w)", re.IGNORECASE)
            text = pattern.sub(named.group(0), text)
    return text
