"""The research tools the planner may call, built from the settings, each returning Evidence.

Tool docstrings are what the planner (and any LangChain agent) sees; clients and settings are injected
here and never appear in a tool's argument schema. Backends open lazily, at a tool's first call.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from seamline.config import Settings
from seamline.errors import ConfigError, IngestError, KnowledgeStoreError, ModelError, SearchError, UsageError
from seamline.results import Evidence
from seamline.tools import BACKEND_LOCK
from seamline.tools.competitors import find_competitors
from seamline.tools.fetch import fetch_page
from seamline.tools.injected import DocumentSearch, langchain_tool_runner
from seamline.tools.knowledge import KnowledgeLookup
from seamline.tools.local_index import LocalIndex
from seamline.tools.web import WebSearch

FETCH_TOP = 2
"""search_product on the web also fetches this many result pages (those about the product first)."""


class ProductArgs(BaseModel):
    """Arguments of the product tools."""

    product: str = Field(min_length=1, description="The product name, e.g. 'Nike Men Navy Blue T-Shirts'.")
    k: int = Field(5, ge=1, le=20, description="Most results to return.")


class QueryArgs(BaseModel):
    """Arguments of web search."""

    query: str = Field(min_length=1, description="What to search for.")
    k: int = Field(5, ge=1, le=20, description="Most results to return.")


class KnowledgeArgs(BaseModel):
    """Arguments of the knowledge lookup."""

    query: str = Field(min_length=1, description="The fashion term or question to look up.")
    k: int = Field(4, ge=1, le=20, description="Most entries to return.")


class UrlArgs(BaseModel):
    """Arguments of page fetching."""

    url: str = Field(min_length=1, description="An http(s) URL, usually from a search result.")
    product: str = Field("", description="The product, to judge whether the page is about it.")


@dataclass(frozen=True)
class Tool:
    """One tool: its name, argument model, description (what the LLM sees) and implementation."""

    name: str
    args: type[BaseModel]
    description: str
    run: Callable[..., list[Evidence]]

    def signature(self) -> str:
        """``name(arg: type = default, ...)`` from the argument model."""
        parts = []
        for field_name, field in self.args.model_fields.items():
            kind = getattr(field.annotation, "__name__", str(field.annotation))
            parts.append(f"{field_name}: {kind}" + ("" if field.is_required() else f" = {field.default!r}"))
        return f"{self.name}({', '.join(parts)})"


class _Lazy:
    """A backend created at first use, once, thread-safely."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._value: Any = None
        self._lock = threading.Lock()

    def get(self) -> Any:
        """The backend, built on first call."""
        with self._lock:
            if self._value is None:
                with BACKEND_LOCK:
                    self._value = self._factory()
            return self._value


class Toolbox:
    """The tools available under the current settings; ``call`` validates arguments and runs one."""

    def __init__(
        self,
        tools: list[Tool],
        closers: list[Callable[[], None]] | None = None,
        *,
        extra: Sequence[Tool] = (),
    ) -> None:
        self._tools = {tool.name: tool for tool in tools}
        for tool in extra:
            if tool.name in self._tools:
                raise UsageError(
                    f"a tool named {tool.name!r} is already one of Seamline's ({', '.join(self._tools)}); "
                    "give yours another name"
                )
            self._tools[tool.name] = tool
        self.extra_names = [tool.name for tool in extra]
        """The tools the user added; only a planner that can plan calls them."""
        self._closers = closers or []

    @property
    def names(self) -> list[str]:
        """The tool names, in registration order."""
        return list(self._tools)

    def __contains__(self, name: object) -> bool:
        return name in self._tools

    def call(self, name: str, **args: Any) -> list[Evidence]:
        """Run tool ``name``; UsageError for an unknown tool or bad args, SearchError for source failures."""
        tool = self._tools.get(name)
        if tool is None:
            raise UsageError(f"unknown tool {name!r}; available: {', '.join(self.names) or 'none'}")
        try:
            parsed = tool.args.model_validate(args)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'args'}: {e['msg']}" for e in exc.errors()
            )
            raise UsageError(f"bad arguments for {tool.signature()}: {problems}") from exc
        extra = set(args) - set(tool.args.model_fields)
        if extra:
            raise UsageError(f"bad arguments for {tool.signature()}: unknown {', '.join(sorted(extra))}")
        try:
            return tool.run(**parsed.model_dump())
        except (KnowledgeStoreError, IngestError, ModelError) as exc:
            # A source that cannot be opened is a failed source: research warns and goes on without it.
            raise SearchError(f"{name}: {exc}") from exc

    def describe(self) -> str:
        """One line per tool (signature and description), for the planner's prompt."""
        return "\n".join(f"{tool.signature()}: {tool.description}" for tool in self._tools.values())

    def as_langchain_tools(self) -> list[Any]:
        """The tools as LangChain StructuredTools: content for the LLM, the Evidence list as the artifact."""
        from langchain_core.tools import StructuredTool

        def make(tool: Tool) -> Any:
            def run(**kwargs: Any) -> tuple[str, list[Evidence]]:
                found = self.call(tool.name, **kwargs)
                lines = [f"[{e.id}] {e.title} ({e.url}): {e.text[:500]}" for e in found]
                return "\n".join(lines) or "no results", found

            return StructuredTool.from_function(
                func=run,
                name=tool.name,
                description=tool.description,
                args_schema=tool.args,
                response_format="content_and_artifact",
            )

        return [make(tool) for tool in self._tools.values()]

    def close(self) -> None:
        """Close every backend that was opened."""
        for closer in self._closers:
            closer()


def search_mode(settings: Settings) -> tuple[str, Path | None]:
    """("web" | "local" | "none", path) from ``settings.search``; "auto" is web when ddgs is installed."""
    spec = settings.search.strip()
    if spec == "auto":
        return ("web" if importlib.util.find_spec("ddgs") is not None else "none"), None
    if spec in ("web", "none"):
        return spec, None
    if spec.startswith("local:") and spec[len("local:") :].strip():
        return "local", Path(spec[len("local:") :].strip()).expanduser()
    raise ConfigError(f"unknown search setting {spec!r}; use 'auto', 'web', 'local:PATH' or 'none'")


def langchain_tool(tool: Any) -> Tool:
    """A LangChain tool as a Seamline tool, its output (or artifact) read as Evidence.

    Its name, argument schema and description are what the planner sees.
    """
    run = langchain_tool_runner(tool)
    return Tool(tool.name, tool.get_input_schema(), tool.description or tool.name, run)


def build_toolbox(
    settings: Settings,
    *,
    web: WebSearch | None = None,
    index: LocalIndex | None = None,
    knowledge: Callable[[str, int], list[Evidence]] | None = None,
    search: DocumentSearch | None = None,
    extra: Sequence[Tool] = (),
) -> Toolbox:
    """The tools ``settings.search`` and ``settings.knowledge`` allow, then the ``extra`` tools.

    Backends may be injected: ``search`` (a user's search) or ``index`` (a local index) replaces the
    configured search, ``knowledge`` any lookup ``(query, k) -> Evidence`` replaces the knowledge store,
    ``web`` the web client (tests).
    """
    if search is not None:
        mode, path = "custom", None
    elif index is not None:
        mode, path = "local", None
    else:
        mode, path = search_mode(settings)
    tools: list[Tool] = []
    closers: list[Callable[[], None]] = []
    web_backend = _Lazy(lambda: web or WebSearch(settings))
    index_backend = _Lazy(lambda: index or LocalIndex.from_path(path or "", cache_dir=settings.cache_dir))

    if mode == "local":

        def search_product(product: str, k: int) -> list[Evidence]:
            return list(index_backend.get().search(product, k=k, product=product))

        def competitors(product: str, k: int) -> list[Evidence]:
            return find_competitors(product, k, index=index_backend.get())

    elif search is not None:
        custom = search

        def search_product(product: str, k: int) -> list[Evidence]:
            return custom.search(product, k=k, product=product)

        def competitors(product: str, k: int) -> list[Evidence]:
            return find_competitors(product, k, web=custom)

    else:

        def search_product(product: str, k: int) -> list[Evidence]:
            return list(web_backend.get().search(product, k=k, product=product, fetch_top=FETCH_TOP))

        def competitors(product: str, k: int) -> list[Evidence]:
            return find_competitors(product, k, web=web_backend.get())

    if mode in ("web", "local", "custom"):
        tools.append(
            Tool(
                "search_product",
                ProductArgs,
                "Find this product's own catalog record or web page: its labelled attributes and the "
                "seller's description. The best evidence for product-specific claims.",
                search_product,
            )
        )
    if mode == "custom" and search is not None:
        custom_search = search
        tools.append(
            Tool(
                "search_web",
                QueryArgs,
                "Search for anything (the application's own search); returns documents with their text.",
                lambda query, k: custom_search.search(query, k=k),
            )
        )
    if mode == "web":
        tools.append(
            Tool(
                "search_web",
                QueryArgs,
                "Search the web; returns result titles, URLs and snippets.",
                lambda query, k: list(web_backend.get().search(query, k=k)),
            )
        )
        tools.append(
            Tool(
                "fetch_page",
                UrlArgs,
                "Fetch a web page (usually a search result) and return its readable text.",
                lambda url, product: [fetch_page(url, settings, product=product or None)],
            )
        )
    if knowledge is not None or settings.knowledge.strip() != "none":
        lookup = knowledge or KnowledgeLookup(settings)
        closer = getattr(lookup, "close", None)
        if closer is not None:
            closers.append(closer)
        tools.append(
            Tool(
                "lookup_knowledge",
                KnowledgeArgs,
                "Look up general fashion knowledge: what a fabric, fibre, weave, fit, neckline, collar, "
                "sleeve, closure, pattern or care term means. It says nothing about any specific product.",
                lambda query, k: lookup(query, k),
            )
        )
    if mode in ("web", "local", "custom"):
        tools.append(
            Tool(
                "find_competitors",
                ProductArgs,
                "Find similar products of other brands, for comparison; never evidence about this product.",
                competitors,
            )
        )
    return Toolbox(tools, closers, extra=extra)
