"""The drafter: the LLM writes the description from the product name and the evidence."""

from __future__ import annotations

import re
from collections.abc import Sequence

from seamline.agents import prompts

from seamline.llm.base import LLM, GenerationParams
from seamline.results import Evidence, Usage

_ROLE_PREFIX = re.compile(r"^\s*(assistant|description|product description)\s*:\s*", re.IGNORECASE)
_LOOP = re.compile(r"(\b.{6,200}?)(?:\s*\1\b)+")
"""A phrase repeated back to back ("a variety of fabrics, a variety of fabrics, ..."): small models loop."""
_ECHO = re.compile(
    r"\[(?:name|E\d+)(?:,\s*(?:name|E\d+))*\]|\((?:product|general)\)|^\s*facts about this product:?",
    re.IGNORECASE,
)
"""Pieces of the prompt's fact list that a small model copies into its reply."""
_SENTENCE = re.compile(r"[^.!?]+[.!?]+|[^.!?]+$")


def collapse_repeats(text: str) -> str:
    """Keep one copy of phrases repeated back to back, and of sentences said twice."""
    text = _LOOP.sub(r"\1", text)
    seen: set[str] = set()
    kept: list[str] = []
    for sentence in _SENTENCE.findall(text):
        key = " ".join(sentence.lower().split())
        if key and key not in seen:
            seen.add(key)
            kept.append(sentence.strip())
    return " ".join(kept)


def tidy(text: str) -> str:
    """Clean model output: no role prefixes, headings, bullets or a sentence cut off mid-way."""
    text = _ROLE_PREFIX.sub("", _ECHO.sub("", text.strip()))
    lines = [ln.strip().lstrip("-*#• ").strip() for ln in text.splitlines()]
    text = " ".join(ln for ln in lines if ln)
    text = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s+", " ", text)).strip()
    # A draft cut by max_new_tokens ends mid-sentence: keep the complete sentences, or else the complete
    # clauses, of the last one.
    if text and text[-1] not in ".!?":
        cut = max(text.rfind(". "), text.rfind("! "), text.rfind("? "))
        if cut > 0:
            text = text[: cut + 1]
        else:
            comma = text.rfind(", ")
            text = (text[:comma] if comma > 0 else text).rstrip(",;: ") + "."
    return collapse_repeats(text)


def draft(
    llm: LLM, params: GenerationParams, product: str, evidence: Sequence[Evidence]
) -> tuple[str, Usage]:
    """Write the first draft."""
    reply = llm.generate(prompts.draft_messages(product, evidence, general=llm.can_plan), params)
    return tidy(reply.text), Usage(
        prompt_tokens=reply.prompt_tokens, completion_tokens=reply.completion_tokens
    )


def revise(
    llm: LLM,
    params: GenerationParams,
    product: str,
    evidence: Sequence[Evidence],
    cleaned: str,
    removed: Sequence[str],
) -> tuple[str, Usage]:
    """Rewrite once, told which claims were removed."""
    messages = prompts.revise_messages(product, evidence, cleaned, removed, general=llm.can_plan)
    reply = llm.generate(messages, params)
    return tidy(reply.text), Usage(
        prompt_tokens=reply.prompt_tokens, completion_tokens=reply.completion_tokens
    )
