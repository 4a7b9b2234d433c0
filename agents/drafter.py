"""The drafter: the LLM writes the description from the product name and the evidence."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from seamline.agents import prompts
from seamline.llm.base import LLM, GenerationParams, Message, model_info
from seamline.results import Evidence, Usage

_ROLE_PREFIX = re.compile(r"^\s*(assistant|description|product description)\s*:\s*", re.IGNORECASE)
_MAX_LOOP_WORDS = 30
_ECHO = re.compile(
    r"\[(?:name|E\d+)(?:,\s*(?:name|E\d+))*\]|\((?:product|general)\)|^\s*facts about this product:?",
    re.IGNORECASE,
)
"""Pieces of the prompt's fact list that a small model copies into its reply."""
_KEY_LINE = re.compile(r"^[\w'&/ -]{1,40}:\s*[^.!?]{0,80}[.]?$")
"""A copied fact line ("Fabric: Cotton"): the facts are listed under the description as details anyway."""
_LABELS = re.compile(r"(?:^|\s)(?:product name|product description|product details|description)\s*:\s*", re.I)
_SENTENCE = re.compile(r"[^.!?]+[.!?]+|[^.!?]+$")


def collapse_repeats(text: str) -> str:
    """Keep one copy of phrases repeated back to back, and of sentences said twice.

    Small models loop ("a variety of fabrics, a variety of fabrics, ..."). Words are compared without
    case and punctuation; of a run of copies the last is kept, since it carries the closing punctuation.
    """
    words = text.split()
    keys = [re.sub(r"[^\w%]", "", w.lower()) for w in words]
    kept_words: list[str] = []
    i = 0
    while i < len(words):
        step = 1
        for n in range(min(_MAX_LOOP_WORDS, (len(words) - i) // 2), 0, -1):
            if keys[i : i + n] == keys[i + n : i + 2 * n] and any(keys[i : i + n]):
                j = i + n
                while keys[i : i + n] == keys[j + n : j + 2 * n]:
                    j += n
                i = j  # skip to the last copy
                step = 0
                break
        if step:
            kept_words.append(words[i])
            i += 1
    text = " ".join(kept_words)
    seen: set[str] = set()
    kept: list[str] = []
    for sentence in _SENTENCE.findall(text):
        key = " ".join(sentence.lower().split())
        if key and key not in seen:
            seen.add(key)
            kept.append(sentence.strip())
    return " ".join(kept)


def _says_something(sentence: str, product: str) -> bool:
    """False for a sentence that only repeats the product name and labels ("X: X Product details.")."""
    rest = sentence.lower().replace(product.lower(), " ") if product else sentence.lower()
    words = [w for w in re.findall(r"[a-z0-9%]+", rest) if w not in {"product", "details", "name", "the"}]
    return len(words) >= 3


def tidy(text: str, product: str = "") -> str:
    """Clean model output: no role prefixes, headings, bullets, copied facts or a sentence cut off mid-way."""
    text = _ROLE_PREFIX.sub("", _ECHO.sub("", text.strip()))
    lines = [ln.strip().lstrip("-*#• ").strip() for ln in text.splitlines()]
    text = " ".join(ln for ln in lines if ln and not _KEY_LINE.match(ln))
    text = _LABELS.sub(" ", text)
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
    sentences = [s.strip() for s in _SENTENCE.findall(collapse_repeats(text))]
    return " ".join(s for s in sentences if _says_something(s, product))


def _generate(
    llm: LLM, messages: list[Message], params: GenerationParams, on_token: Callable[[str], None] | None
) -> tuple[str, Usage]:
    """Generate, streaming the pieces to ``on_token`` when given."""
    if on_token is None:
        reply = llm.generate(messages, params)
        return reply.text, Usage(prompt_tokens=reply.prompt_tokens, completion_tokens=reply.completion_tokens)
    pieces: list[str] = []
    for piece in llm.stream(messages, params):
        pieces.append(piece)
        on_token(piece)
    # A stream reports no usage; count its pieces (about one token each) and leave the prompt uncounted.
    return "".join(pieces), Usage(completion_tokens=len(pieces))


def draft_prompt(llm: LLM, product: str, evidence: Sequence[Evidence]) -> list[Message]:
    """The compact prompt for a model tuned on it (its adapter's card says so); else the few-shot one."""
    if model_info(llm).prompt_format == prompts.TUNED_FORMAT:
        return prompts.tuned_messages(product, evidence)
    return prompts.draft_messages(product, evidence, general=llm.can_plan)


def draft(
    llm: LLM,
    params: GenerationParams,
    product: str,
    evidence: Sequence[Evidence],
    *,
    on_token: Callable[[str], None] | None = None,
) -> tuple[str, Usage]:
    """Write the first draft, in the prompt the model suits: its tuning prompt, else worked examples."""
    messages = draft_prompt(llm, product, evidence)
    text, usage = _generate(llm, messages, params, on_token)
    return tidy(text, product), usage


def revise(
    llm: LLM,
    params: GenerationParams,
    product: str,
    evidence: Sequence[Evidence],
    cleaned: str,
    removed: Sequence[str],
    *,
    on_token: Callable[[str], None] | None = None,
) -> tuple[str, Usage]:
    """Rewrite once, told which claims were removed."""
    messages = prompts.revise_messages(draft_prompt(llm, product, evidence), product, cleaned, removed)
    text, usage = _generate(llm, messages, params, on_token)
    return tidy(text, product), usage
