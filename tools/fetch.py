"""Fetch one web page and extract its readable text (httpx + trafilatura), politely and within limits.

robots.txt is respected (RFC 9309: a 4xx robots.txt allows everything, a 5xx one disallows everything),
the body is read up to ``MAX_BYTES``, the whole fetch has a hard wall-clock limit, and pages are cached
on disk with the configured time-to-live. Every failure is a ``SearchError``.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from seamline.config import Settings
from seamline.errors import SearchError, first_line
from seamline.memory.cache import DiskCache
from seamline.results import Evidence
from seamline.tools.deadline import DeadlineExceeded, call_with_deadline
from seamline.tools.matching import is_about_product

log = logging.getLogger(__name__)

USER_AGENT = "SeamlineBot/0.1 (product research; respects robots.txt)"
MAX_BYTES = 2_000_000
MAX_TEXT_CHARS = 20_000
_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _read_limited(client: Any, url: str, max_bytes: int, deadline: float) -> tuple[int, str, str, str]:
    """GET ``url``; returns (status, content type, final url, text) reading at most ``max_bytes``."""
    with client.stream("GET", url) as response:
        body = bytearray()
        for piece in response.iter_bytes():
            body.extend(piece)
            if len(body) >= max_bytes:
                log.info("page %s is larger than %d bytes; truncated", url, max_bytes)
                break
            if time.monotonic() > deadline:
                raise SearchError(f"fetching {url} took too long; gave up")
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        encoding = response.encoding or "utf-8"
        text = bytes(body[:max_bytes]).decode(encoding, errors="replace")
        return response.status_code, content_type, str(response.url), text


def _robots_allows(client: Any, url: str, cache: DiskCache, deadline: float) -> bool:
    robots_url = _origin(url) + "/robots.txt"
    key = json.dumps(["robots", robots_url])
    entry = cache.get(key)
    if entry is None:
        status, _, _, text = _read_limited(client, robots_url, 500_000, deadline)
        entry = {"status": status, "text": text}
        cache.set(key, entry)
    status = int(entry["status"])
    if status >= 500:
        return False
    if status >= 400:
        return True
    parser = RobotFileParser()
    parser.parse(str(entry["text"]).splitlines())
    return parser.can_fetch(USER_AGENT, url)


def extract_readable(html: str, url: str) -> tuple[str, str]:
    """(title, main text) of an HTML page: trafilatura first, all visible text as the fallback."""
    import trafilatura

    from seamline.memory.ingest import html_to_text

    title = ""
    metadata = trafilatura.extract_metadata(html)
    if metadata is not None and metadata.title:
        title = metadata.title
    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=True) or ""
    if not text.strip():
        fallback_title, text = html_to_text(html)
        title = title or fallback_title
    return title, text


def _fetch_live(
    url: str, settings: Settings, cache: DiskCache, transport: Any, max_bytes: int
) -> dict[str, str]:
    import httpx

    deadline = time.monotonic() + settings.search_timeout
    try:
        with httpx.Client(
            timeout=httpx.Timeout(settings.search_timeout),
            follow_redirects=True,
            max_redirects=5,
            headers={"User-Agent": USER_AGENT, "Accept": "text/html,text/plain;q=0.9"},
            transport=transport,
        ) as client:
            if not _robots_allows(client, url, cache, deadline):
                raise SearchError(f"robots.txt of {_origin(url)} does not allow fetching {url}")
            status, content_type, final_url, body = _read_limited(client, url, max_bytes, deadline)
    except httpx.HTTPError as exc:
        raise SearchError(f"cannot fetch {url}: {first_line(exc)}") from exc
    if status >= 400:
        raise SearchError(f"cannot fetch {url}: HTTP {status}")
    if content_type and content_type not in _TEXT_TYPES:
        raise SearchError(f"cannot read {url}: content type {content_type} is not a web page")
    if content_type == "text/plain":
        title, text = "", body
    else:
        title, text = extract_readable(body, final_url)
    text = text.strip()[:MAX_TEXT_CHARS]
    if not text:
        raise SearchError(f"{url} has no readable text")
    return {"title": title.strip(), "text": text, "final_url": final_url}


def fetch_page(
    url: str,
    settings: Settings,
    *,
    product: str | None = None,
    cache: DiskCache | None = None,
    transport: Any = None,
    max_bytes: int = MAX_BYTES,
) -> Evidence:
    """Fetch ``url`` and return its readable text as Evidence (source "page"); raises SearchError."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SearchError(f"cannot fetch {url!r}: only http:// and https:// URLs can be fetched")
    cache = cache if cache is not None else DiskCache(settings.cache_dir / "pages", settings.cache_ttl)
    key = json.dumps(["page", url])
    page = cache.get(key)
    if page is None:
        try:
            page = call_with_deadline(
                lambda: _fetch_live(url, settings, cache, transport, max_bytes),
                settings.search_timeout + 1.0,
                name="fetch",
            )
        except DeadlineExceeded as exc:
            raise SearchError(f"fetching {url} timed out after {settings.search_timeout:g}s") from exc
        page["retrieved_at"] = datetime.now(UTC).isoformat()
        cache.set(key, page)
    title = page["title"] or url
    return Evidence(
        id="page1",
        source="page",
        url=url,
        title=title,
        text=page["text"],
        about_product=bool(product) and is_about_product(product or "", title, page["text"][:2000]),
        retrieved_at=datetime.fromisoformat(page["retrieved_at"]),
    )
