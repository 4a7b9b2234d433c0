"""Plain-text helpers the whole project shares: the one sentence splitter and the one a/an rule."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"[.!?]+(?=\s+(?:[^\sa-z0-9]|$)|$)|\n")
_ABBREVIATIONS = re.compile(
    r"\b(?:rs|no|vs|st|mr|ms|mrs|dr|e\.g|i\.e|approx|incl|etc|sr|jr|co|ltd)$", re.IGNORECASE
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence ranges: ends at . ! ? before a capital (not after "Rs.", "e.g."), and at line breaks.

    The ranges are contiguous: each starts where the previous one ended, so the pieces put back
    together are the text (ranges of whitespace alone are left out).
    """
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group(0) == "." and _ABBREVIATIONS.search(text, max(0, m.start() - 8), m.start()):
            continue
        end = m.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, stripped of surrounding whitespace."""
    return [text[a:b].strip() for a, b in sentence_spans(text)]


_CONSONANT_SOUND = re.compile(r"(?:uni|use|usu|eu|one|once|u\b|ur[aeiou])", re.IGNORECASE)
_SILENT_H = re.compile(r"(?:hour|honest|heir|honou?r)", re.IGNORECASE)


def indefinite_article(word: str) -> str:
    """The indefinite article for the word that follows: an organic, a uniform, an hour, an 8-panel."""
    word = word.strip()
    if _CONSONANT_SOUND.match(word):
        return "a"
    if _SILENT_H.match(word):
        return "an"
    return "an" if word[:1].lower() in "aeiou8" else "a"
