"""A fake backend for tests: scripted replies, no model."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence

from seamline.llm.base import Generation, GenerationParams, Message, ModelInfo


class FakeLLM:
    """Returns queued replies in order, then a default; records every prompt it saw.

    ``reply`` may be a function of the messages, for replies that depend on the prompt.
    """

    info: ModelInfo | None = None
    """What `load_llm` recorded: model, backend, adapter and its prompt (see ``model_info``)."""

    name = "fake"

    def __init__(
        self,
        replies: Sequence[str] = (),
        *,
        default: str | Callable[[Sequence[Message]], str] = "",
        can_plan: bool = False,
    ) -> None:
        self._queue = list(replies)
        self._default = default
        self.can_plan = can_plan
        self.calls: list[list[Message]] = []

    def enqueue(self, *replies: str) -> None:
        """Add replies to the end of the queue."""
        self._queue.extend(replies)

    def generate(self, messages: Sequence[Message], params: GenerationParams) -> Generation:
        """Pop the next scripted reply."""
        self.calls.append(list(messages))
        if self._queue:
            text = self._queue.pop(0)
        elif callable(self._default):
            text = self._default(messages)
        else:
            text = self._default
        prompt_tokens = sum(len(m["content"].split()) for m in messages)
        return Generation(text=text, prompt_tokens=prompt_tokens, completion_tokens=len(text.split()))

    def generate_batch(
        self, batch: Sequence[Sequence[Message]], params: GenerationParams
    ) -> list[Generation]:
        """Generate each in turn."""
        return [self.generate(m, params) for m in batch]

    def stream(self, messages: Sequence[Message], params: GenerationParams) -> Iterator[str]:
        """Yield the reply word by word."""
        text = self.generate(messages, params).text
        for i, word in enumerate(text.split(" ")):
            yield word if i == 0 else " " + word


def echo_reply(messages: Sequence[Message]) -> str:
    """A reply that returns the prompt as JSON; useful to assert what a node sent."""
    return json.dumps(list(messages))
