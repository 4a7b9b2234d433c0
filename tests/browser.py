"""A real headless Chromium (Debian's `chromium` package) driven by Playwright's Python package.

Playwright's own browser download is never used: it drives /usr/bin/chromium through
``executable_path``. Tests skip with a message where Chromium or Playwright is absent; CI installs both.
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium() -> str:
    """The Chromium binary, or skip the test saying how to get one."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("needs Debian's chromium (apt-get install chromium); .ci/run installs it")
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("needs Playwright's Python package (pip install -e '.[dev]')")
    return path


@dataclass
class Opened:
    """A page opened from a file, and every request the browser made while it was open."""

    page: Any
    url: str
    requests: list[str] = field(default_factory=list)

    def network(self) -> list[str]:
        """Requests other than the file itself: a self-contained page makes none."""
        return [r for r in self.requests if r != self.url]


@contextmanager
def open_file(path: Path, profile: Path, *, width: int = 1280, height: int = 900) -> Iterator[Opened]:
    """Open ``path`` in a fresh headless Chromium with a new profile directory."""
    from playwright.sync_api import sync_playwright

    binary = chromium()
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=binary,
            headless=True,
            args=FLAGS,
            viewport={"width": width, "height": height},
        )
        try:
            page = context.new_page()
            opened = Opened(page=page, url=path.resolve().as_uri())
            context.on("request", lambda request: opened.requests.append(request.url))
            page.goto(opened.url, wait_until="load")
            yield opened
        finally:
            context.close()
