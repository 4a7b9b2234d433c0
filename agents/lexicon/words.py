"""Word lists of the lexicon (agents/vocab/words/*.json): closed-class and framing words, one list a role.

The lists live in data, not in code, so that the critic, the writer and the evaluation read the same
words and a list can be tested as a table. Unknown list names are an error, not an empty set.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

WORDS_DIR = Path(__file__).resolve().parent.parent / "vocab" / "words"
"""The folder of word-list data (package data of seamline.agents)."""


@functools.cache
def _function_lists() -> dict[str, frozenset[str]]:
    data = json.loads((WORDS_DIR / "function.json").read_text(encoding="utf-8"))
    return {name: frozenset(w.lower() for w in spec["words"]) for name, spec in data["lists"].items()}


def words(name: str) -> frozenset[str]:
    """The lower-case words of one list of function.json ("determiners", "calendar" ...)."""
    lists = _function_lists()
    if name not in lists:
        raise KeyError(f"no word list {name!r}; the lists are {', '.join(sorted(lists))}")
    return lists[name]


@functools.cache
def framing() -> frozenset[str]:
    """The catalog's framing lemmas (framing.json, built from the train split: seamline.finetune.framing)."""
    data = json.loads((WORDS_DIR / "framing.json").read_text(encoding="utf-8"))
    return frozenset(data["words"])


def list_names() -> list[str]:
    """The names of the word lists, sorted."""
    return sorted(_function_lists())
