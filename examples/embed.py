"""Embed Seamline in an application: one Agent, its parts your own, called sync, async and streamed.

    python examples/embed.py            # the embedded default model (SmolLM2-135M and its adapter)
    python examples/embed.py --fake     # a scripted model instead, for a quick look (the tests run this)

Search is the shop's own function over its pages (here examples/shop_pages.jsonl); knowledge is a small
glossary function. Either could be a LangChain retriever or vector store instead.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from seamline import Agent
from seamline.llm import FakeLLM

PAGES = [json.loads(line) for line in (Path(__file__).parent / "shop_pages.jsonl").open()]
GLOSSARY = {  # the planner asks about the values the evidence states: "cotton", "spread collar", ...
    "cotton": "Cotton: A soft natural fibre that breathes well and is comfortable against the skin.",
    "spread collar": "Spread collar: A shirt collar whose points are angled wide apart.",
}


def shop_search(query: str, k: int) -> list[dict]:
    """The shop's search: pages sharing the most words with the query (a retriever would do as well)."""
    words = set(query.lower().split())
    ranked = sorted(PAGES, key=lambda page: -len(words & set(page["title"].lower().split())))
    return ranked[:k]


def glossary(query: str, k: int) -> list[str]:
    """General knowledge about the term asked for ("Term: definition" entries give general sentences)."""
    return [text for term, text in GLOSSARY.items() if term in query.lower()][:k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fake", action="store_true", help="a scripted model instead of the real one")
    args = parser.parse_args()
    llm = (
        FakeLLM(default="A navy blue checked shirt for men in cotton. It is waterproof.")
        if args.fake
        else None
    )

    agent = Agent(llm=llm, search=shop_search, knowledge=glossary, settings={"max_steps": 3})
    with agent:
        result = agent.describe("Turtle Check Men Navy Blue Shirt")  # sync, as before
        print("describe:", result.description)

        result = asyncio.run(agent.adescribe("Turtle Men White Formal Shirt"))  # async
        print("adescribe:", result.description)

        for event in agent.stream("describe Harbour Men Navy Blue Check Shirt"):  # typed events
            if event.type == "tool_called":
                print(f"  {event.type}: {event.tool} -> {event.observation.split(' -> ')[-1]}")
            elif event.type == "claim_removed":
                print(f"  {event.type}: {event.claim.text!r} ({event.claim.verdict})")
            elif event.type == "run_finished" and event.result is not None:
                print("stream:", event.result.description)

        report = agent.compete(
            "Turtle Check Men Navy Blue Shirt", catalog=Path(__file__).parent / "rival_shirts.csv"
        )
        print("compete:", report.summary)


if __name__ == "__main__":
    main()
