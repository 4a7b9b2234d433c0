"""The fashion knowledge store: Chroma collections of embedded chunks, one collection per source.

A source is one path given to ``add`` (a file or a folder), or the default pack that ships with Seamline.
Chunk ids are derived from content, so adding a file twice adds nothing. Embeddings come from MiniLM
(``memory/embedder.py``) and are passed to Chroma explicitly, so Chroma never downloads a model.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from seamline.config import Settings
from seamline.errors import ConfigError, IngestError, KnowledgeStoreError, UsageError
from seamline.memory.embedder import Embedder, default_embedder
from seamline.memory.ingest import Chunk, discover, load_file
from seamline.results import Evidence

log = logging.getLogger(__name__)

PACK_PATH = Path(__file__).resolve().parent / "packs" / "fashion_glossary.md"
PACK_SOURCE = "seamline:fashion-glossary"
BATCH = 256
_PREFIX = "sl-"

Progress = Callable[[int, int], None]
"""Called as ``progress(chunks_done, chunks_total)`` while adding."""


class IngestReport(BaseModel):
    """What ``add`` did."""

    files: int = Field(0, description="Files read.")
    chunks_added: int = Field(0, description="New chunks embedded and stored.")
    chunks_skipped: int = Field(0, description="Chunks already in the store (same content).")
    errors: list[str] = Field(default_factory=list, description="One line per file or row that was skipped.")
    sources: list[str] = Field(default_factory=list, description="The sources written to.")


class SourceInfo(BaseModel):
    """One source in the store."""

    source: str
    chunks: int
    path: str = ""
    added_at: str = ""


def collection_name(source: str) -> str:
    """A valid Chroma collection name for a source: readable slug plus a hash of the full name."""
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", source).strip("-")[:40] or "source"
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()[:10]
    return f"{_PREFIX}{slug}-{digest}"


def _reset_hint(location: str) -> str:
    return (
        f"if it is corrupt, move it aside or delete it (rm -r '{location}') and add your documents again; "
        "if another Seamline process is using it, wait for that process to finish"
    )


class KnowledgeStore:
    """Add, search, list and remove general fashion knowledge; every lookup returns Evidence."""

    def __init__(self, client: Any, location: str, embedder: Embedder | None = None) -> None:
        self._client = client
        self.location = location
        self._embedder = embedder
        self._pack_checked = False

    @classmethod
    def open(cls, settings: Settings, *, embedder: Embedder | None = None) -> KnowledgeStore:
        """Open the store ``settings.knowledge`` names: "local" (Chroma in the data dir) or chroma+http://."""
        spec = settings.knowledge.strip()
        try:
            import chromadb
            from chromadb.config import Settings as ChromaSettings
        except ImportError as exc:
            raise KnowledgeStoreError("the knowledge store needs chromadb: pip install chromadb") from exc
        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if spec == "local":
            location = str(settings.knowledge_dir)
            settings.ensure_data_dir()
            try:
                settings.knowledge_dir.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=location, settings=chroma_settings)
                client.list_collections()
            except Exception as exc:  # Chroma raises many types here, some from its Rust core
                raise KnowledgeStoreError(
                    f"cannot open the knowledge store at {location} ({exc}); {_reset_hint(location)}"
                ) from exc
        elif spec.startswith(("chroma+http://", "chroma+https://")):
            parts = urlsplit(spec.removeprefix("chroma+"))
            if not parts.hostname:
                raise ConfigError(f"knowledge store {spec!r} has no host; use chroma+http://HOST:PORT")
            location = spec
            try:
                client = chromadb.HttpClient(
                    host=parts.hostname,
                    port=parts.port or (443 if parts.scheme == "https" else 8000),
                    ssl=parts.scheme == "https",
                    settings=chroma_settings,
                )
                client.heartbeat()
            except Exception as exc:
                raise KnowledgeStoreError(
                    f"cannot reach the Chroma server at {spec} ({exc}); start it or set --knowledge local"
                ) from exc
        elif spec == "none":
            raise ConfigError(
                "the knowledge store is disabled (knowledge = 'none'); set it to 'local' to use it"
            )
        else:
            raise ConfigError(
                f"unknown knowledge store {spec!r}; use 'local', 'none' or chroma+http://HOST:PORT"
            )
        return cls(client, location, embedder)

    # --- plumbing ------------------------------------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        """The embedder, created on first use (the model loads at the first embedding)."""
        if self._embedder is None:
            self._embedder = default_embedder()
        return self._embedder

    @contextlib.contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        """Map Chroma's errors to one KnowledgeStoreError that names the store and how to reset it."""
        try:
            yield
        except (KnowledgeStoreError, IngestError, UsageError):
            raise
        except Exception as exc:  # Chroma raises many types, some from its Rust core
            raise KnowledgeStoreError(
                f"knowledge store at {self.location} failed to {what} ({exc}); {_reset_hint(self.location)}"
            ) from exc

    def _collections(self) -> list[Any]:
        with self._guard("list its collections"):
            found = self._client.list_collections()
            return [c for c in found if getattr(c, "name", "").startswith(_PREFIX) and c.metadata]

    def _collection(self, source: str, path: str = "") -> Any:
        metadata = {
            "seamline_source": source,
            "path": path,
            "embedder": self.embedder.name,
        }
        with self._guard("create a collection"):
            return self._client.get_or_create_collection(
                collection_name(source),
                metadata=metadata,
                configuration={"hnsw": {"space": "cosine"}},
                embedding_function=None,
            )

    def _annotate(self, collection: Any, **values: str) -> None:
        """Add keys to a collection's metadata (Chroma refuses a modify that repeats its hnsw keys)."""
        kept = {k: v for k, v in (collection.metadata or {}).items() if not k.startswith("hnsw:")}
        with self._guard("update collection metadata"):
            collection.modify(metadata={**kept, **values})

    def _write(
        self, collection: Any, source: str, chunks: list[Chunk], progress: Progress | None
    ) -> tuple[int, int]:
        added = skipped = 0
        total = len(chunks)
        for start in range(0, total, BATCH):
            batch = chunks[start : start + BATCH]
            with self._guard("read"):
                existing = set(collection.get(ids=[c.id for c in batch], include=[])["ids"])
            new = [c for c in batch if c.id not in existing]
            skipped += len(batch) - len(new)
            if new:
                vectors = self.embedder.embed([c.text for c in new])
                with self._guard("write"):
                    collection.upsert(  # upsert: a concurrent writer adding the same ids is harmless
                        ids=[c.id for c in new],
                        documents=[c.text for c in new],
                        embeddings=vectors,
                        metadatas=[{"title": c.title, "location": c.location, "source": source} for c in new],
                    )
                added += len(new)
            if progress is not None:
                progress(min(start + BATCH, total), total)
        return added, skipped

    # --- the API ---------------------------------------------------------------------------------------

    def add(
        self, paths: Iterable[Path | str], progress: Progress | None = None, source: str | None = None
    ) -> IngestReport:
        """Ingest files and folders; each path is one source (named by its file or folder name)."""
        report = IngestReport()
        for raw in paths:
            path = Path(raw).expanduser().resolve()  # chunk locations name the absolute path
            files, errors = discover([path])
            report.errors.extend(errors)
            chunks: list[Chunk] = []
            for file in files:
                try:
                    loaded = load_file(file)
                except IngestError as exc:
                    report.errors.append(str(exc))
                    continue
                report.files += 1
                report.errors.extend(loaded.warnings)
                chunks.extend(loaded.chunks)
            if not chunks:
                continue
            chunks = list({c.id: c for c in chunks}.values())
            name = source or path.resolve().name
            collection = self._collection(name, str(path.resolve()))
            added, skipped = self._write(collection, name, chunks, progress)
            self._annotate(collection, added_at=datetime.now(UTC).isoformat())
            report.chunks_added += added
            report.chunks_skipped += skipped
            report.sources.append(name)
        return report

    def ensure_default_pack(self) -> int:
        """Load the shipped fashion glossary unless this exact version is loaded; returns chunks added."""
        if self._pack_checked:
            return 0
        digest = hashlib.sha256(PACK_PATH.read_bytes()).hexdigest()[:16]
        for collection in self._collections():
            if (
                collection.metadata.get("seamline_source") == PACK_SOURCE
                and collection.metadata.get("pack") == digest
            ):
                self._pack_checked = True
                return 0
        loaded = load_file(PACK_PATH)
        chunks = [Chunk(c.id, c.text, c.title, f"pack:{PACK_PATH.name}#{c.title}") for c in loaded.chunks]
        collection = self._collection(PACK_SOURCE, f"pack:{PACK_PATH.name}")
        added, _ = self._write(collection, PACK_SOURCE, chunks, None)
        with self._guard("update the default pack"):
            keep = {c.id for c in chunks}
            stale = [i for i in collection.get(include=[])["ids"] if i not in keep]
            if stale:
                collection.delete(ids=stale)
        self._annotate(collection, pack=digest)
        self._pack_checked = True
        return added

    def search(self, query: str, k: int = 4) -> list[Evidence]:
        """The ``k`` chunks nearest in meaning to ``query``, as Evidence (source "knowledge").

        A chunk titled exactly ``query`` (a glossary entry for the term) comes first.
        """
        query = " ".join(query.split())
        if not query:
            raise UsageError("the knowledge query is empty; pass the words to look up")
        self.ensure_default_pack()
        collections = self._collections()
        if not collections:
            return []
        vector = self.embedder.embed([query])[0]
        hits: list[tuple[float, str, str, dict[str, Any]]] = []
        for collection in collections:
            if collection.metadata.get("embedder") != self.embedder.name:
                log.warning("skipping source %s: embedded with a different model", collection.metadata)
                continue
            with self._guard("search"):
                count = collection.count()
                if count == 0:
                    continue
                result = collection.query(
                    query_embeddings=[vector],
                    n_results=min(k, count),
                    include=["documents", "metadatas", "distances"],
                )
            for cid, doc, meta, dist in zip(
                result["ids"][0],
                result["documents"][0],
                result["metadatas"][0],
                result["distances"][0],
                strict=True,
            ):
                hits.append((float(dist), cid, doc or "", dict(meta or {})))
        # An entry titled exactly as asked is the answer to a term lookup, however the embedding ranks it:
        # MiniLM puts "Hand wash" nearer to "machine wash" than "Machine wash" is.
        asked = query.lower()
        hits.sort(key=lambda hit: (str(hit[3].get("title", "")).lower() != asked, hit[0]))
        return [
            Evidence(
                id=f"kb{i}",
                source="knowledge",
                url=str(meta.get("location") or f"{meta.get('source', '')}#{cid}"),
                title=str(meta.get("title") or ""),
                text=doc,
                about_product=False,
                score=round(1.0 - dist, 4),
            )
            for i, (dist, cid, doc, meta) in enumerate(hits[:k], start=1)
        ]

    def list_sources(self) -> list[SourceInfo]:
        """Every source in the store with its chunk count, sorted by name."""
        infos = []
        for collection in self._collections():
            with self._guard("count chunks"):
                count = collection.count()
            meta = collection.metadata
            infos.append(
                SourceInfo(
                    source=str(meta.get("seamline_source")),
                    chunks=count,
                    path=str(meta.get("path", "")),
                    added_at=str(meta.get("added_at", "")),
                )
            )
        return sorted(infos, key=lambda info: info.source)

    def remove(self, source: str) -> int:
        """Delete a source (by name or by the path it was added from); returns the chunks deleted."""
        for collection in self._collections():
            meta = collection.metadata
            if source in (meta.get("seamline_source"), meta.get("path")) or (
                Path(source).expanduser().exists()
                and str(Path(source).expanduser().resolve()) == meta.get("path")
            ):
                with self._guard("delete a source"):
                    count = collection.count()
                    self._client.delete_collection(collection.name)
                if meta.get("seamline_source") == PACK_SOURCE:
                    self._pack_checked = True  # removed on purpose: do not reload it in this process
                return count
        known = ", ".join(info.source for info in self.list_sources()) or "none"
        raise UsageError(f"no knowledge source named {source!r}; sources: {known}")

    def close(self) -> None:
        """Release the client (Chroma keeps no open handles that need closing today)."""
        self._client = None
