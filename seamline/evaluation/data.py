"""The shared evaluation data (../shared/data): Myntra and H&M records, splits, and records as evidence.

The data is never copied into the repository. Only split ids may be used: train ids for training and
fixtures, dev ids for measuring; every other id is reserved for independent evaluation.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from seamline.errors import DataMissingError, UsageError
from seamline.results import Evidence

MYNTRA_FILE = "myntra_products.jsonl.gz"
HM_FILE = "hm_articles.csv"
SPLITS = {
    "myntra_train": "myntra_train_ids.txt",
    "myntra_dev": "myntra_dev_ids.txt",
    "hm_dev": "hm_dev_product_codes.txt",
}
# Myntra record fields rendered as "Key: value" lines, in this order.
_MYNTRA_FIELDS = (
    ("productDisplayName", "Product"),
    ("brandName", "Brand"),
    ("gender", "Gender"),
    ("articleType", "Article type"),
    ("baseColour", "Colour"),
    ("season", "Season"),
    ("usage", "Usage"),
)
_MYNTRA_TEXTS = ("description", "style_note", "materials_care_desc", "size_fit_desc")
_HM_FIELDS = (
    ("prod_name", "Product"),
    ("product_type_name", "Product type"),
    ("product_group_name", "Product group"),
    ("colour_group_name", "Colour"),
    ("graphical_appearance_name", "Pattern"),
    ("index_group_name", "Department"),
    ("section_name", "Section"),
    ("garment_group_name", "Garment group"),
)


def shared_data_dir(root: Path | str | None = None) -> Path:
    """The shared data folder: ``root`` if given, else ../shared/data beside the repository."""
    path = Path(root) if root is not None else Path(__file__).resolve().parents[2].parent / "shared" / "data"
    if not (path / MYNTRA_FILE).exists():
        raise DataMissingError(
            f"shared evaluation data not found at {path}; put the shared data there or pass its folder"
        )
    return path


def load_split(name: str, root: Path | str | None = None) -> list[str]:
    """The ids of a split: myntra_train, myntra_dev or hm_dev (file names work too)."""
    key = name.removesuffix(".txt").removesuffix("_ids").removesuffix("_product_codes")
    if key not in SPLITS:
        raise UsageError(f"unknown split {name!r}; choose one of {', '.join(SPLITS)}")
    path = shared_data_dir(root) / "splits" / SPLITS[key]
    if not path.exists():
        raise DataMissingError(f"split file {path} is missing from the shared data")
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_myntra(
    ids: Iterable[str | int] | None = None, root: Path | str | None = None
) -> list[dict[str, Any]]:
    """Myntra records, in the order of ``ids`` when given (use split ids only), else in file order."""
    wanted = None if ids is None else [str(i) for i in ids]
    keep = None if wanted is None else set(wanted)
    found: dict[str, dict[str, Any]] = {}
    path = shared_data_dir(root) / MYNTRA_FILE
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                rid = str(record.get("id"))
                if keep is None or rid in keep:
                    found[rid] = record
    except (OSError, json.JSONDecodeError) as exc:
        raise DataMissingError(f"cannot read {path}: {exc}") from exc
    if wanted is None:
        return list(found.values())
    return [found[i] for i in wanted if i in found]


def load_hm(codes: Iterable[str | int] | None = None, root: Path | str | None = None) -> list[dict[str, str]]:
    """H&M article rows whose product code is in ``codes`` (use hm_dev codes only), else all rows."""
    keep = None if codes is None else {str(c).lstrip("0") for c in codes}
    path = shared_data_dir(root) / HM_FILE
    if not path.exists():
        raise DataMissingError(f"{path} is missing from the shared data")
    with path.open(newline="", encoding="utf-8") as fh:
        rows = [
            row
            for row in csv.DictReader(fh)
            if keep is None or row.get("product_code", "").lstrip("0") in keep
        ]
    return rows


def _is_myntra(record: Mapping[str, Any]) -> bool:
    return "productDisplayName" in record or "articleAttributes" in record


def record_text(record: Mapping[str, Any]) -> str:
    """A catalog record as evidence text: "Key: value" lines, then the human-written texts."""
    lines: list[str] = []
    if _is_myntra(record):
        for key, label in _MYNTRA_FIELDS:
            value = str(record.get(key) or "").strip()
            if value and value.upper() != "NA":
                lines.append(f"{label}: {value}")
        extra = [str(record.get(k) or "") for k in ("colour1", "colour2")]
        extra = [c for c in extra if c and c.upper() != "NA" and c != record.get("baseColour")]
        if extra:
            lines.append("Secondary colours: " + ", ".join(extra))
        if record.get("price"):
            lines.append(f"Price: {record['price']} INR")
        for key, value in (record.get("articleAttributes") or {}).items():
            if value and str(value).upper() != "NA":
                lines.append(f"{key}: {value}")
        texts = [str(record.get(k) or "").strip() for k in _MYNTRA_TEXTS]
    else:
        for key, label in _HM_FIELDS:
            value = str(record.get(key) or "").strip()
            if value:
                lines.append(f"{label}: {value}")
        texts = [str(record.get("detail_desc") or "").strip()]
    return "\n".join(lines + [t for t in texts if t])


def record_evidence(record: Mapping[str, Any], *, evidence_id: str | None = None) -> Evidence:
    """A Myntra or H&M record as one piece of catalog evidence about the product."""
    if _is_myntra(record):
        rid = str(record.get("id", ""))
        title = str(record.get("productDisplayName") or "")
        url = f"myntra:{rid}"
    else:
        rid = str(record.get("article_id") or record.get("product_code") or "")
        title = str(record.get("prod_name") or "")
        url = f"hm:{rid}"
    return Evidence(
        id=evidence_id or "catalog",
        source="catalog",
        url=url,
        title=title,
        text=record_text(record),
        about_product=True,
    )


def product_name(record: Mapping[str, Any]) -> str:
    """The product's display name."""
    return str(record.get("productDisplayName") or record.get("prod_name") or "")
