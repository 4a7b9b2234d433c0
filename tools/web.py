"""Web search through ``ddgs``: backoff on rate limits, a hard wall-clock limit, results cached on disk.

Every failure (no network, an engine that refuses, a hung connection) becomes ``SearchError`` within
``settings.search_timeout`` seconds; research records it as a warning and goes on with other sources.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from seamline.config import Settings
from seamline.errors import SearchError, UsageError, first_line
from seamline.memory.cache import DiskCache
from seamline.results import Evidence
from seamline.tools.deadline import DeadlineExceeded, call_with_deadline
from seamline.tools.matching import is_about_product

log = logging.getLogger(__name__)

MAX_RESULTS = 25


class SearchClient(Protocol):
    """The part of ``ddgs.DDGS`` used here: text search returning dicts with title, href and body."""

    def text(self, query: str, *, max_results: int) -> list[dict[str, Any]]:
        """Search the web for ``query``."""
        ...


def _ddgs_client(timeout: float) -> SearchClient:
    try:
        from ddgs import DDGS
    except ImportError as exc:
        raise SearchError("web search needs the ddgs package: pip install ddgs") from exc
    return DDGS(timeout=max(1, int(timeout)))  # type: ignore[no-any-return]


def _is_rate_limit(exc: Exception) -> bool:
    try:
        from ddgs.exceptions import RatelimitException
    except ImportError:  # a fake client in tests may raise its own
        return type(exc).__name__ == "RatelimitException"
    return isinstance(exc, RatelimitException) or type(exc).__name__ == "RatelimitException"


def _search_errors() -> tuple[type[Exception], ...]:
    try:
        from ddgs.exceptions import DDGSException
    except ImportError:
        return (OSError,)
    return (DDGSException, OSError)


def parse_results(raw: list[dict[str, Any]], k: int) -> list[dict[str, str]]:
    """Keep the first ``k`` hits that have a URL, as {title, url, body}; tolerate missing fields."""
    hits: list[dict[str, str]] = []
    seen: set[str] = set()
    for item in raw:
        if not isinstance(item, dict):
            continue
        url = str(item.get("href") or item.get("url") or "").strip()
        if not url or url in seen:
            continue
        seen.add(url)
        title = str(item.get("title") or "").strip()
        body = str(item.get("body") or item.get("snippet") or "").strip()
        hits.append({"title": title, "url": url, "body": body})
        if len(hits) >= k:
            break
    return hits


class WebSearch:
    """Web search returning ``Evidence`` (source "web"); every failure is a ``SearchError``."""

    def __init__(
        self,
        settings: Settings,
        *,
        client_factory: Callable[[float], SearchClient] = _ddgs_client,
        cache: DiskCache | None = None,
        max_attempts: int = 3,
        backoff: float = 1.0,
    ) -> None:
        self.settings = settings
        self.timeout = settings.search_timeout
        self._client_factory = client_factory
        self._cache = (
            cache if cache is not None else DiskCache(settings.cache_dir / "web", settings.cache_ttl)
        )
        self.max_attempts = max_attempts
        self.backoff = backoff

    def search(
        self, query: str, k: int = 5, *, product: str | None = None, fetch_top: int = 0
    ) -> list[Evidence]:
        """Search the web for ``query``; ``fetch_top`` also fetches the readable text of the top pages."""
        query = " ".join(query.split())
        if not query:
            raise UsageError("the search query is empty; pass the words to search for")
        k = max(1, min(int(k), MAX_RESULTS))
        key = json.dumps(["web", query, k])
        cached = self._cache.get(key)
        if cached is not None:
            hits, retrieved_at = cached["hits"], datetime.fromisoformat(cached["retrieved_at"])
        else:
            hits, retrieved_at = self._search_live(query, k), datetime.now(UTC)
            self._cache.set(key, {"hits": hits, "retrieved_at": retrieved_at.isoformat()})
        evidence = [
            Evidence(
                id=f"web{i}",
                source="web",
                url=hit["url"],
                title=hit["title"],
                text=hit["body"],
                about_product=is_about_product(product or query, hit["title"], hit["body"]),
                retrieved_at=retrieved_at,
            )
            for i, hit in enumerate(hits, start=1)
        ]
        # Fetch the pages most likely to be about the product first.
        ranked = sorted(evidence, key=lambda e: not e.about_product)
        return evidence + self._fetch_pages(ranked[: max(0, fetch_top)], product or query)

    def _search_live(self, query: str, k: int) -> list[dict[str, str]]:
        deadline = time.monotonic() + self.timeout

        def attempt_all() -> list[dict[str, Any]]:
            for attempt in range(1, self.max_attempts + 1):
                try:
                    client = self._client_factory(self.timeout)
                    return list(client.text(query, max_results=k))
                except Exception as exc:
                    wait = self.backoff * 2 ** (attempt - 1)
                    if not _is_rate_limit(exc) or attempt == self.max_attempts:
                        raise
                    if time.monotonic() + wait >= deadline:
                        raise
                    log.info("web search rate-limited; retrying in %.1fs", wait)
                    time.sleep(wait)
            raise AssertionError("unreachable")

        try:
            raw = call_with_deadline(attempt_all, self.timeout, name="web-search")
        except DeadlineExceeded as exc:
            raise SearchError(f"web search timed out after {self.timeout:g}s; check the network") from exc
        except SearchError:
            raise
        except Exception as exc:
            if _is_rate_limit(exc):
                raise SearchError("the search engine is rate-limiting us; try again later") from exc
            if isinstance(exc, _search_errors()):
                raise SearchError(f"web search failed: {_why(exc)}") from exc
            raise
        return parse_results(raw, k)

    def _fetch_pages(self, hits: list[Evidence], product: str) -> list[Evidence]:
        from seamline.tools.fetch import fetch_page

        pages: list[Evidence] = []
        for hit in hits:
            try:
                page = fetch_page(hit.url or "", self.settings, cache=None)
            except SearchError as exc:
                log.warning("skipping page %s: %s", hit.url, exc)
                continue
            page.about_product = is_about_product(product, page.title or hit.title, page.text[:2000])
            pages.append(page)
        return pages


_OFFLINE_HINTS = ("dns", "resolve", "connect", "unreachable", "no route")


def _why(exc: BaseException) -> str:
    """The reason a search failed, in a few words; no network gets a hint of what to do instead."""
    text = first_line(exc)
    if any(hint in text.lower() for hint in _OFFLINE_HINTS):
        return "the search engines cannot be reached (no network?); use --search local:PATH or none"
    return text
