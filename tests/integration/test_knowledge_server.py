"""``--knowledge chroma+http://HOST:PORT``: the same store API against a Chroma server on loopback."""

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from seamline.config import Settings
from seamline.memory.knowledge import KnowledgeStore

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    exe = shutil.which("chroma")
    if exe is None:
        pytest.skip("the `chroma` server command (from chromadb) is not on PATH")
    port = _free_port()
    proc = subprocess.Popen(
        [exe, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        else:
            pytest.fail("the Chroma server did not start within 60 s")
        yield f"chroma+http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_http_store_adds_and_searches(chroma_server: str, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(
        "# Weaves\n\n- **Herringbone**: a broken zigzag twill.\n- **Poplin**: a fine plain weave.\n"
    )
    store = KnowledgeStore.open(Settings(knowledge=chroma_server))
    report = store.add([notes])
    assert report.chunks_added == 2
    assert store.add([notes]).chunks_added == 0
    hit = store.search("zigzag twill", k=1)[0]
    assert hit.title == "Herringbone" and hit.source == "knowledge"
    assert {s.source for s in store.list_sources()} >= {"notes.md", "seamline:fashion-glossary"}
    assert store.remove("notes.md") == 2
