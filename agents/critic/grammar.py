"""Surface grammar checks for edited prose: what a cut can break (dangling words, doubled commas ...).

These are the checks the editor keeps true and the evaluation reports; they look only at the marks a
removal leaves behind, not at grammar in general.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from seamline.agents.lexicon.text import sentence_spans
from seamline.agents.lexicon.words import words

_CHECKS: dict[str, re.Pattern[str]] = {
    # ", ," / ",." / "; ." left where a phrase was taken out.
    "doubled_punctuation": re.compile(r"[,;:]\s*[,;:.!?]|(?<!\.)\.\s*[,;:]"),
    "space_before_punctuation": re.compile(r"[^\s]\s+[,;:](?=\s|$)|\w\s+\.(?=\s|$)"),
    # "made of ." / "with ," / "and ." / "a ." : a function word with nothing after it.
    "dangling_word": re.compile(
        r"\b(?:of|from|with|and|or|but|a|an|the|by|featuring|has|have|is|are|it['’]s|its|their|into|than|made|"
        r"crafted|do|not|priced|designed|tailored|finished|available|featuring|offered|comes\s+in|available\s+in)"
        r"\s*(?:[,;:.!?]|$)",
        re.IGNORECASE,
    ),
    # "with and" / "a with": a function word straight after a preposition or article.
    "broken_phrase": re.compile(
        r"\b(?:with|of|from|featuring)\s+(?:and|or|but|with|of|from)\b"
        r"|\b(?:a|an|the)\s+(?:and|or|but|with|of|from|a|an|the)\b"
        r"|\b(?:is|are|was|were|be|in|at|for|to)\s+(?:and|or|but)\b"
        r"|\b(?:it['’]s|is|are)\s+with\b"  # "It's with a collar": the participle before "with" went
        r"|\b(?:is|are)\s+(?:features|comes|has|have|offers|boasts|provides|adds|includes|keeps|gives|makes)\b"
        r"|(?:^|[.!?]\s+)(?:ideal|perfect|great|suitable|made|crafted|designed)\s+(?:it|this|these|you|they)\b",
        re.IGNORECASE,
    ),
    "empty_sentence": re.compile(r"(?:^|[.!?]\s+)[,;:.!?]|^\s*[,;:]", re.MULTILINE),
    "sentence_starts_lowercase": re.compile(r"(?:^|[.!?]\s+)[a-z]", re.MULTILINE),
    "doubled_word": re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE),
    "article_mismatch": re.compile(
        r"\ban\s+(?!(?:hour|honest|heir|honou?r|x-|mba|fbi|l\b|m\b|n\b|s\b|f\b|h\b|r\b))[b-df-hj-np-tv-z]\w*"
        r"|\ba\s+(?!(?:uni|use|usu|eu|one|once|ur|ut|u\b|ub|uk|e\b))[aeiou]\w*",
        re.IGNORECASE,
    ),
}


@functools.cache
def _verb() -> re.Pattern[str]:
    """A verb form that makes a sentence a clause (the finite_verbs word list)."""
    alts = "|".join(re.escape(w) for w in sorted(words("finite_verbs"), key=lambda w: (-len(w), w)))
    return re.compile(rf"(?<![\w'’])(?:{alts})(?![\w'’])", re.IGNORECASE)


CHECK_NAMES = (*_CHECKS, "fragment")


def problems(text: str) -> Counter[str]:
    """How many times each check fires on ``text``."""
    found: Counter[str] = Counter()
    for name, pattern in _CHECKS.items():
        n = sum(1 for _ in pattern.finditer(text))
        if n:
            found[name] = n
    # A sentence that had a verb and lost it: counted as sentences without one.
    verbless = sum(
        1 for a, b in sentence_spans(text) if re.search(r"\w", text[a:b]) and not _verb().search(text[a:b])
    )
    if verbless:
        found["fragment"] = verbless
    return found


def new_problems(before: str, after: str) -> Counter[str]:
    """Problems ``after`` has that ``before`` did not (an edit may keep, never add, problems)."""
    return problems(after) - problems(before)
