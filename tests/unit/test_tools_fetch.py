"""The page fetcher against a real HTTP server on 127.0.0.1."""

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from seamline.config import Settings
from seamline.errors import SearchError
from seamline.tools.fetch import fetch_page

ARTICLE = """<html><head><title>Nike Men Town Navy Blue T-Shirts</title>
<script>var tracking = "should not appear";</script></head>
<body><nav>Home | Men | T-Shirts</nav>
<article><h1>Nike Men Town Navy Blue T-Shirts</h1>
<p>Navy blue T-shirt made of 100% cotton jersey, with a round neck and short sleeves.</p>
<p>Machine wash cold with similar colours. Do not bleach. Dry in shade.</p>
</article><footer>Copyright shop</footer></body></html>"""


class Handler(BaseHTTPRequestHandler):
    robots_status = 200
    hits: dict[str, int] = {}

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout and size tests)
            pass

    def do_GET(self) -> None:
        Handler.hits[self.path] = Handler.hits.get(self.path, 0) + 1
        if self.path == "/robots.txt":
            self._send(self.robots_status, b"User-agent: *\nDisallow: /private\n", "text/plain")
        elif self.path in ("/product", "/private/page"):
            self._send(200, ARTICLE.encode())
        elif self.path == "/plain":
            self._send(200, b"Fabric: linen. Fit: relaxed.", "text/plain; charset=utf-8")
        elif self.path == "/big":
            self._send(200, ARTICLE.encode() + b"<p>" + b"filler " * 500_000 + b"</p>")
        elif self.path == "/image":
            self._send(200, b"\x89PNG....", "image/png")
        elif self.path == "/slow":
            time.sleep(3)
            self._send(200, ARTICLE.encode())
        else:
            self._send(404, b"not found")


@pytest.fixture
def server() -> Iterator[str]:
    Handler.robots_status = 200
    Handler.hits = {}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def settings() -> Settings:
    return Settings(search_timeout=1.0)


def test_fetches_readable_text(server: str, settings: Settings) -> None:
    page = fetch_page(f"{server}/product", settings, product="Nike Men Town Navy Blue T-Shirts")
    assert page.source == "page"
    assert page.url == f"{server}/product"
    assert page.title == "Nike Men Town Navy Blue T-Shirts"
    assert "100% cotton jersey" in page.text
    assert "tracking" not in page.text
    assert page.about_product is True


def test_about_product_false_without_product(server: str, settings: Settings) -> None:
    assert fetch_page(f"{server}/product", settings).about_product is False


def test_pages_are_cached(server: str, settings: Settings) -> None:
    first = fetch_page(f"{server}/product", settings)
    second = fetch_page(f"{server}/product", settings)
    assert Handler.hits["/product"] == 1
    assert second.text == first.text


def test_robots_disallow_is_respected(server: str, settings: Settings) -> None:
    with pytest.raises(SearchError, match="robots.txt"):
        fetch_page(f"{server}/private/page", settings)
    assert "/private/page" not in Handler.hits


def test_robots_server_error_disallows_everything(server: str, settings: Settings) -> None:
    Handler.robots_status = 503
    with pytest.raises(SearchError, match="robots.txt"):
        fetch_page(f"{server}/product", settings)


def test_missing_robots_allows(server: str, settings: Settings) -> None:
    Handler.robots_status = 404
    assert "cotton" in fetch_page(f"{server}/product", settings).text


def test_plain_text(server: str, settings: Settings) -> None:
    assert fetch_page(f"{server}/plain", settings).text == "Fabric: linen. Fit: relaxed."


def test_size_limit_truncates(server: str, settings: Settings) -> None:
    page = fetch_page(f"{server}/big", settings, max_bytes=4000)
    assert "cotton" in page.text
    assert len(page.text) < 4000


@pytest.mark.parametrize(
    ("path", "message"),
    [("/missing", "HTTP 404"), ("/image", "not a web page"), ("/slow", "timed out|took too long")],
)
def test_failures_are_search_errors(server: str, settings: Settings, path: str, message: str) -> None:
    with pytest.raises(SearchError, match=message):
        fetch_page(f"{server}{path}", settings)


def test_closed_port_is_search_error(settings: Settings) -> None:
    with pytest.raises(SearchError, match="cannot fetch"):
        fetch_page("http://127.0.0.1:9/page", settings)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "not a url"])
def test_only_http_urls(url: str, settings: Settings) -> None:
    with pytest.raises(SearchError, match="only http"):
        fetch_page(url, settings)
