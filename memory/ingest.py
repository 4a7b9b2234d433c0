"""Reading documents into chunks for the knowledge store: Markdown, text, PDF, HTML, JSONL and CSV.

Every chunk's id is derived from its text, so adding the same file twice adds nothing. A file that cannot
be read raises ``IngestError``; malformed rows inside a readable file are skipped and reported.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seamline.errors import IngestError
from seamline.memory.records import is_catalog_record, record_title, render_catalog, render_text

SUPPORTED_SUFFIXES = (
    ".md",
    ".markdown",
    ".txt",
    ".text",
    ".pdf",
    ".html",
    ".htm",
    ".jsonl",
    ".jsonl.gz",
    ".csv",
)
CHUNK_SIZE = 1000
CHUNK_OVERLAP = 120
MAX_ROW_ERRORS_SHOWN = 5

# A Markdown glossary line: "- **Term**: definition" becomes one chunk of its own.
_ENTRY = re.compile(r"^\s*[-*+]\s+\*\*(?P<term>[^*]+)\*\*\s*[:\u2014\u2013-]\s*(?P<definition>\S.*)$")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.+?)\s*#*\s*$")


@dataclass(frozen=True)
class Chunk:
    """One piece of text to embed, with where it came from."""

    id: str
    text: str
    title: str
    location: str


@dataclass
class FileChunks:
    """The chunks of one file and the rows that were skipped in it."""

    path: Path
    chunks: list[Chunk]
    warnings: list[str] = field(default_factory=list)


def chunk_id(text: str) -> str:
    """A content-derived id: the same text always gets the same id."""
    normalised = re.sub(r"\s+", " ", text).strip()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:32]


def supported(path: Path) -> bool:
    """True when the file's suffix is one ingestion reads."""
    return path.name.lower().endswith(SUPPORTED_SUFFIXES)


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """Expand folders into their supported files; returns (files, one error line per unusable path)."""
    files: list[Path] = []
    errors: list[str] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and supported(p))
            if not found:
                errors.append(f"{path}: no supported files ({', '.join(SUPPORTED_SUFFIXES)})")
            files.extend(found)
        elif not path.exists():
            errors.append(f"{path}: no such file or directory")
        elif not supported(path):
            errors.append(f"{path}: unsupported file type (supported: {', '.join(SUPPORTED_SUFFIXES)})")
        else:
            files.append(path)
    return files, errors


def _splitter() -> Any:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)


def _split(text: str, title: str, location: str) -> list[Chunk]:
    text = text.strip()
    if not text:
        return []
    pieces = [text] if len(text) <= CHUNK_SIZE else _splitter().split_text(text)
    return [Chunk(chunk_id(p), p, title, location) for p in pieces if p.strip()]


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise IngestError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def load_markdown(path: Path) -> list[Chunk]:
    """Glossary lines become one chunk each; other prose is split under its heading."""
    chunks: list[Chunk] = []
    headings: list[str] = []
    prose: list[str] = []

    def flush() -> None:
        title = " > ".join(headings) or path.name
        chunks.extend(_split("\n".join(prose), title, f"{path}#{title}"))
        prose.clear()

    for line in _read_text(path).splitlines():
        heading = _HEADING.match(line)
        entry = _ENTRY.match(line)
        if heading:
            flush()
            level = len(heading["hashes"])
            headings[level - 1 :] = [heading["title"]]
        elif entry:
            term, definition = entry["term"].strip(), entry["definition"].strip()
            text = f"{term}: {definition}"
            chunks.append(Chunk(chunk_id(text), text, term, f"{path}#{term}"))
        else:
            prose.append(line)
    flush()
    return chunks


def load_plain(path: Path) -> list[Chunk]:
    """Plain text split into overlapping chunks."""
    return _split(_read_text(path), path.name, str(path))


def load_pdf(path: Path) -> list[Chunk]:
    """Text of every page (no OCR: a scanned PDF has none)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        pages = [(i + 1, page.extract_text() or "") for i, page in enumerate(reader.pages)]
    except (OSError, PyPdfError, ValueError, KeyError) as exc:
        raise IngestError(f"{path}: not a readable PDF ({exc})") from exc
    chunks = [
        c for number, text in pages for c in _split(text, f"{path.name} p.{number}", f"{path}#page={number}")
    ]
    if not chunks:
        raise IngestError(f"{path}: the PDF has no extractable text (a scanned PDF needs OCR first)")
    return chunks


def html_to_text(html: str) -> tuple[str, str]:
    """(title, visible text) of an HTML document, without scripts, styles and navigation."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header", "template"]):
        tag.decompose()
    lines = (line.strip() for line in soup.get_text("\n").splitlines())
    return title, "\n".join(line for line in lines if line)


def load_html(path: Path) -> list[Chunk]:
    """Visible text of an HTML file."""
    title, text = html_to_text(_read_text(path))
    return _split(text, title or path.name, str(path))


def _open_lines(path: Path) -> Iterator[str]:
    try:
        if path.name.lower().endswith(".gz"):
            with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
                yield from fh
        else:
            with path.open(encoding="utf-8", errors="replace") as fh:
                yield from fh
    except (OSError, EOFError) as exc:
        raise IngestError(f"{path}: cannot read ({exc})") from exc


RECORD_SUFFIXES = (".jsonl", ".jsonl.gz", ".csv")
"""Files iter_records reads as records: CSV, or JSON lines (gzipped or not)."""


def iter_records(path: Path, warnings: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) for each usable row of a JSONL or CSV file; bad rows go to ``warnings``."""
    bad = 0

    def skip(line: int, why: str) -> None:
        nonlocal bad
        bad += 1
        if bad <= MAX_ROW_ERRORS_SHOWN:
            warnings.append(f"{path}:{line}: {why}; skipped")

    if path.name.lower().endswith(".csv"):
        try:
            with path.open(encoding="utf-8", errors="replace", newline="") as fh:
                for number, row in enumerate(csv.DictReader(fh), start=2):
                    if None in row or any(v is None for v in row.values()):
                        skip(number, "wrong number of columns")
                    else:
                        yield number, row
        except (OSError, csv.Error) as exc:
            raise IngestError(f"{path}: not a readable CSV file ({exc})") from exc
    else:
        for number, line in enumerate(_open_lines(path), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                skip(number, "not valid JSON")
                continue
            if isinstance(record, dict):
                yield number, record
            else:
                skip(number, "not a JSON object")
    if bad > MAX_ROW_ERRORS_SHOWN:
        warnings.append(f"{path}: {bad - MAX_ROW_ERRORS_SHOWN} more malformed rows skipped")


def load_records(path: Path, warnings: list[str]) -> list[Chunk]:
    """One chunk per row (split further when long): glossary or page rows by their text, products rendered."""
    chunks: list[Chunk] = []
    rows = 0
    for number, record in iter_records(path, warnings):
        rows += 1
        title = record_title(record)
        text = render_catalog(record) if is_catalog_record(record) else render_text(record)
        if title and not text.lower().startswith(title.lower()):
            text = f"{title}: {text}"  # a definition row reads "term: definition"
        title = title or f"{path.name}:{number}"
        chunks.extend(_split(text, title, f"{path}:{number}"))
    if rows == 0:
        raise IngestError(
            f"{path}: no usable rows (expected one JSON object per line, or a CSV with a header)"
        )
    return chunks


def load_file(path: Path) -> FileChunks:
    """Read one file into chunks, de-duplicated by id; raises IngestError when it cannot be used."""
    name = path.name.lower()
    warnings: list[str] = []
    if name.endswith((".md", ".markdown")):
        chunks = load_markdown(path)
    elif name.endswith(".pdf"):
        chunks = load_pdf(path)
    elif name.endswith((".html", ".htm")):
        chunks = load_html(path)
    elif name.endswith((".jsonl", ".jsonl.gz", ".csv")):
        chunks = load_records(path, warnings)
    else:
        chunks = load_plain(path)
    unique = list({c.id: c for c in chunks}.values())
    return FileChunks(path=path, chunks=unique, warnings=warnings)
