"""The openai backend against a real OpenAI-compatible server: llama_cpp.server with the default GGUF."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from seamline.config import Settings
from seamline.errors import BackendError
from seamline.llm import load_llm
from seamline.llm.base import GenerationParams
from seamline.llm.default_model import default_gguf_path
from seamline.llm.openai_backend import OpenAILLM

pytestmark = pytest.mark.integration

MESSAGES = [{"role": "user", "content": "Describe: navy cotton shirt"}]
GREEDY = GenerationParams(temperature=0.0, max_new_tokens=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    for module in ("fastapi", "sse_starlette", "starlette_context", "uvicorn"):
        pytest.importorskip(module, reason="llama_cpp.server needs llama-cpp-python[server]'s dependencies")
    port = free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(default_gguf_path())]
    command += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/models", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        else:
            pytest.fail("llama_cpp.server did not start within 120 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_generate_stream_and_batch_against_a_real_server(endpoint: str) -> None:
    llm = load_llm(Settings(backend="openai", endpoint=endpoint))
    one = llm.generate(MESSAGES, GREEDY)
    assert one.text.strip() and one.completion_tokens == 10 and one.prompt_tokens > 5
    assert "".join(llm.stream(MESSAGES, GREEDY)) == one.text
    two = llm.generate_batch([MESSAGES, [{"role": "user", "content": "Describe: red dress"}]], GREEDY)
    assert two[0].text == one.text and two[1].text


def test_same_greedy_text_as_the_local_llamacpp_backend(endpoint: str) -> None:
    # The server serves the bare model, so the local side must not add the shipped adapter.
    local = load_llm(Settings(backend="llamacpp", adapter="none"))
    remote = load_llm(Settings(backend="openai", endpoint=endpoint))
    assert remote.generate(MESSAGES, GREEDY).text == local.generate(MESSAGES, GREEDY).text


def test_refused_endpoint() -> None:
    llm = OpenAILLM(f"http://127.0.0.1:{free_port()}/v1", "m", retries=1, backoff=0.01, timeout=2)
    with pytest.raises(BackendError, match="refused or dropped the connection"):
        llm.generate(MESSAGES, GREEDY)


def test_endpoint_that_never_answers_times_out() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True).start()
    port = listener.getsockname()[1]
    try:
        llm = OpenAILLM(f"http://127.0.0.1:{port}/v1", "m", retries=0, timeout=0.5)
        with pytest.raises(BackendError, match="timed out after 1 tries"):
            llm.generate(MESSAGES, GREEDY)
    finally:
        for conn in accepted:
            conn.close()
        listener.close()
