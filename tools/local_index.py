"""A local BM25 search index over pages or a product catalog: ``--search local:PATH``.

PATH is a JSONL file or folder of pages (url, title, text), or a catalog export (CSV or JSONL of product
records, gzip allowed). It serves offline users, private catalogs and intranets, and it is how the tests
and the evaluations run without the web. The built index is cached under the cache directory, keyed by
the files' paths, sizes and modification times, so a 40k-product catalog is tokenised once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from seamline.errors import IngestError, UsageError
from seamline.memory.ingest import RECORD_SUFFIXES, html_to_text, iter_records
from seamline.memory.records import is_catalog_record, record_id, record_title, render_catalog, render_text
from seamline.results import Evidence
from seamline.tools.matching import is_about_product, normalised_tokens, product_tokens

log = logging.getLogger(__name__)


def _bm25s():  # type: ignore[no-untyped-def]
    """Import bm25s, which sets its own logger to DEBUG on import; put it back to warnings only."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


INDEX_VERSION = "1"
RERANK_POOL = 50
"""BM25 candidates re-ranked by how exactly their title names the product."""
PAGE_SUFFIXES = (".html", ".htm", ".md", ".txt")
STOPWORDS = frozenset(
    "a an and are as at be by for from has in is it its of on or that the this to was with".split()
)


@dataclass(frozen=True)
class Doc:
    """One searchable document: a page or a catalog record."""

    kind: str  # "page" or "catalog"
    url: str
    title: str
    text: str


def tokenize(text: str) -> list[str]:
    """Tokens for BM25: normalised words without stopwords (the same for documents and queries)."""
    return [t for t in normalised_tokens(text) if t not in STOPWORDS]


def _record_doc(path: Path, line: int, record: dict[str, Any]) -> Doc | None:
    if is_catalog_record(record):
        rid = record_id(record) or f"{path.name}:{line}"
        return Doc("catalog", f"catalog:{rid}", record_title(record), render_catalog(record))
    text = render_text(record)
    if not text:
        return None
    url = str(record.get("url") or record.get("href") or f"{path.name}:{line}")
    return Doc("page", url, record_title(record), text)


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        suffixes = RECORD_SUFFIXES + PAGE_SUFFIXES
        return sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(suffixes))
    if not path.exists():
        raise UsageError(
            f"local search index {path} does not exist; pass local:PATH to a JSONL/CSV file or folder"
        )
    return [path]


def _load_docs(files: list[Path], include_ids: set[str] | None) -> tuple[list[Doc], int]:
    docs: list[Doc] = []
    skipped = 0
    for file in files:
        name = file.name.lower()
        if name.endswith(PAGE_SUFFIXES):
            raw = file.read_text(encoding="utf-8", errors="replace")
            title, text = html_to_text(raw) if name.endswith((".html", ".htm")) else (file.stem, raw)
            docs.append(Doc("page", file.resolve().as_uri(), title or file.stem, text))
            continue
        if not name.endswith(RECORD_SUFFIXES):
            raise IngestError(
                f"{file}: unsupported index file; use JSONL or CSV records, or a folder of pages"
            )
        warnings: list[str] = []
        before = len(docs)
        for line, record in iter_records(file, warnings):
            if include_ids is not None and (record_id(record) or "") not in include_ids:
                continue
            doc = _record_doc(file, line, record)
            if doc is None:
                skipped += 1
            else:
                docs.append(doc)
        skipped += sum(1 for w in warnings if w.endswith("; skipped"))
        if len(docs) == before and warnings and include_ids is None:
            raise IngestError(f"{file}: no usable rows ({warnings[0]})")
    return docs, skipped


def _cache_key(files: list[Path], include_ids: set[str] | None) -> str:
    h = hashlib.sha256(INDEX_VERSION.encode())
    for file in files:
        stat = file.stat()
        h.update(f"{file.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    if include_ids is not None:
        h.update("\0".join(sorted(include_ids)).encode())
    return h.hexdigest()[:24]


class LocalIndex:
    """BM25 (bm25s) over pages or catalog records; ``search`` returns Evidence."""

    def __init__(self, docs: list[Doc], retriever: Any, source: str = "", skipped: int = 0) -> None:
        self.docs = docs
        self._retriever = retriever
        self.source = source
        self.skipped = skipped
        self._by_url = {doc.url: i for i, doc in enumerate(docs)}

    def __len__(self) -> int:
        return len(self.docs)

    @classmethod
    def build(cls, docs: list[Doc], source: str = "", skipped: int = 0) -> LocalIndex:
        """Index ``docs`` in memory (the product name counts twice, so name matches rank first)."""
        bm25s = _bm25s()

        if not docs:
            raise IngestError(f"{source or 'the local index'}: no documents to index")
        retriever = bm25s.BM25()
        corpus = [tokenize(f"{d.title}\n{d.title}\n{d.text}") or ["_empty_"] for d in docs]
        retriever.index(corpus, show_progress=False)
        return cls(docs, retriever, source, skipped)

    @classmethod
    def from_path(
        cls, path: str | Path, *, cache_dir: Path | None = None, include_ids: Iterable[str] | None = None
    ) -> LocalIndex:
        """Load (or build and cache) the index of a file or folder; ``include_ids`` keeps only those."""
        path = Path(str(path).removeprefix("local:")).expanduser()
        files = _files(path)
        ids = {str(i) for i in include_ids} if include_ids is not None else None
        target = cache_dir / "local_index" / _cache_key(files, ids) if cache_dir is not None else None
        if target is not None and (target / "docs.jsonl").exists():
            try:
                return cls._load(target, str(path))
            except (OSError, ValueError, KeyError) as exc:
                log.warning("rebuilding the local index: cached copy at %s is unreadable (%s)", target, exc)
        docs, skipped = _load_docs(files, ids)
        if skipped:
            log.warning("%s: skipped %d malformed or empty rows", path, skipped)
        index = cls.build(docs, str(path), skipped)
        if target is not None:
            index._save(target)
        return index

    def _save(self, target: Path) -> None:
        """Write the index atomically: build in a temp folder, then rename it into place."""
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".build-"))
        try:
            self._retriever.save(str(tmp / "bm25"))
            with (tmp / "docs.jsonl").open("w", encoding="utf-8") as fh:
                fh.write(json.dumps({"source": self.source, "skipped": self.skipped}) + "\n")
                for doc in self.docs:
                    fh.write(json.dumps(asdict(doc), ensure_ascii=False) + "\n")
            os.replace(tmp, target)
        except OSError as exc:
            log.warning("cannot cache the local index under %s: %s", target.parent, exc)
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def _load(cls, target: Path, source: str) -> LocalIndex:
        bm25s = _bm25s()

        with (target / "docs.jsonl").open(encoding="utf-8") as fh:
            header = json.loads(fh.readline())
            docs = [Doc(**json.loads(line)) for line in fh]
        retriever = bm25s.BM25.load(str(target / "bm25"))
        return cls(docs, retriever, source or header.get("source", ""), int(header.get("skipped", 0)))

    def _evidence(self, i: int, rank: int, score: float | None, product: str) -> Evidence:
        doc = self.docs[i]
        return Evidence(
            id=f"{'cat' if doc.kind == 'catalog' else 'page'}{rank}",
            source=doc.kind,
            url=doc.url,
            title=doc.title,
            text=doc.text,
            about_product=is_about_product(product, doc.title, doc.text),
            score=None if score is None else round(score, 4),
        )

    def search(self, query: str, k: int = 5, *, product: str | None = None) -> list[Evidence]:
        """The ``k`` best BM25 matches; about_product is judged against ``product`` (or the query)."""
        vocab = self._retriever.vocab_dict
        tokens = [t for t in tokenize(query) if t in vocab]
        k = max(0, min(int(k), len(self.docs)))
        if not tokens or k == 0:
            return []
        # BM25 over title and text ranks a near-namesake with a shorter page above the product's own page;
        # take a wider pool and put pages whose title names the product (exactly, then up to plurals and
        # spelling) first.
        pool = min(len(self.docs), max(k * 10, RERANK_POOL))
        results, scores = self._retriever.retrieve([tokens], k=pool, show_progress=False, n_threads=1)
        hits = [(int(i), float(s)) for i, s in zip(results[0], scores[0], strict=True) if float(s) > 0]
        name = product or query
        exact = " ".join(name.lower().split())
        wanted = product_tokens(name)

        def title_rank(hit: tuple[int, float]) -> int:
            title = self.docs[hit[0]].title
            if " ".join(title.lower().split()) == exact:
                return 0
            return 1 if product_tokens(title) == wanted else 2

        hits = sorted(hits, key=title_rank)[:k]  # sorted() is stable: BM25 order within each rank
        return [self._evidence(i, rank, s, name) for rank, (i, s) in enumerate(hits, start=1)]

    def get(self, url: str) -> Evidence | None:
        """The document with this url (e.g. "catalog:15970"), or None."""
        i = self._by_url.get(url)
        return None if i is None else self._evidence(i, 1, None, self.docs[i].title)
