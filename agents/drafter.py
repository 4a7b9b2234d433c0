"""The drafter: the LLM writes the description from the product name and the evidence."""

from __future__ import annotations

import re
from collections.abc import Sequence

from seamline.agents import prompts

from seamline.llm.base import LLM, GenerationParams
from seamline.results import Evidence, Usage

_ROLE_PREFIX = re.compile(r"^\s*(assistant|description|product description)\s*:\s*", re.IGNORECASE)


def tidy(text: str) -> str:
    """Clean model output: no role prefixes, headings, bullets or a sentence cut off mid-way."""
    text = _ROLE_PREFIX.sub("", text.strip())
    lines = [ln.strip().lstrip("-*#• ").strip() for ln in text.splitlines()]
    text = " ".join(ln for ln in lines if ln)
    text = re.sub(r"\s+", " ", text).strip()
    # A draft cut by max_new_tokens ends mid-sentence; keep only complete sentences when there are any.
    if text and text[-1] not in ".!?":
        cut = max(text.rfind(". "), text.rfind("! "), text.rfind("? "))
        if cut > 0:
            text = text[: cut + 1]
        else:
            text = text + "."
    return text


def draft(
    llm: LLM, params: GenerationParams, product: str, evidence: Sequence[Evidence]
) -> tuple[str, Usage]:
    """Write the first draft."""
    reply = llm.generate(prompts.draft_messages(product, evidence), params)
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
    reply = llm.generate(prompts.revise_messages(product, evidence, cleaned, removed), params)
    return tidy(reply.text), Usage(
        prompt_tokens=reply.prompt_tokens, completion_tokens=reply.completion_tokens
    )
