"""The knowledge lookup tool: general fashion knowledge (never product-specific) from the knowledge store."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from seamline.config import Settings
from seamline.results import Evidence
from seamline.tools import BACKEND_LOCK

if TYPE_CHECKING:
    from seamline.memory.knowledge import KnowledgeStore


class KnowledgeLookup:
    """Looks terms up in the knowledge store, opened on first use (Chroma and the embedder load lazily)."""

    def __init__(self, settings: Settings, store: KnowledgeStore | None = None) -> None:
        self.settings = settings
        self._store = store
        self._lock = threading.Lock()

    @property
    def store(self) -> KnowledgeStore:
        """The open store (opening it, and loading the default pack, on first use)."""
        with self._lock:
            if self._store is None:
                with BACKEND_LOCK:
                    from seamline.memory.knowledge import KnowledgeStore

                    self._store = KnowledgeStore.open(self.settings)
            return self._store

    def __call__(self, query: str, k: int = 4) -> list[Evidence]:
        """General fashion knowledge about ``query`` (about_product is always False)."""
        return self.store.search(query, k=k)

    def close(self) -> None:
        """Close the store if it was opened."""
        if self._store is not None:
            self._store.close()
            self._store = None


def lookup_knowledge_tool(lookup: KnowledgeLookup) -> Any:
    """The lookup as a LangChain StructuredTool, for agents outside Seamline."""
    from langchain_core.tools import StructuredTool

    def lookup_knowledge(query: str, k: int = 4) -> tuple[str, list[Evidence]]:
        """Look up general fashion knowledge: what a fabric, weave, fit, neckline or care term means."""
        found = lookup(query, k)
        return "\n".join(f"[{e.id}] {e.title}: {e.text}" for e in found) or "no knowledge found", found

    return StructuredTool.from_function(lookup_knowledge, response_format="content_and_artifact")
