"""The ddgs path, offline: recorded responses, failures, rate limits, hangs, the cache."""

import threading
from typing import Any

import pytest
from ddgs.exceptions import DDGSException, RatelimitException

from seamline.config import Settings
from seamline.errors import SearchError, UsageError
from seamline.tools.web import WebSearch, parse_results

# What DDGS().text("Nike Men Town Navy Blue T-Shirts", max_results=3) returns (shape recorded from ddgs 9).
RECORDED = [
    {
        "title": "Buy Nike Men Town Navy Blue T-Shirts - Tshirts for Men | Myntra",
        "href": "https://www.myntra.com/tshirts/nike/nike-men-town-navy-blue-t-shirts/15970/buy",
        "body": "Buy Nike Men Town Navy Blue T-Shirts. Navy blue T-shirt with a round neck, short sleeves.",
    },
    {
        "title": "Nike Men Navy Blue T-Shirts",
        "href": "https://example.com/nike-men-navy-blue-t-shirts",
        "body": "Navy blue printed T-shirt.",
    },
    {"title": "No link", "body": "dropped: a hit without a URL"},
    {
        "title": "Duplicate",
        "href": "https://example.com/nike-men-navy-blue-t-shirts",
        "body": "dropped: same URL again",
    },
]


class FakeDDGS:
    """Stands in for ddgs.DDGS: scripted responses or errors, and a call counter."""

    def __init__(self, *script: Any) -> None:
        self.script = list(script)
        self.calls: list[tuple[str, int]] = []

    def factory(self, timeout: float) -> "FakeDDGS":
        return self

    def text(self, query: str, *, max_results: int) -> list[dict[str, Any]]:
        self.calls.append((query, max_results))
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(step, BaseException):
            raise step
        if callable(step):
            return step()
        return step


@pytest.fixture
def settings() -> Settings:
    return Settings(search_timeout=2.0)


def test_parses_recorded_response(settings: Settings) -> None:
    fake = FakeDDGS(RECORDED)
    found = WebSearch(settings, client_factory=fake.factory).search("Nike Men Town Navy Blue T-Shirts", k=5)
    assert [e.url for e in found] == [RECORDED[0]["href"], RECORDED[1]["href"]]
    assert all(e.source == "web" for e in found)
    assert found[0].text.startswith("Buy Nike Men Town")
    assert [e.about_product for e in found] == [True, False]
    assert len({e.id for e in found}) == 2


def test_parse_results_respects_k_and_odd_items() -> None:
    assert parse_results([*RECORDED, "junk"], 1) == [
        {"title": RECORDED[0]["title"], "url": RECORDED[0]["href"], "body": RECORDED[0]["body"]}
    ]


def test_results_are_cached(settings: Settings) -> None:
    fake = FakeDDGS(RECORDED)
    web = WebSearch(settings, client_factory=fake.factory)
    first = web.search("navy tee", k=2)
    second = WebSearch(settings, client_factory=fake.factory).search("navy tee", k=2)
    assert len(fake.calls) == 1
    assert [e.url for e in second] == [e.url for e in first]
    assert second[0].retrieved_at == first[0].retrieved_at


def test_engine_refusal_is_search_error(settings: Settings) -> None:
    fake = FakeDDGS(DDGSException("No results found."))
    with pytest.raises(SearchError, match="web search failed"):
        WebSearch(settings, client_factory=fake.factory).search("anything")


def test_a_long_engine_error_becomes_one_short_line(settings: Settings) -> None:
    detail = "https://html.duckduckgo.com/html 1 requests failed: " + "x" * 500
    fake = FakeDDGS(DDGSException(detail + "\nTraceback line\nanother"))
    with pytest.raises(SearchError) as caught:
        WebSearch(settings, client_factory=fake.factory).search("anything")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("web search failed: https://html.duckduckgo.com/html 1 requests failed: xxx")
    assert message.endswith("…") and len(message) < 250


def test_no_network_says_so_and_what_to_do_instead(settings: Settings) -> None:
    dns = (
        "DNSError('error sending request for url (https://www.mojeek.com/search?q=x) > error resolving DNS')"
    )
    fake = FakeDDGS(DDGSException(dns))
    with pytest.raises(SearchError) as caught:
        WebSearch(settings, client_factory=fake.factory).search("anything")
    assert str(caught.value) == (
        "web search failed: the search engines cannot be reached (no network?); "
        "use --search local:PATH or none"
    )


def test_rate_limit_backs_off_then_succeeds(settings: Settings) -> None:
    fake = FakeDDGS(RatelimitException("202 Ratelimit"), RECORDED)
    found = WebSearch(settings, client_factory=fake.factory, backoff=0.01).search("q", k=1)
    assert len(fake.calls) == 2
    assert len(found) == 1


def test_persistent_rate_limit_is_search_error(settings: Settings) -> None:
    fake = FakeDDGS(RatelimitException("202 Ratelimit"))
    with pytest.raises(SearchError, match="rate-limiting"):
        WebSearch(settings, client_factory=fake.factory, backoff=0.01, max_attempts=3).search("q")
    assert len(fake.calls) == 3


def test_hung_connection_stops_at_the_deadline() -> None:
    release = threading.Event()
    fake = FakeDDGS(lambda: release.wait(30) and [])
    try:
        with pytest.raises(SearchError, match="timed out"):
            WebSearch(Settings(search_timeout=0.2), client_factory=fake.factory).search("q")
    finally:
        release.set()


def test_real_ddgs_without_network_fails_as_search_error(settings: Settings) -> None:
    from ddgs import DDGS

    # A proxy on a closed loopback port: the real ddgs client, no network traffic.
    web = WebSearch(
        settings, client_factory=lambda t: DDGS(proxy="http://127.0.0.1:9", timeout=1), max_attempts=1
    )
    with pytest.raises(SearchError):
        web.search("raglan sleeve")


def test_empty_query_is_usage_error(settings: Settings) -> None:
    with pytest.raises(UsageError):
        WebSearch(settings, client_factory=FakeDDGS(RECORDED).factory).search("   ")


def test_query_is_passed_as_data(settings: Settings) -> None:
    fake = FakeDDGS([])
    nasty = "'; rm -rf / # $(whoami) {product}"
    assert WebSearch(settings, client_factory=fake.factory).search(nasty) == []
    assert fake.calls == [(nasty, 5)]
