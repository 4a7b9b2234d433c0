"""Fakes shared by the graph and API tests: an application's search and knowledge over in-memory pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from seamline.results import DescribeResult


@dataclass
class Page:
    """A page the fake search can return."""

    title: str
    text: str
    url: str


@dataclass
class FakeSearch:
    """An application's search function over a few pages, by word overlap; it fails on request.

    Injected as ``Agent(search=FakeSearch(...))``, it serves search_product, search_web and
    find_competitors through Seamline's real toolbox.
    """

    pages: Sequence[Page] = ()
    failing: bool = False
    queries: list[str] = field(default_factory=list)

    def __call__(self, query: str, k: int) -> list[dict[str, str]]:
        self.queries.append(query)
        if self.failing:
            raise ConnectionError("search backend unreachable")
        words = set(query.lower().split())
        scored = sorted(self.pages, key=lambda p: -len(words & set((p.title + " " + p.text).lower().split())))
        return [{"url": p.url, "title": p.title, "text": p.text} for p in scored[:k]]


@dataclass
class FakeKnowledge:
    """An application's knowledge lookup: a fixed list of general sentences."""

    texts: Sequence[str] = ()
    queries: list[str] = field(default_factory=list)

    def __call__(self, query: str, k: int) -> list[str]:
        self.queries.append(query)
        return list(self.texts[:k])


def tool_calls(result: DescribeResult) -> list[tuple[str, dict]]:
    """Every tool call a run made, in order, from its step log."""
    return [(a.tool, dict(a.args)) for s in result.steps if s.node == "research" for a in s.actions]


SHIRT = Page(
    title="Turtle Check Men Navy Blue Shirt",
    url="https://shop.example/turtle-check-navy",
    text="Navy blue checked shirt for men. Fabric: Cotton. Sleeve Length: Long Sleeves. Collar: Spread "
    "Collar. Fit: Slim Fit. Pattern: Checked.",
)
OTHER = Page(
    title="Turtle Men White Formal Shirt",
    url="https://shop.example/turtle-white",
    text="White formal shirt for men. Fabric: Polyester. Sleeve Length: Short Sleeves.",
)
