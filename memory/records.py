"""Rendering records (catalog products, glossary rows, pages) as the text that search and the critic read.

Catalog records become ``Key: value`` lines (name, brand, gender, article type, colour, season, usage,
every ``articleAttributes`` entry; H&M columns alike) followed by the human-written description, so the
critic can match an attribute claim against a labelled line.
"""

from __future__ import annotations

import re
from typing import Any

NAME_KEYS = ("productDisplayName", "prod_name", "product_name", "name", "title", "term")
ID_KEYS = ("id", "article_id", "product_id", "sku", "product_code")
TEXT_KEYS = ("text", "page_content", "content", "body", "definition")

# Known catalog columns (Myntra, H&M) and their labels, in display order.
_LABELS: dict[str, str] = {
    "brandName": "Brand",
    "brand": "Brand",
    "gender": "Gender",
    "ageGroup": "Age group",
    "articleType": "Article type",
    "product_type_name": "Article type",
    "product_group_name": "Product group",
    "baseColour": "Colour",
    "colour_group_name": "Colour",
    "graphical_appearance_name": "Pattern",
    "season": "Season",
    "usage": "Usage",
    "index_group_name": "Department",
    "section_name": "Section",
    "garment_group_name": "Garment group",
}
_DESCRIPTION_LABELS: dict[str, str] = {
    "description": "Description",
    "detail_desc": "Description",
    "style_note": "Style note",
    "materials_care_desc": "Materials and care",
    "size_fit_desc": "Size and fit",
}
# Columns that identify or price a record rather than describe it, or repeat another column.
_SKIP = frozenset(
    "id article_id product_code product_id sku price year colour1 colour2 variantName masterCategory "
    "subCategory url articleAttributes department_name index_name index_code perceived_colour_value_name "
    "perceived_colour_master_name".split()
)
_NUMBERED_COLUMN = re.compile(r"(_no|_id|_code)$")
_MISSING = frozenset({"", "na", "n/a", "nan", "none", "null", "-"})


def _clean(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    return None if text.lower() in _MISSING else text


def _humanise(key: str) -> str:
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", key).replace("_", " ").strip()
    return spaced[:1].upper() + spaced[1:].lower()


def record_id(record: dict[str, Any]) -> str | None:
    """The record's own id, from the first id-like column present."""
    for key in ID_KEYS:
        value = _clean(record.get(key))
        if value:
            return value
    return None


def record_title(record: dict[str, Any]) -> str:
    """The record's display name (product name, title, or first glossary term)."""
    for key in NAME_KEYS:
        value = _clean(record.get(key))
        if value:
            return value
    terms = record.get("terms")
    if isinstance(terms, list) and terms:
        return str(terms[0])
    return ""


def is_catalog_record(record: dict[str, Any]) -> bool:
    """True for product records (a product name and no free text), False for pages and documents."""
    has_name = any(_clean(record.get(k)) for k in NAME_KEYS[:4])
    return has_name and not any(_clean(record.get(k)) for k in TEXT_KEYS)


def render_catalog(record: dict[str, Any]) -> str:
    """``Key: value`` lines for every descriptive field, then the descriptions."""
    lines: list[str] = []
    name = record_title(record)
    if name:
        lines.append(f"Name: {name}")
    seen: set[tuple[str, str]] = set()

    def add(label: str, value: Any) -> None:
        text = _clean(value)
        if text and (label, text.lower()) not in seen:
            seen.add((label, text.lower()))
            lines.append(f"{label}: {text}")

    for key, label in _LABELS.items():
        add(label, record.get(key))
    attributes = record.get("articleAttributes")
    if isinstance(attributes, dict):
        for key, value in attributes.items():
            add(str(key), value)
    for key, value in record.items():
        if key in _LABELS or key in _DESCRIPTION_LABELS or key in _SKIP or key in NAME_KEYS:
            continue
        if not key or key.startswith("Unnamed") or _NUMBERED_COLUMN.search(key):
            continue
        add(_humanise(key), value)
    for key, label in _DESCRIPTION_LABELS.items():
        add(label, record.get(key))
    return "\n".join(lines)


def render_text(record: dict[str, Any]) -> str:
    """The free text of a page or document row; falls back to ``Key: value`` lines."""
    for key in TEXT_KEYS:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return render_catalog(record)
