"""A model served behind any OpenAI-compatible endpoint (vLLM, llama.cpp server, Ollama, TGI)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from seamline.errors import BackendError
from seamline.llm.base import Generation, GenerationParams, Message, ModelInfo

# Status codes worth another try: rate limits and the server being briefly unwell.
_RETRY_STATUS = {408, 409, 429, 500, 502, 503, 504}


class OpenAILLM:
    """Chat completions over HTTP with a timeout and retries with exponential backoff."""

    info: ModelInfo | None = None
    """What `load_llm` recorded: model, backend, adapter and its prompt (see ``model_info``)."""

    def __init__(
        self,
        endpoint: str,
        model: str,
        *,
        api_key: str | None = None,
        timeout: float = 60.0,
        retries: int = 2,
        backoff: float = 0.5,
        max_parallel: int = 8,
        can_plan: bool = False,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise BackendError(
                f"endpoint {endpoint!r} is not an http(s) URL; pass e.g. http://127.0.0.1:8000/v1"
            )
        self.endpoint = endpoint.rstrip("/")
        self.model = model
        self.name = f"openai:{model}"
        self.can_plan = can_plan
        self.retries = retries
        self.backoff = backoff
        self.max_parallel = max_parallel
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(
            base_url=self.endpoint, headers=headers, timeout=httpx.Timeout(timeout), transport=transport
        )

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()

    def _body(self, messages: Sequence[Message], params: GenerationParams, stream: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": m["role"], "content": m["content"]} for m in messages],
            "temperature": params.temperature,
            "top_p": params.top_p,
            "max_tokens": params.max_new_tokens,
            "stream": stream,
        }
        if params.seed is not None:
            body["seed"] = params.seed
        if params.stop:
            body["stop"] = list(params.stop)
        if params.repetition_penalty != 1.0:
            # Not in OpenAI's API: vLLM and TGI read repetition_penalty, llama.cpp and Ollama repeat_penalty.
            body["repetition_penalty"] = body["repeat_penalty"] = params.repetition_penalty
        if params.json_schema is not None:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "reply", "schema": params.json_schema},
            }
        return body

    def _post(self, body: dict[str, Any]) -> httpx.Response:
        """POST a chat completion, retrying connection failures, timeouts and retryable statuses."""
        url = f"{self.endpoint}/chat/completions"
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self._client.post("/chat/completions", json=body)
            except httpx.TimeoutException as exc:
                if last:
                    raise BackendError(
                        f"endpoint {url} timed out after {self.retries + 1} tries; is the server overloaded?"
                    ) from exc
            except httpx.TransportError as exc:
                if last:
                    raise BackendError(
                        f"endpoint {url} refused or dropped the connection ({type(exc).__name__}); "
                        "is the server running?"
                    ) from exc
            else:
                if response.status_code < 400:
                    return response
                if response.status_code not in _RETRY_STATUS or last:
                    raise BackendError(
                        f"endpoint {url} answered HTTP {response.status_code}: {_error_text(response)}"
                    )
            time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def generate(self, messages: Sequence[Message], params: GenerationParams) -> Generation:
        """One chat completion."""
        response = self._post(self._body(messages, params, stream=False))
        try:
            data = response.json()
            choice = data["choices"][0]
            text = choice["message"]["content"] or ""
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise BackendError(
                f"endpoint {self.endpoint} returned a reply that is not a chat completion: "
                f"{response.text[:200]!r}"
            ) from exc
        usage = data.get("usage") or {}
        return Generation(
            text=text,
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            finish_reason=choice.get("finish_reason") or "stop",
        )

    def generate_batch(
        self, batch: Sequence[Sequence[Message]], params: GenerationParams
    ) -> list[Generation]:
        """Send the conversations concurrently; servers such as vLLM batch them on their side."""
        if len(batch) <= 1:
            return [self.generate(m, params) for m in batch]
        with ThreadPoolExecutor(max_workers=min(self.max_parallel, len(batch))) as pool:
            return list(pool.map(lambda m: self.generate(m, params), batch))

    def stream(self, messages: Sequence[Message], params: GenerationParams) -> Iterator[str]:
        """Yield text pieces from the server-sent events of a streamed completion."""
        url = f"{self.endpoint}/chat/completions"
        body = self._body(messages, params, stream=True)
        try:
            with self._client.stream("POST", "/chat/completions", json=body) as response:
                if response.status_code >= 400:
                    response.read()
                    raise BackendError(
                        f"endpoint {url} answered HTTP {response.status_code}: {_error_text(response)}"
                    )
                for line in response.iter_lines():
                    piece = _sse_piece(line)
                    if piece is None:
                        break
                    if piece:
                        yield piece
        except httpx.TimeoutException as exc:
            raise BackendError(f"endpoint {url} timed out while streaming") from exc
        except httpx.TransportError as exc:
            raise BackendError(
                f"endpoint {url} refused or dropped the connection ({type(exc).__name__}); "
                "is the server running?"
            ) from exc


def _sse_piece(line: str) -> str | None:
    """The text delta in one server-sent-event line; '' for other lines, None at the end of the stream."""
    if not line.startswith("data:"):
        return ""
    payload = line[5:].strip()
    if payload == "[DONE]":
        return None
    try:
        delta = json.loads(payload)["choices"][0].get("delta") or {}
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise BackendError(
            f"endpoint sent a stream event that is not a chat chunk: {payload[:200]!r}"
        ) from exc
    return delta.get("content") or ""


def _error_text(response: httpx.Response) -> str:
    """The server's error message, shortened to one line."""
    try:
        data = response.json()
        message = data.get("error", data) if isinstance(data, dict) else data
        if isinstance(message, dict):
            message = message.get("message", message)
        text = str(message)
    except ValueError:
        text = response.text
    return " ".join(text.split())[:200] or "(empty body)"
