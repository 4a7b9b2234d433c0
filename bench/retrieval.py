"""Retrieval benchmark: knowledge-store ingest and query speed, and local-index query speed.

Each figure is printed next to a baseline measured side by side in this script:
- Chroma (HNSW) top-5 query vs brute-force numpy cosine over the same embeddings (and HNSW recall@5);
- bm25s query over the 40k train-split Myntra products vs a naive Python BM25 scan with the same scoring.

    python bench/retrieval.py            # 10k chunks (a few minutes on 2 cores)
    python bench/retrieval.py --large    # also 100k chunks: 100k / (ingest rate) s, 10+ minutes on 2 cores

Only train-split ids are read (../shared/data/splits/myntra_train_ids.txt).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

from seamline.config import Settings
from seamline.memory.ingest import Chunk, chunk_id
from seamline.memory.knowledge import KnowledgeStore
from seamline.memory.records import render_catalog
from seamline.tools.local_index import LocalIndex, tokenize

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def ms(values: list[float]) -> str:
    return f"p50 {pct(values, 50) * 1000:7.2f} ms  p95 {pct(values, 95) * 1000:7.2f} ms"


def train_records(data: Path) -> list[dict]:
    ids = set((data / "splits" / "myntra_train_ids.txt").read_text().split())
    with gzip.open(data / "myntra_products.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [r for r in map(json.loads, fh) if str(r["id"]) in ids]


def chunk_corpus(records: list[dict], n: int, chunk_chars: int) -> list[Chunk]:
    """n distinct chunks: the rendered records split as ingestion splits documents, at ``chunk_chars``."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_chars, chunk_overlap=0)
    chunks: dict[str, Chunk] = {}
    for record in records:
        for text in splitter.split_text(render_catalog(record)):
            cid = chunk_id(text)
            if cid not in chunks:
                chunks[cid] = Chunk(cid, text, text.splitlines()[0], "bench")
            if len(chunks) >= n:
                return list(chunks.values())
    sys.exit(f"only {len(chunks)} distinct chunks of {chunk_chars} characters; use a smaller --chunk-chars")


def bench_knowledge(records: list[dict], n: int, chunk_chars: int, queries: list[str]) -> None:
    chunks = chunk_corpus(records, n, chunk_chars)
    mean_chars = sum(len(c.text) for c in chunks) / len(chunks)
    print(f"  corpus {n:>7,} chunks, {mean_chars:.0f} characters on average (pieces of train-split records)")
    with tempfile.TemporaryDirectory() as tmp:
        store = KnowledgeStore.open(Settings(data_dir=Path(tmp)))
        store.embedder.embed(["warm up the model"])  # model load is not ingest throughput
        collection = store._collection("bench")
        start = time.perf_counter()
        store._write(collection, "bench", chunks, _progress)
        ingest = time.perf_counter() - start
        print(
            f"  ingest {n:>7,} chunks: {n / ingest:7.1f} chunks/s ({ingest:.0f} s, embedding + Chroma write)"
        )

        qvecs = store.embedder.embed(queries)
        full, chroma_only, brute = [], [], []
        got = collection.get(include=["embeddings"])
        ids = got["ids"]
        matrix = np.asarray(got["embeddings"], dtype=np.float32)
        recall_hits = 0
        for query, vec in zip(queries, qvecs, strict=True):
            t0 = time.perf_counter()
            store.embedder.embed([query])
            t1 = time.perf_counter()
            res = collection.query(query_embeddings=[vec], n_results=5, include=["distances"])
            t2 = time.perf_counter()
            scores = matrix @ np.asarray(vec, dtype=np.float32)
            top = np.argpartition(-scores, 5)[:5]
            exact = {ids[i] for i in top[np.argsort(-scores[top])]}
            t3 = time.perf_counter()
            full.append(t2 - t0)
            chroma_only.append(t2 - t1)
            brute.append(t3 - t2)
            recall_hits += len(exact & set(res["ids"][0]))
        print(f"  query  {n:>7,} chunks, top-5 with embedding:   {ms(full)}")
        print(f"  query  {n:>7,} chunks, Chroma HNSW only:        {ms(chroma_only)}")
        print(f"  query  {n:>7,} chunks, numpy brute force:      {ms(brute)}  (baseline)")
        ratio = pct(brute, 50) / pct(chroma_only, 50)
        recall = recall_hits / (5 * len(queries))
        print(f"  ratio  brute force / Chroma (p50): {ratio:.2f}x; HNSW recall@5 {recall:.3f}")


def _progress(done: int, total: int) -> None:
    print(f"\r  embedding {done:,}/{total:,}", end="", file=sys.stderr, flush=True)
    if done == total:
        print(file=sys.stderr)


class NaiveBM25:
    """The baseline: BM25 (bm25s's default Lucene k1, b and idf) by scanning every document."""

    def __init__(self, corpus: list[list[str]], k1: float = 1.5, b: float = 0.75) -> None:
        self.docs = [Counter(d) for d in corpus]
        self.lengths = [len(d) for d in corpus]
        self.avg = sum(self.lengths) / len(corpus)
        df = Counter(t for d in self.docs for t in d)
        n = len(corpus)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.k1, self.b = k1, b

    def top(self, query: list[str], k: int) -> list[int]:
        scores = []
        for i, (tf, length) in enumerate(zip(self.docs, self.lengths, strict=True)):
            norm = self.k1 * (1 - self.b + self.b * length / self.avg)
            s = sum(self.idf[t] * tf[t] * (self.k1 + 1) / (tf[t] + norm) for t in query if t in tf)
            scores.append((s, i))
        return [i for _, i in sorted(scores, reverse=True)[:k]]


def bench_local_index(data: Path, records: list[dict], queries: list[str]) -> None:
    ids = [str(r["id"]) for r in records]
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        index = LocalIndex.from_path(data / "myntra_products.jsonl.gz", cache_dir=Path(tmp), include_ids=ids)
        built = time.perf_counter() - start
        start = time.perf_counter()
        LocalIndex.from_path(data / "myntra_products.jsonl.gz", cache_dir=Path(tmp), include_ids=ids)
        cached = time.perf_counter() - start
    print(f"  build  {len(index):,} products: {built:.1f} s; load from cache: {cached:.1f} s")
    fast = []
    for q in queries:
        t0 = time.perf_counter()
        index.search(q, k=5)
        fast.append(time.perf_counter() - t0)
    naive = NaiveBM25([tokenize(f"{d.title}\n{d.title}\n{d.text}") for d in index.docs])
    slow, agree = [], 0
    for q in queries[:20]:
        t0 = time.perf_counter()
        top = naive.top(tokenize(q), 5)
        slow.append(time.perf_counter() - t0)
        agree += top[0] == index._by_url[index.search(q, k=1)[0].url]
    print(f"  query  bm25s, top-5 Evidence:        {ms(fast)}")
    print(f"  query  naive Python BM25 scan:       {ms(slow)}  (baseline, 20 queries)")
    print(
        f"  ratio  naive scan / bm25s (p50): {pct(slow, 50) / pct(fast, 50):.0f}x; same top-1 in {agree}/20"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument(
        "--large", action="store_true", help="also run 100k chunks (10+ minutes: 100k / the 10k ingest rate)"
    )
    parser.add_argument("--chunk-chars", type=int, default=250, help="chunk size (glossary entries are ~150)")
    parser.add_argument("--queries", type=int, default=100, help="queries per measurement")
    parser.add_argument("--skip-knowledge", action="store_true", help="only the local index")
    args = parser.parse_args()
    if not (args.data / "myntra_products.jsonl.gz").exists():
        sys.exit(f"shared data not found at {args.data}; pass --data")
    records = train_records(args.data)
    rng = random.Random(0)
    glossary = [
        json.loads(line)["terms"][0] for line in (args.data / "wordnet_fashion_glossary.jsonl").open()
    ]
    names = [r["productDisplayName"] for r in rng.sample(records, args.queries)]
    queries = [
        f"{g} {n}" if i % 2 else n
        for i, (g, n) in enumerate(zip(rng.sample(glossary, args.queries), names, strict=True))
    ]
    print(f"Seamline retrieval benchmark ({len(records):,} train-split products, {args.queries} queries)")
    if not args.skip_knowledge:
        print("knowledge store (Chroma PersistentClient + all-MiniLM-L6-v2):")
        for n in [10_000, 100_000] if args.large else [10_000]:
            bench_knowledge(records, n, args.chunk_chars, queries)
        if not args.large:
            print("  (100k chunks: run with --large; it takes 100k / the ingest rate above)")
    print("local index (bm25s over train-split Myntra products):")
    bench_local_index(args.data, records, names)


if __name__ == "__main__":
    main()
