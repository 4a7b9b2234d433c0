"""Run a blocking call with a hard wall-clock limit.

Library timeouts are per request (a hung ddgs connection takes about four times its ``timeout``), so the
call runs in a daemon thread and the caller stops waiting at the deadline. The thread is abandoned, not
killed; being a daemon, it never keeps the process alive.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class DeadlineExceeded(Exception):
    """The call did not finish within its wall-clock limit."""


def call_with_deadline(fn: Callable[[], T], seconds: float, name: str = "call") -> T:
    """Return ``fn()``, re-raise what it raised, or raise DeadlineExceeded after ``seconds``."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # re-raised in the caller's thread below
            box["error"] = exc

    thread = threading.Thread(target=target, name=f"seamline-{name}", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise DeadlineExceeded(f"{name} did not finish within {seconds:g}s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
