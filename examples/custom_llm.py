"""Draft (and plan) with any LangChain chat model, such as one behind an OpenAI-compatible endpoint.

    python examples/custom_llm.py --endpoint http://127.0.0.1:8000/v1 --model NAME   # needs langchain-openai
    python examples/custom_llm.py --fake                                  # a scripted chat model (the tests)

Seamline adapts the chat model at the boundary: its own settings (temperature, token limit) apply, it
may plan (a chat model is expected to follow a JSON schema; pass ChatModelLLM(model, can_plan=False) to
keep the fixed policy), and the critic checks its text like any other draft.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from seamline import Agent

PAGES = Path(__file__).parent / "shop_pages.jsonl"


class ScriptedChat(BaseChatModel):
    """A stand-in for a served model: it plans one product search, then drafts one fixed text."""

    @property
    def _llm_type(self) -> str:
        return "scripted-chat"

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        if "research planner" in str(messages[0].content):
            first = "Turn 1" in str(messages[-1].content)
            product = "Turtle Check Men Navy Blue Shirt"
            actions = [{"tool": "search_product", "args": {"product": product}}] if first else []
            text = json.dumps({"thoughts": "Find the product's page first.", "actions": actions})
        else:
            text = "A navy blue checked shirt for men, in soft organic cotton with long sleeves."
        return ChatResult(generations=[ChatGeneration(message=AIMessage(text))])


def chat_model(args: argparse.Namespace) -> BaseChatModel:
    if args.fake:
        return ScriptedChat()
    try:
        from langchain_openai import ChatOpenAI
    except ImportError:
        raise SystemExit(
            "this needs langchain-openai: pip install langchain-openai (or run with --fake)"
        ) from None
    return ChatOpenAI(
        base_url=args.endpoint, api_key=args.api_key, model=args.model, temperature=0.3, max_tokens=160
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--endpoint", default="http://127.0.0.1:8000/v1", help="the OpenAI-compatible base URL"
    )
    parser.add_argument("--model", default="default", help="the served model's name")
    parser.add_argument("--api-key", default="none", help="the endpoint's key, if it needs one")
    parser.add_argument("--fake", action="store_true", help="a scripted chat model instead of an endpoint")
    args = parser.parse_args()

    with Agent(llm=chat_model(args), search=f"local:{PAGES}", knowledge="none") as agent:
        result = agent.describe("Turtle Check Men Navy Blue Shirt")
    assert result.model is not None
    print(f"model: {result.model.name} ({result.model.backend})")
    print(f"draft: {result.draft}")
    print(f"final: {result.description}")
    for claim in result.removed:
        print(f"removed {claim.category} {claim.text!r}: {claim.verdict}")


if __name__ == "__main__":
    main()
