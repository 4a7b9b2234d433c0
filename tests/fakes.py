"""Fakes shared by the graph and API tests: a scripted toolbox over in-memory pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from seamline.errors import SearchError, UsageError
from seamline.results import Evidence


@dataclass
class Page:
    """A page the fake search can return."""

    title: str
    text: str
    url: str


@dataclass
class FakeToolbox:
    """Search over a few pages by word overlap; knowledge from a fixed list; failures on request."""

    pages: Sequence[Page] = ()
    knowledge: Sequence[str] = ()
    failing: set[str] = field(default_factory=set)
    calls: list[tuple[str, dict]] = field(default_factory=list)
    hook: Callable[[str, dict], None] | None = None

    @property
    def names(self) -> list[str]:
        return ["search_product", "search_web", "lookup_knowledge", "find_competitors"]

    def describe(self) -> str:
        return "\n".join(f"{n}(query: str, k: int = 5): look things up" for n in self.names)

    def call(self, name: str, **args: object) -> list[Evidence]:
        self.calls.append((name, dict(args)))
        if self.hook:
            self.hook(name, dict(args))
        if name not in self.names:
            raise UsageError(f"unknown tool {name!r}; valid tools: {', '.join(self.names)}")
        if name in self.failing:
            raise SearchError(f"{name}: source unreachable")
        query = str(args.get("query", args.get("product", ""))).lower().split()
        k = int(args.get("k", 5))  # type: ignore[call-overload]
        if name == "lookup_knowledge":
            return [
                Evidence(
                    id=f"k{i}",
                    source="knowledge",
                    title="glossary",
                    text=t,
                    url=f"kb:{i}",
                    about_product=False,
                )
                for i, t in enumerate(self.knowledge[:k])
            ]
        scored = sorted(
            self.pages, key=lambda p: -len(set(query) & set((p.title + " " + p.text).lower().split()))
        )
        source = {"find_competitors": "competitor", "search_web": "web"}.get(name, "page")
        return [
            Evidence(id=f"p{i}", source=source, title=p.title, text=p.text, url=p.url)
            for i, p in enumerate(scored[:k])
        ]

    def close(self) -> None:
        pass


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
