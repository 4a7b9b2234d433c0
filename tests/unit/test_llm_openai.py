from __future__ import annotations

import json
import socket

import httpx
import pytest

from seamline.errors import BackendError
from seamline.llm.base import GenerationParams
from seamline.llm.openai_backend import OpenAILLM

MESSAGES = [{"role": "user", "content": "Describe a navy shirt."}]
PARAMS = GenerationParams(temperature=0.0, max_new_tokens=8, stop=("\n\n",))


def completion(text: str) -> dict:
    return {
        "choices": [{"message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 7, "completion_tokens": 3},
    }


def llm_with(handler, **kwargs) -> OpenAILLM:  # type: ignore[no-untyped-def]
    kwargs.setdefault("backoff", 0.0)
    return OpenAILLM("http://server.test/v1", "m", transport=httpx.MockTransport(handler), **kwargs)


def test_generate_sends_the_options_and_reads_usage() -> None:
    seen: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/chat/completions"
        seen.append(json.loads(request.content))
        return httpx.Response(200, json=completion("A navy shirt."))

    result = llm_with(handler).generate(MESSAGES, PARAMS)
    assert (result.text, result.prompt_tokens, result.completion_tokens) == ("A navy shirt.", 7, 3)
    assert seen[0]["temperature"] == 0.0 and seen[0]["max_tokens"] == 8 and seen[0]["stop"] == ["\n\n"]
    assert seen[0]["messages"] == MESSAGES and seen[0]["stream"] is False


def test_retries_a_busy_server_then_succeeds() -> None:
    answers = iter(
        [httpx.Response(503, json={"error": {"message": "busy"}}), httpx.Response(200, json=completion("ok"))]
    )
    assert llm_with(lambda request: next(answers)).generate(MESSAGES, PARAMS).text == "ok"


def test_gives_up_after_retries_with_the_server_message() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, json={"error": {"message": "model is loading"}})

    with pytest.raises(BackendError, match="answered HTTP 503: model is loading"):
        llm_with(handler, retries=1).generate(MESSAGES, PARAMS)


def test_client_errors_are_not_retried() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(400, json={"error": {"message": "bad model name"}})

    with pytest.raises(BackendError, match="HTTP 400: bad model name"):
        llm_with(handler).generate(MESSAGES, PARAMS)
    assert len(calls) == 1


def test_timeout_becomes_a_backend_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(BackendError, match="timed out after 2 tries"):
        llm_with(handler, retries=1).generate(MESSAGES, PARAMS)


def test_refused_connection_becomes_a_backend_error() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    llm = OpenAILLM(f"http://127.0.0.1:{port}/v1", "m", retries=1, backoff=0.0, timeout=2.0)
    with pytest.raises(BackendError, match="refused or dropped the connection .* is the server running"):
        llm.generate(MESSAGES, PARAMS)


def test_reply_that_is_not_a_completion() -> None:
    with pytest.raises(BackendError, match="not a chat completion"):
        llm_with(lambda request: httpx.Response(200, json={"hello": 1})).generate(MESSAGES, PARAMS)


def test_stream_reads_server_sent_events() -> None:
    events = [{"choices": [{"delta": {"content": piece}}]} for piece in ("A ", "navy ", "shirt.")]
    body = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"

    def handler(request: httpx.Request) -> httpx.Response:
        assert json.loads(request.content)["stream"] is True
        return httpx.Response(200, text=body, headers={"content-type": "text/event-stream"})

    assert list(llm_with(handler).stream(MESSAGES, PARAMS)) == ["A ", "navy ", "shirt."]


def test_batch_keeps_order() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=completion(json.loads(request.content)["messages"][0]["content"]))

    batch = [[{"role": "user", "content": str(i)}] for i in range(5)]
    assert [g.text for g in llm_with(handler).generate_batch(batch, PARAMS)] == ["0", "1", "2", "3", "4"]


def test_endpoint_must_be_http() -> None:
    with pytest.raises(BackendError, match="is not an http"):
        OpenAILLM("localhost:8000", "m")
