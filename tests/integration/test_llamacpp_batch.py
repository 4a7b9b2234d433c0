"""llama.cpp batched decoding on the shipped drafter: the same replies as one conversation at a time.

A conversation alone in the batching context runs the same arithmetic as ``create_chat_completion``, so
its reply must be identical, greedy or sampled. Several decoded together may round a matrix product
differently and tip a near-tie between two tokens; the test measures how many replies stay identical.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seamline.agents.drafter import draft_prompt
from seamline.config import Settings
from seamline.llm import load_llm
from seamline.llm.base import GenerationParams
from seamline.llm.llamacpp_batch import MultiSequence, chat_formatter
from seamline.results import Evidence

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def drafter():
    return load_llm(Settings(backend="llamacpp", device="cpu"))


@pytest.fixture(scope="module")
def prompts(drafter) -> list:
    pages = [json.loads(line) for line in (ROOT / "examples" / "shop_pages.jsonl").open(encoding="utf-8")]
    evidence = [Evidence(id="E1", source="page", title=p["title"], text=p["text"]) for p in pages[:6]]
    return [draft_prompt(drafter, e.title, [e]) for e in evidence]


@pytest.mark.parametrize("temperature", [0.0, 0.3])
def test_one_conversation_in_the_batching_context_gets_the_reply_it_gets_alone(
    drafter, prompts: list, temperature: float
) -> None:
    params = GenerationParams(temperature=temperature, seed=0, max_new_tokens=80, repetition_penalty=1.1)
    alone = [drafter.generate(messages, params) for messages in prompts]
    multi = MultiSequence(drafter._llama, chat_formatter(drafter._llama), n_seq=1)
    try:
        batched = [multi.generate([multi.prompt_tokens(messages)], params)[0] for messages in prompts]
    finally:
        multi.close()
    assert [g.text for g in batched] == [g.text for g in alone]
    assert [(g.completion_tokens, g.finish_reason) for g in batched] == [
        (g.completion_tokens, g.finish_reason) for g in alone
    ]


def test_conversations_decoded_together_keep_their_own_replies(drafter, prompts: list) -> None:
    params = GenerationParams(temperature=0.0, seed=0, max_new_tokens=80, repetition_penalty=1.1)
    alone = [drafter.generate(messages, params).text for messages in prompts]
    drafter.max_batch = 4
    together = [g.text for g in drafter.generate_batch(prompts, params)]
    same = sum(a == b for a, b in zip(alone, together, strict=True))
    print(f"identical replies decoded together: {same}/{len(prompts)}")
    # A mixed-up sequence id or position would give another product's words or none: each reply is its
    # own product's, and rounding can only tip a few near-ties.
    assert all(together)
    assert same >= len(prompts) // 2, list(zip(alone, together, strict=True))
