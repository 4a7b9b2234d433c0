"""Drafts of concurrent runs gathered into one ``generate_batch`` call: how ``agent batch`` batches decoding.

Each product of a batch is a run in its own thread, and a run calls ``generate`` as it always does. A
``BatchingLLM`` holds those calls until every run that is still researching has reached its draft (or
``max_batch`` calls wait, or ``max_wait`` seconds pass), then decodes them together on the model it wraps.
The runs that are not drafting meanwhile research and criticise, so those stages overlap decoding.
When a batch fails, its calls are decoded again one at a time, so only the one that fails fails.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from seamline.llm.base import LLM, Generation, GenerationParams, Message, model_info


@dataclass(eq=False)
class _Call:
    messages: Sequence[Message]
    params: GenerationParams
    done: threading.Event = field(default_factory=threading.Event)
    result: Generation | None = None
    error: BaseException | None = None


class BatchingLLM:
    """An ``LLM`` that batches the ``generate`` calls of the runs registered with ``caller``.

    Calls that ask for JSON and streams go straight to the wrapped model; a thread that is not registered
    joins the next batch without making it wait. ``sizes`` counts the batches decoded by size.
    """

    def __init__(self, inner: LLM, *, max_batch: int, max_wait: float = 2.0) -> None:
        self.inner = inner
        self.name = inner.name
        self.can_plan = inner.can_plan
        self.info = model_info(inner)
        self.max_batch = max_batch
        if hasattr(inner, "max_batch"):  # a backend that decodes a batch in parts of its own size
            inner.max_batch = max_batch
        self.max_wait = max_wait
        self.sizes: dict[int, int] = {}
        self._cond = threading.Condition()
        self._waiting: list[_Call] = []
        self._researching: set[int] = set()
        """Registered runs that have not yet asked for their first draft: the batch waits for them."""
        self._closed = False
        self._thread = threading.Thread(target=self._dispatch, name="seamline-batching", daemon=True)
        self._thread.start()

    @contextlib.contextmanager
    def caller(self) -> Iterator[None]:
        """Register the calling thread's run for the time it runs, so its draft joins a batch."""
        me = threading.get_ident()
        with self._cond:
            self._researching.add(me)
        try:
            yield
        finally:
            with self._cond:
                self._researching.discard(me)
                self._cond.notify_all()

    def close(self) -> None:
        """Stop the dispatcher; calls still waiting fail."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join()

    # --- the LLM protocol ---------------------------------------------------------------------------

    def generate(self, messages: Sequence[Message], params: GenerationParams) -> Generation:
        """Wait for a place in the next batch and return this call's reply."""
        me = threading.get_ident()
        if params.json_schema is not None:
            return self.inner.generate(messages, params)
        call = _Call(messages, params)
        with self._cond:
            if self._closed:
                raise RuntimeError("the batching drafter is closed")
            self._researching.discard(me)
            self._waiting.append(call)
            self._cond.notify_all()
        call.done.wait()
        if call.error is not None:
            raise call.error
        assert call.result is not None
        return call.result

    def generate_batch(
        self, batch: Sequence[Sequence[Message]], params: GenerationParams
    ) -> list[Generation]:
        """Straight to the wrapped model."""
        return self.inner.generate_batch(batch, params)

    def stream(self, messages: Sequence[Message], params: GenerationParams) -> Iterator[str]:
        """Straight to the wrapped model: a stream is one reader's, not a batch's."""
        return self.inner.stream(messages, params)

    # --- the dispatcher -----------------------------------------------------------------------------

    def _ready(self, since: float) -> bool:
        if not self._waiting:
            return False
        return (
            len(self._waiting) >= self.max_batch
            or not self._researching
            or time.monotonic() - since >= self.max_wait
        )

    def _dispatch(self) -> None:
        while True:
            with self._cond:
                since = time.monotonic()
                while not self._closed and not self._ready(since):
                    if not self._waiting:
                        since = time.monotonic()
                    self._cond.wait(timeout=self.max_wait / 4)
                if self._closed:
                    for call in self._waiting:
                        call.error = RuntimeError("the batching drafter closed before this draft")
                        call.done.set()
                    return
                params = self._waiting[0].params
                group = [c for c in self._waiting if c.params == params][: self.max_batch]
                self._waiting = [c for c in self._waiting if c not in group]
            self._decode(group, params)
            self.sizes[len(group)] = self.sizes.get(len(group), 0) + 1
            for call in group:
                call.done.set()

    def _decode(self, group: list[_Call], params: GenerationParams) -> None:
        """Decode a group together; when that fails, each call alone, so only a failing one fails."""
        try:
            replies = self.inner.generate_batch([c.messages for c in group], params)
            for call, reply in zip(group, replies, strict=True):
                call.result = reply
            return
        except BaseException as exc:  # raised in the run that made the call, as it would be alone
            if len(group) == 1:
                group[0].error = exc
                return
        for call in group:
            try:
                call.result = self.inner.generate(call.messages, params)
            except BaseException as exc:
                call.error = exc
