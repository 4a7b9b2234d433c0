"""Recorded runs to draw and report on: the real graph with a fake model and a fake toolbox."""

from __future__ import annotations

from seamline import Agent, DescribeResult
from seamline.llm.fake import FakeLLM
from tests.fakes import OTHER, SHIRT, FakeToolbox, Page

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
    agent = Agent(llm=FakeLLM([draft]), max_steps=2)
    agent._toolbox = FakeToolbox(pages=[NO_FIT, OTHER], knowledge=["Twill is a durable weave."])
    with agent:
        return agent.describe(PRODUCT)
