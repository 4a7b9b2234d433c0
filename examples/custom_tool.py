"""Add your own tool: a PIM lookup as a LangChain tool, offered to a planner that can plan.

    python examples/custom_tool.py --fake                        # a scripted planner (the tests run this)
    python examples/custom_tool.py --endpoint http://127.0.0.1:8000/v1 --model NAME   # a served model

The planner sees the tool's name, arguments and docstring; what it returns (here a record) becomes
evidence about the product. An exception inside the tool is recorded on the step and shown to the
planner, and the run goes on. The embedded default model cannot plan: with it the fixed policy plans,
the tool is not called, and the result's warnings say so.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from langchain_core.tools import tool

from seamline import Agent
from seamline.llm import FakeLLM, Message

PRODUCT = "Turtle Check Men Navy Blue Shirt"
PIM = {
    "TCS-001": {
        "name": PRODUCT,
        "brand": "Turtle",
        "Fabric": "Cotton",
        "Fit": "Slim Fit",
        "Sleeve Length": "Long Sleeves",
        "Wash Care": "Machine wash cold",
    }
}


@tool
def pim_lookup(product: str) -> dict:
    """Look a product up in the PIM by its name: the attributes the merchandising team entered."""
    for record in PIM.values():
        if record["name"].lower() == product.lower():
            return record
    raise LookupError(f"no PIM record named {product!r}")


def scripted_planner(messages: Sequence[Message]) -> str:
    """A stand-in for a model that plans: look the product up in the PIM, then stop; then draft."""
    if "research planner" not in messages[0]["content"]:
        return "A navy blue checked shirt for men in cotton, slim fit, with long sleeves. Made in Italy."
    first = "Turn 1" in messages[-1]["content"]
    actions = [{"tool": "pim_lookup", "args": {"product": PRODUCT}, "why": "the PIM record"}] if first else []
    return json.dumps({"thoughts": "The PIM has this product's attributes.", "actions": actions})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fake", action="store_true", help="a scripted planner instead of a model")
    parser.add_argument("--endpoint", help="an OpenAI-compatible endpoint whose model can plan")
    parser.add_argument("--model", default="default", help="the served model's name")
    args = parser.parse_args()
    options: dict = {"search": "none", "knowledge": "none"}
    if args.endpoint:
        options.update(backend="openai", endpoint=args.endpoint, model=args.model)
    llm = FakeLLM(default=scripted_planner, can_plan=True) if args.fake else None

    with Agent(llm=llm, tools=[pim_lookup], **options) as agent:
        result = agent.describe(PRODUCT)
    for step in result.steps:
        for action in step.actions if step.node == "research" else []:
            print(f"called {action.tool}({action.args})")
        if step.error:
            print(f"error shown to the planner: {step.error}")
    print(result.description)
    for claim in result.removed:
        print(f"removed {claim.category} {claim.text!r}: {claim.verdict}")
    for warning in result.warnings:
        print(f"warning: {warning}")


if __name__ == "__main__":
    main()
