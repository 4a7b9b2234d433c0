"""Research tools: web search, local search index, page fetch, knowledge lookup, competitors."""

import threading

BACKEND_LOCK = threading.RLock()
"""Serialises the first construction of every backend. Research runs lookups in threads, and building a
backend imports heavy libraries (numpy, bm25s, chromadb, torch); two threads importing numpy at once fail
with "partially initialized module"."""
