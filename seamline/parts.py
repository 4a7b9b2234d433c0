"""The parts ``Agent`` accepts, checked and adapted once, at construction.

Each part is either a setting (text, as on the command line) or an object: the object is adapted to
what the graph uses, and an object of no known kind is a TypeError that names what was expected.
LangChain types are recognised only when LangChain is already imported, so a plain ``Agent()`` never
imports it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from seamline.config import Settings

if TYPE_CHECKING:
    from seamline.llm.base import LLM
    from seamline.tools.injected import DocumentSearch
    from seamline.tools.local_index import LocalIndex
    from seamline.tools.toolbox import Tool

SEARCH_KINDS = (
    "'auto', 'web', 'local:PATH' or 'none', a path to a local index, a seamline LocalIndex, a LangChain "
    "retriever, or a function (query, k) -> documents"
)
KNOWLEDGE_KINDS = (
    "'local', 'none' or 'chroma+http://HOST:PORT', a seamline KnowledgeStore, a LangChain VectorStore or "
    "retriever, or a function (query, k) -> documents"
)


@dataclass
class Parts:
    """What a user injected, adapted; None where the settings decide."""

    overrides: dict[str, Any] = field(default_factory=dict)
    """Settings given as text (``search="none"``), merged into the settings like any other override."""
    llm: LLM | None = None
    search: DocumentSearch | None = None
    index: LocalIndex | None = None
    knowledge: Any = None
    """A lookup ``(query, k) -> list[Evidence]``."""
    tools: list[Tool] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    """Part name -> a short description of the injected object, recorded with the run's options."""


def _langchain(name: str) -> Any:
    """A LangChain base class when LangChain is loaded, else None (then no value can be an instance)."""
    if "langchain_core" not in sys.modules:
        return None
    if name == "retriever":
        from langchain_core.retrievers import BaseRetriever

        return BaseRetriever
    if name == "vectorstore":
        from langchain_core.vectorstores import VectorStore

        return VectorStore
    from langchain_core.tools import BaseTool

    return BaseTool


def _is(value: Any, kind: str) -> bool:
    cls = _langchain(kind)
    return cls is not None and isinstance(value, cls)


def settings_of(value: Any) -> Settings | None:
    """``settings=``: a Settings, a mapping of its fields, or None (the environment and config file)."""
    if value is None or isinstance(value, Settings):
        return value
    if isinstance(value, Mapping):
        return Settings.model_validate(dict(value))
    raise TypeError(
        f"settings must be a seamline Settings or a dict of its fields, not {type(value).__name__}"
    )


def adapt(
    *, llm: Any = None, search: Any = None, knowledge: Any = None, tools: Iterable[Any] | None = None
) -> Parts:
    """Check and adapt every injected part."""
    from seamline.tools.injected import part_label

    parts = Parts()
    if llm is not None:
        from seamline.llm.injected import as_llm

        parts.llm = as_llm(llm)
    if search is not None:
        _search(parts, search)
        if "search" not in parts.overrides:
            parts.labels["search"] = f"injected {part_label(search)}"
    if knowledge is not None:
        _knowledge(parts, knowledge)
        if "knowledge" not in parts.overrides:
            parts.labels["knowledge"] = f"injected {part_label(knowledge)}"
    if tools is not None:
        if isinstance(tools, str) or not isinstance(tools, Iterable):
            raise TypeError(f"tools must be a list of LangChain tools, not {type(tools).__name__}")
        parts.tools = [_tool(t) for t in tools]
    return parts


def _search(parts: Parts, value: Any) -> None:
    from seamline.tools.injected import DocumentSearch, finder_of, part_label, retriever_finder
    from seamline.tools.local_index import LocalIndex

    if isinstance(value, str):
        parts.overrides["search"] = value
    elif isinstance(value, os.PathLike):
        parts.overrides["search"] = f"local:{os.fspath(value)}"
    elif isinstance(value, LocalIndex):
        parts.index = value
    elif _is(value, "retriever"):
        parts.search = DocumentSearch(retriever_finder(value), part_label(value))
    elif callable(value) and not _is(value, "tool"):
        parts.search = DocumentSearch(finder_of(value), part_label(value))
    else:
        raise TypeError(f"search must be {SEARCH_KINDS}; not {type(value).__name__}")


def _knowledge(parts: Parts, value: Any) -> None:
    from seamline.memory.knowledge import KnowledgeStore
    from seamline.tools.injected import (
        KnowledgeSource,
        finder_of,
        part_label,
        retriever_finder,
        vectorstore_finder,
    )
    from seamline.tools.knowledge import KnowledgeLookup

    if isinstance(value, str):
        parts.overrides["knowledge"] = value
    elif isinstance(value, KnowledgeStore):
        parts.knowledge = KnowledgeLookup(Settings(), store=value)
    elif _is(value, "vectorstore"):
        parts.knowledge = KnowledgeSource(vectorstore_finder(value), part_label(value))
    elif _is(value, "retriever"):
        parts.knowledge = KnowledgeSource(retriever_finder(value), part_label(value))
    elif callable(value) and not _is(value, "tool"):
        parts.knowledge = KnowledgeSource(finder_of(value), part_label(value))
    else:
        raise TypeError(f"knowledge must be {KNOWLEDGE_KINDS}; not {type(value).__name__}")


def _tool(value: Any) -> Tool:
    from seamline.tools.toolbox import Tool, langchain_tool

    if isinstance(value, Tool):
        return value
    if _is(value, "tool"):
        return langchain_tool(value)
    raise TypeError(
        "each of tools must be a LangChain tool (a BaseTool, e.g. made with @tool from "
        f"langchain_core.tools), not {type(value).__name__}"
    )
