"""Models a user injects: a LangChain chat model behind the LLM protocol, and a check on any other model.

``as_llm`` is what ``Agent(llm=...)`` calls. A user's model that replies with something other than text
gets a ModelError that names it, at the boundary, rather than a confusing failure in the drafter.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from typing import Any

from seamline.errors import BackendError, ModelError, SeamlineError, first_line
from seamline.llm.base import LLM, Generation, GenerationParams, Message, ModelInfo


def _is_chat_model(value: Any) -> bool:
    if "langchain_core" not in sys.modules:  # no LangChain object can exist; do not pay for the import
        return False
    from langchain_core.language_models import BaseChatModel

    return isinstance(value, BaseChatModel)


def as_llm(value: Any) -> LLM:
    """A Seamline backend as it is, a LangChain chat model adapted, any other LLM-shaped object checked.

    Raises TypeError, naming what was expected, for anything else.
    """
    if _is_chat_model(value):
        return ChatModelLLM(value)
    if isinstance(value, LLM):
        if type(value).__module__.startswith("seamline."):
            return value
        return CheckedLLM(value)
    raise TypeError(
        "llm must be a Seamline model backend (an object with name, can_plan, generate, generate_batch and "
        f"stream: see seamline.llm.LLM) or a LangChain BaseChatModel, not {type(value).__name__}"
    )


def _reply_text(reply: Any, part: str) -> str:
    """The text of a chat model's message; ModelError naming the model when there is none."""
    content = getattr(reply, "content", None)
    if isinstance(content, str):
        return content
    textual = isinstance(content, list) and (
        not content
        or any(isinstance(b, str) or (isinstance(b, dict) and b.get("type") == "text") for b in content)
    )
    if textual:
        text = getattr(reply, "text", None)  # LangChain joins the message's text blocks
        text = text() if callable(text) else text
        if isinstance(text, str):
            return text
    raise ModelError(f"the chat model {part} returned {type(reply).__name__}, not a message with text")


_ROLES = {"system": "system", "user": "human", "assistant": "ai"}


class ChatModelLLM:
    """A LangChain ``BaseChatModel`` (ChatOpenAI, ChatOllama, a fake ...) as a Seamline model backend.

    Sampling is the chat model's own: its temperature and token limit are what it was built with, since
    chat models name those options differently; Seamline passes only stop sequences. It may plan
    (``can_plan``) unless told otherwise: a chat model is expected to follow a JSON schema.
    """

    info: ModelInfo | None = None

    def __init__(self, model: Any, *, can_plan: bool = True, label: str | None = None) -> None:
        self.model = model
        self.can_plan = can_plan
        self.label = label or str(
            getattr(model, "model_name", None) or getattr(model, "model", None) or type(model).__name__
        )
        self.name = f"langchain:{self.label}"
        self.info = ModelInfo(name=self.label, backend="langchain")

    def _messages(self, messages: Sequence[Message]) -> list[tuple[str, str]]:
        return [(_ROLES.get(m["role"], m["role"]), m["content"]) for m in messages]

    def _kwargs(self, params: GenerationParams) -> dict[str, Any]:
        return {"stop": list(params.stop)} if params.stop else {}

    def _failed(self, exc: Exception) -> BackendError:
        return BackendError(f"the chat model {self.label} failed: {type(exc).__name__}: {first_line(exc)}")

    def _generation(self, reply: Any) -> Generation:
        usage = getattr(reply, "usage_metadata", None) or {}
        meta = getattr(reply, "response_metadata", None) or {}
        return Generation(
            text=_reply_text(reply, self.label),
            prompt_tokens=int(usage.get("input_tokens", 0)),
            completion_tokens=int(usage.get("output_tokens", 0)),
            finish_reason=str(meta.get("finish_reason") or "stop"),
        )

    def generate(self, messages: Sequence[Message], params: GenerationParams) -> Generation:
        """One reply through the chat model's ``invoke``."""
        try:
            reply = self.model.invoke(self._messages(messages), **self._kwargs(params))
        except SeamlineError:
            raise
        except Exception as exc:  # a user's model may raise anything; say which part failed
            raise self._failed(exc) from exc
        return self._generation(reply)

    def generate_batch(
        self, batch: Sequence[Sequence[Message]], params: GenerationParams
    ) -> list[Generation]:
        """One reply per conversation through the chat model's ``batch``."""
        try:
            replies = self.model.batch([self._messages(m) for m in batch], **self._kwargs(params))
        except SeamlineError:
            raise
        except Exception as exc:
            raise self._failed(exc) from exc
        return [self._generation(reply) for reply in replies]

    def stream(self, messages: Sequence[Message], params: GenerationParams) -> Iterator[str]:
        """The reply piece by piece through the chat model's ``stream``."""
        try:
            for chunk in self.model.stream(self._messages(messages), **self._kwargs(params)):
                piece = _reply_text(chunk, self.label)
                if piece:
                    yield piece
        except SeamlineError:
            raise
        except Exception as exc:
            raise self._failed(exc) from exc


class CheckedLLM:
    """A user's own backend, with every reply checked to be text; anything else is a ModelError naming it."""

    def __init__(self, llm: Any) -> None:
        self.inner = llm
        self.label = type(llm).__name__
        self.name: str = llm.name
        self.can_plan: bool = llm.can_plan

    def __getattr__(self, name: str) -> Any:  # info and the user's own attributes
        return getattr(self.inner, name)

    def _check(self, reply: Any) -> Generation:
        if not isinstance(reply, Generation) or not isinstance(reply.text, str):
            got = type(reply.text).__name__ if isinstance(reply, Generation) else type(reply).__name__
            raise ModelError(
                f"the llm {self.label} returned {got}, not text (a seamline.llm.Generation with str text)"
            )
        return reply

    def generate(self, messages: Sequence[Message], params: GenerationParams) -> Generation:
        """The user's reply, checked."""
        return self._check(self.inner.generate(messages, params))

    def generate_batch(
        self, batch: Sequence[Sequence[Message]], params: GenerationParams
    ) -> list[Generation]:
        """The user's replies, checked."""
        return [self._check(reply) for reply in self.inner.generate_batch(batch, params)]

    def stream(self, messages: Sequence[Message], params: GenerationParams) -> Iterator[str]:
        """The user's pieces, each checked to be text."""
        for piece in self.inner.stream(messages, params):
            if not isinstance(piece, str):
                raise ModelError(f"the llm {self.label} streamed {type(piece).__name__}, not text")
            yield piece
