"""Recorded runs to draw and report on: the real graph with a fake model and an injected fake search."""

from __future__ import annotations

from seamline import Agent, DescribeResult
from seamline.llm.fake import FakeLLM
from tests.fakes import OTHER, SHIRT, FakeKnowledge, FakeSearch, Page

PRODUCT = "Turtle Check Men Navy Blue Shirt"
DRAFT = (
    "This navy blue checked shirt for men is made of 100% cotton. It is waterproof and made in Italy. "
    "It has long sleeves and a spread collar."
)
# The shirt's own page without its fit: reflect finds the gap and loops back to plan until max_steps.
NO_FIT = Page(
    title=SHIRT.title,
    url=SHIRT.url,
    text="Navy blue checked shirt for men. Fabric: Cotton. Sleeve Length: Long Sleeves. Collar: Spread "
    "Collar. Pattern: Checked.",
)


def stopped_run(draft: str = DRAFT) -> DescribeResult:
    """A run that loops plan -> research -> reflect twice, is stopped by max_steps, and loses 3 claims."""
    search = FakeSearch(pages=[NO_FIT, OTHER])
    agent = Agent(
        llm=FakeLLM([draft]),
        search=search,
        knowledge=FakeKnowledge(["Twill is a durable weave."]),
        max_steps=2,
    )
    with agent:
        return agent.describe(PRODUCT)
