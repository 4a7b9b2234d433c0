"""A dev-split product, its own page and a competitor catalog of train-split records of its article type.

Built in tmp_path from ../shared/data (never copied into the repository): the train split may be used
for competitor catalogs, the dev split for measuring.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seamline.evaluation.data import load_myntra, load_split, record_text


@dataclass(frozen=True)
class Market:
    """What a competitor analysis of one dev product needs, and the train records to check it by."""

    product: dict[str, Any]
    pages: Path
    """A local index holding the product's own page (its record as text, with its price)."""
    catalog: Path
    """Train-split records of the product's article type, as JSONL."""
    train: dict[str, dict[str, Any]]
    """The catalog's records by id."""


def dev_market(root: Path, tmp_path: Path, index: int = 0) -> Market:
    """The ``index``-th dev product and a catalog of every train record of its article type."""
    record = load_myntra(load_split("myntra_dev", root)[index : index + 1], root)[0]
    pages = tmp_path / "pages.jsonl"
    page = {
        "url": f"myntra:{record['id']}",
        "title": record["productDisplayName"],
        "text": record_text(record),
    }
    pages.write_text(json.dumps(page) + "\n", encoding="utf-8")
    train = {
        str(r["id"]): r
        for r in load_myntra(load_split("myntra_train", root), root)
        if r.get("articleType") == record["articleType"]
    }
    catalog = tmp_path / "catalog.jsonl"
    with catalog.open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in train.values())
    return Market(record, pages, catalog, train)
