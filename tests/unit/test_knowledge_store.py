"""The knowledge store with real Chroma in tmp_path and a deterministic bag-of-words embedder."""

import hashlib
import json
import math
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from seamline.config import Settings
from seamline.errors import ConfigError, KnowledgeStoreError, UsageError
from seamline.memory.knowledge import PACK_SOURCE, KnowledgeStore


class HashEmbedder:
    """Hashed bag of words: texts sharing words are near; no model, same answer every run."""

    name = "hash-bow-4099"

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        out = []
        for text in texts:
            vec = [0.0] * 4099
            for word in re.findall(r"[a-z]+", text.lower()):
                vec[int(hashlib.md5(word.encode()).hexdigest(), 16) % 4099] += 1.0
            norm = math.sqrt(sum(v * v for v in vec)) or 1.0
            out.append([v / norm for v in vec])
        return out


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def store(settings: Settings) -> KnowledgeStore:
    return KnowledgeStore.open(settings, embedder=HashEmbedder())


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    rows = [
        {
            "terms": ["raglan sleeve"],
            "text": "raglan sleeve: a sleeve that extends in one piece to the neckline",
        },
        {"terms": ["twill"], "text": "twill: a weave with diagonal ridges"},
    ]
    (folder / "glossary.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    (folder / "notes.md").write_text(
        "# Care\n\n- **Dry flat**: lay knitwear flat to dry.\n\nSome prose about wool.\n"
    )
    (folder / "fabrics.csv").write_text(
        "term,definition\nchambray,a light plain weave with a coloured warp\n"
    )
    (folder / "page.html").write_text(
        "<html><title>Denim</title><body><p>Denim is a cotton twill.</p></body></html>"
    )
    (folder / "plain.txt").write_text("Seersucker puckers in stripes.")
    return folder


def test_add_search_and_readd(store: KnowledgeStore, docs: Path) -> None:
    report = store.add([docs / "glossary.jsonl"])
    assert (report.files, report.chunks_added, report.chunks_skipped, report.errors) == (1, 2, 0, [])
    [hit] = store.search("raglan sleeve", k=1)
    assert hit.source == "knowledge" and hit.about_product is False
    assert hit.title == "raglan sleeve"
    assert hit.text.startswith("raglan sleeve:")
    assert hit.url.endswith("glossary.jsonl:1")
    again = store.add([docs / "glossary.jsonl"])
    assert (again.chunks_added, again.chunks_skipped) == (0, 2)


def test_every_format_in_a_folder(store: KnowledgeStore, docs: Path) -> None:
    progress: list[tuple[int, int]] = []
    report = store.add([docs], progress=lambda done, total: progress.append((done, total)))
    assert report.files == 5 and report.errors == []
    assert report.sources == ["docs"]
    assert progress[-1] == (report.chunks_added, report.chunks_added)
    titles = {e.title for e in store.search("dry knitwear flat", k=10)}
    assert "Dry flat" in titles
    assert "chambray: a light plain weave with a coloured warp" in [
        e.text for e in store.search("chambray", k=5)
    ]


def test_bad_files_are_reported_one_per_line(store: KnowledgeStore, docs: Path, tmp_path: Path) -> None:
    bad_pdf = tmp_path / "broken.pdf"
    bad_pdf.write_bytes(b"%PDF-1.4 this is not really a pdf")
    bad_jsonl = tmp_path / "bad.jsonl"
    bad_jsonl.write_text("{nope\n")
    docx = tmp_path / "notes.docx"
    docx.write_bytes(b"PK")
    report = store.add([bad_pdf, bad_jsonl, docx, tmp_path / "missing.md", docs / "plain.txt"])
    assert report.files == 1 and report.chunks_added == 1
    assert len(report.errors) == 4
    assert all("\n" not in line for line in report.errors)
    for name in ("broken.pdf", "bad.jsonl", "notes.docx", "missing.md"):
        assert any(name in line for line in report.errors)


def test_malformed_rows_are_skipped_with_line_numbers(store: KnowledgeStore, tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"text": "tweed: rough wool"}\n{broken\n{"text": "tulle: fine net"}\n')
    report = store.add([path])
    assert report.chunks_added == 2
    assert report.errors == [f"{path}:2: not valid JSON; skipped"]


def test_pdf_text_is_ingested(store: KnowledgeStore, tmp_path: Path) -> None:
    pdf = tmp_path / "care.pdf"
    pdf.write_bytes(_tiny_pdf("Gabardine is a tight twill"))
    report = store.add([pdf])
    assert report.errors == [] and report.chunks_added == 1
    assert "Gabardine" in store.search("gabardine", k=1)[0].text


def test_list_and_remove(store: KnowledgeStore, docs: Path) -> None:
    store.add([docs / "glossary.jsonl"])
    store.add([docs / "plain.txt"], source="my notes")
    assert [(s.source, s.chunks) for s in store.list_sources()] == [("glossary.jsonl", 2), ("my notes", 1)]
    assert store.remove("my notes") == 1
    assert store.remove(str(docs / "glossary.jsonl")) == 2
    assert store.list_sources() == []
    with pytest.raises(UsageError, match="no knowledge source"):
        store.remove("glossary.jsonl")


def test_default_pack_loads_once(settings: Settings) -> None:
    embedder = HashEmbedder()
    store = KnowledgeStore.open(settings, embedder=embedder)
    added = store.ensure_default_pack()
    assert added >= 150
    assert store.ensure_default_pack() == 0
    calls = embedder.calls
    reopened = KnowledgeStore.open(settings, embedder=embedder)
    assert reopened.ensure_default_pack() == 0
    assert embedder.calls == calls
    [pack] = reopened.list_sources()
    assert pack.source == PACK_SOURCE and pack.chunks == added
    hit = reopened.search("raglan", k=1)[0]
    assert hit.title == "Raglan sleeve"


def test_search_loads_the_pack_on_first_use(store: KnowledgeStore) -> None:
    assert store.list_sources() == []
    assert store.search("what is a henley neck", k=2)
    assert [s.source for s in store.list_sources()] == [PACK_SOURCE]


def test_query_strings_are_data(store: KnowledgeStore, docs: Path) -> None:
    store.add([docs / "glossary.jsonl"])
    for nasty in ["'; DROP TABLE embeddings; --", "$(rm -rf /)", '{"$or": []}', "\x00raglan"]:
        assert isinstance(store.search(nasty, k=2), list)
    with pytest.raises(UsageError):
        store.search("   ")


def test_corrupt_directory_names_it_and_how_to_reset(settings: Settings) -> None:
    settings.knowledge_dir.mkdir(parents=True)
    (settings.knowledge_dir / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(KnowledgeStoreError) as info:
        KnowledgeStore.open(settings, embedder=HashEmbedder()).list_sources()
    message = str(info.value)
    assert str(settings.knowledge_dir) in message and "rm -r" in message


def test_unreachable_server_and_bad_specs(settings: Settings) -> None:
    with pytest.raises(KnowledgeStoreError, match="Chroma server"):
        KnowledgeStore.open(settings.model_copy(update={"knowledge": "chroma+http://127.0.0.1:9"}))
    with pytest.raises(ConfigError):
        KnowledgeStore.open(settings.model_copy(update={"knowledge": "mongodb://x"}))
    with pytest.raises(ConfigError):
        KnowledgeStore.open(settings.model_copy(update={"knowledge": "none"}))


def _tiny_pdf(text: str) -> bytes:
    """A one-page PDF with one line of text (hand-built; no PDF writer needed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
