"""Search, knowledge and tools a user injects into ``Agent``, adapted to Seamline's tools at the boundary.

What a user's part returns may be Seamline ``Evidence``, LangChain ``Document`` objects, dicts (a catalog
record, or a page with url, title and text) or plain text; each becomes Evidence here. An exception from
a user's code becomes the error research knows: ``SearchError`` for a search or knowledge source (a
failed source, a warning), ``ToolError`` for an added tool (shown to the planner). Seamline's own errors
pass through unchanged.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from seamline.errors import SeamlineError, SearchError, ToolError, UsageError, first_line
from seamline.memory.records import is_catalog_record, record_id, record_title, render_catalog, render_text
from seamline.results import Evidence
from seamline.tools.matching import is_about_product

Finder = Callable[[str, int], Iterable[Any]]
"""``finder(query, k)``: up to k results for a query."""


def _first_line(text: str, limit: int = 120) -> str:
    line = text.strip().split("\n", 1)[0].strip()
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def to_evidence(item: Any, *, source: str, part: str) -> Evidence:
    """One result of a user's part as Evidence; a result of no known kind is an error naming the part."""
    if isinstance(item, Evidence):
        return item
    if hasattr(item, "page_content") and hasattr(item, "metadata"):  # a LangChain Document
        meta = dict(item.metadata or {})
        text = str(item.page_content)
        url = meta.get("url") or meta.get("source") or meta.get("id") or getattr(item, "id", None)
        title = str(meta.get("title") or meta.get("name") or _first_line(text))
        return Evidence(id="doc", source=source, url=str(url) if url else None, title=title, text=text)
    if isinstance(item, Mapping):
        record = dict(item)
        if is_catalog_record(record):
            rid = record_id(record) or record_title(record)
            return Evidence(
                id="doc",
                source="catalog",
                url=f"catalog:{rid}",
                title=record_title(record),
                text=render_catalog(record),
            )
        text = render_text(record)
        url = record.get("url") or record.get("href") or record.get("source")
        return Evidence(
            id="doc",
            source=source,
            url=str(url) if url else None,
            title=record_title(record) or _first_line(text),
            text=text,
        )
    if isinstance(item, str):
        return Evidence(id="doc", source=source, title=_first_line(item), text=item)
    raise SearchError(
        f"{part} returned {type(item).__name__}; expected Evidence, LangChain Documents, dicts or text"
    )


def _as_list(found: Any) -> list[Any]:
    if found is None:
        return []
    if isinstance(found, str | Mapping | Evidence) or hasattr(found, "page_content"):
        return [found]
    return list(found)


def finder_of(fn: Callable[..., Any]) -> Finder:
    """``fn(query, k)`` as a finder; a function of the query alone is called so and its results cut to k."""
    try:
        inspect.signature(fn).bind("query", 5)
    except TypeError:
        return lambda query, k: _as_list(fn(query))[:k]
    except ValueError:  # no signature to read (some builtins): assume (query, k)
        pass
    return lambda query, k: _as_list(fn(query, k))


def retriever_finder(retriever: Any) -> Finder:
    """A LangChain retriever as a finder (a retriever chooses its own k; the results are cut to k)."""
    return lambda query, k: _as_list(retriever.invoke(query))[:k]


def vectorstore_finder(store: Any) -> Finder:
    """A LangChain VectorStore as a finder: its similarity search."""
    return lambda query, k: _as_list(store.similarity_search(query, k=k))


def part_label(value: Any) -> str:
    """A short name for a user's part, for messages: a function's name, else its class."""
    name = getattr(value, "__name__", None) or type(value).__name__
    return str(name)


def _call(finder: Finder, query: str, k: int, part: str) -> list[Any]:
    try:
        return list(finder(query, k))
    except SeamlineError:
        raise
    except Exception as exc:  # a user's source may raise anything; it is a failed source, not a crash
        raise SearchError(f"{part} failed: {type(exc).__name__}: {first_line(exc)}") from exc


class DocumentSearch:
    """A user's search (a function or a LangChain retriever) behind the interface the search tools use."""

    def __init__(self, finder: Finder, label: str) -> None:
        self._finder = finder
        self.label = label

    def search(
        self, query: str, k: int = 5, *, product: str | None = None, fetch_top: int = 0
    ) -> list[Evidence]:
        """Up to ``k`` results for ``query`` as Evidence, each judged about ``product`` or not."""
        query = " ".join(query.split())
        if not query:
            raise UsageError("the search query is empty; pass the words to search for")
        part = f"search ({self.label})"
        found = [to_evidence(item, source="page", part=part) for item in _call(self._finder, query, k, part)]
        return [
            item.model_copy(
                update={
                    "id": f"s{i}",
                    "about_product": is_about_product(product or query, item.title, item.text),
                }
            )
            for i, item in enumerate(found[: max(1, k)], start=1)
        ]

    def close(self) -> None:
        """Nothing to release: the user's search is the user's to close."""


class KnowledgeSource:
    """A user's knowledge store (a VectorStore, a retriever or a function): general, never about a product."""

    def __init__(self, finder: Finder, label: str) -> None:
        self._finder = finder
        self.label = label

    def __call__(self, query: str, k: int = 4) -> list[Evidence]:
        """Up to ``k`` entries about ``query`` (source "knowledge", about_product False)."""
        query = " ".join(query.split())
        if not query:
            raise UsageError("the knowledge query is empty; pass the words to look up")
        part = f"knowledge ({self.label})"
        found = [
            to_evidence(item, source="knowledge", part=part) for item in _call(self._finder, query, k, part)
        ]
        return [
            item.model_copy(update={"id": f"kb{i}", "source": "knowledge", "about_product": False})
            for i, item in enumerate(found[: max(1, k)], start=1)
        ]

    def close(self) -> None:
        """Nothing to release."""


def langchain_tool_runner(tool: Any) -> Callable[..., list[Evidence]]:
    """Run a LangChain tool and read its output (or its artifact) as Evidence.

    The tool's own exceptions become ToolError, which research records on the step for the planner;
    Seamline's errors pass through.
    """

    def run(**kwargs: Any) -> list[Evidence]:
        try:
            if getattr(tool, "response_format", "content") == "content_and_artifact":
                call = {"name": tool.name, "args": kwargs, "id": f"seamline-{tool.name}", "type": "tool_call"}
                message = tool.invoke(call)
                output = (
                    message.artifact if getattr(message, "artifact", None) is not None else message.content
                )
            else:
                output = tool.invoke(kwargs)
        except SeamlineError:
            raise
        except Exception as exc:  # a user's tool may raise anything; the planner is told, the run goes on
            raise ToolError(f"{tool.name} raised {type(exc).__name__}: {first_line(exc)}") from exc
        part = f"tool {tool.name}"
        try:
            return [to_evidence(item, source="page", part=part) for item in _as_list(output)]
        except SearchError as exc:
            raise ToolError(str(exc)) from None

    return run
