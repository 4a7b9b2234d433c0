"""A competitor catalog: rival listings from a CSV or JSONL file (gzip allowed), e.g. a marketplace export.

Each readable row becomes a listing with its name, brand, price as written and the text the analyst
reads (``Key: value`` lines, a ``Price:`` line, then the descriptions). Rows that cannot be used are
skipped and each is named by FILE:LINE with the reason, so a merchandiser can fix the export.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seamline.errors import IngestError, UsageError
from seamline.memory.records import NAME_KEYS, record_id, render_catalog

CATALOG_SUFFIXES = (".csv", ".jsonl", ".jsonl.gz", ".json")
_PRICE_KEYS = ("price", "mrp", "sale_price", "selling_price", "list_price", "price_inr")
_CURRENCY_KEYS = ("currency", "currency_code", "price_currency")
_BRAND_KEYS = ("brandname", "brand", "brand_name", "manufacturer")
_URL_KEYS = ("url", "link", "href", "product_url")


@dataclass(frozen=True, slots=True)
class CatalogRow:
    """One usable row of a competitor catalog."""

    where: str
    """FILE:LINE of the row."""
    record_id: str | None
    name: str
    brand: str | None
    price: str | None
    """The price as written (a number or text), if the row has one."""
    currency: str | None
    """The row's currency column, if it has one."""
    url: str | None
    text: str


@dataclass
class Catalog:
    """The rows of a competitor catalog file, and the rows skipped."""

    path: Path
    rows: list[CatalogRow]
    skipped: list[str] = field(default_factory=list)
    """FILE:LINE: why, one per row that could not be used."""

    @property
    def brands(self) -> list[str]:
        """Every brand the catalog names, longest first (so a name's brand prefix matches greedily)."""
        names = {r.brand for r in self.rows if r.brand}
        return sorted(names, key=lambda b: (-len(b), b))


def _pick(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    lowered = {str(k).lower(): v for k, v in record.items()}
    for key in keys:
        value = lowered.get(key)
        if value not in (None, "") and not (
            isinstance(value, str) and value.strip().upper() in ("NA", "N/A")
        ):
            return value
    return None


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = " ".join(str(value).split())
    return text or None


def _row(where: str, record: dict[str, Any]) -> CatalogRow | str:
    """A usable row, or why the row cannot be used."""
    name = next((_text(record.get(k)) for k in (*NAME_KEYS[:4], "title") if _text(record.get(k))), None)
    if name is None:
        return "no product name"
    price = _pick(record, _PRICE_KEYS)
    price_text = None if price is None else (price if isinstance(price, str) else json.dumps(price))
    currency = _text(_pick(record, _CURRENCY_KEYS))
    text = render_catalog(record)
    if price_text is not None:
        shown = " ".join(str(price_text).split())
        text += f"\nPrice: {shown}" + (f" {currency}" if currency and currency not in shown else "")
    return CatalogRow(
        where=where,
        record_id=record_id(record),
        name=name,
        brand=_text(_pick(record, _BRAND_KEYS)),
        price=None if price_text is None else " ".join(str(price_text).split()),
        currency=currency,
        url=_text(_pick(record, _URL_KEYS)),
        text=text,
    )


def _lines(path: Path) -> Iterator[str]:
    opener = (
        gzip.open(path, "rt", encoding="utf-8", errors="replace")
        if path.name.lower().endswith(".gz")
        else (path.open(encoding="utf-8-sig", errors="replace"))
    )
    with opener as fh:
        yield from fh


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line, record) for each row, or (line, why) for a row that is not a record."""
    name = path.name.lower()
    if name.endswith(".csv"):
        text = "".join(_lines(path))
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader)
        except StopIteration:
            return
        header = [h.strip() for h in header]
        while True:
            line = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield line, f"not a readable CSV row ({exc})"
                continue
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                yield line, f"{len(values)} columns where the header has {len(header)}"
                continue
            yield line, dict(zip(header, values, strict=True))
    elif name.endswith(".json"):
        data = json.loads("".join(_lines(path)))
        if not isinstance(data, list):
            raise ValueError("a .json catalog must be a list of objects")
        for i, item in enumerate(data, start=1):
            yield i, item if isinstance(item, dict) else "not a JSON object"
    else:
        for number, raw in enumerate(_lines(path), start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except ValueError:
                yield number, "not valid JSON"
                continue
            yield number, record if isinstance(record, dict) else "not a JSON object"


def read_catalog(path: str | Path) -> Catalog:
    """Read a competitor catalog; UsageError when the file is missing or of another kind."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise UsageError(f"competitor catalog {path} is not a file; pass --catalog a CSV or JSONL file")
    if not path.name.lower().endswith(CATALOG_SUFFIXES):
        raise UsageError(f"competitor catalog {path}: use a .csv, .jsonl or .jsonl.gz file of listings")
    catalog = Catalog(path=path, rows=[])
    try:
        for line, record in _records(path):
            where = f"{path}:{line}"
            row = _row(where, record) if isinstance(record, dict) else record
            if isinstance(row, str):
                catalog.skipped.append(f"{where}: {row}")
            else:
                catalog.rows.append(row)
    except (OSError, EOFError, ValueError) as exc:
        raise IngestError(f"competitor catalog {path} cannot be read ({exc})") from exc
    return catalog
