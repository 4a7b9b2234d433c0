"""Product pages for the end-to-end evaluation: the products under test plus train-split distractors.

A page is a product record rendered as a page: title = the display name (Myntra ``productDisplayName``,
H&M ``prod_name``), text = the record's attributes as "Key: value" lines followed by the human-written
description (``data.record_text``). Myntra pages are one per id; H&M pages are one per article (as on
hm.com, where each colourway has its own page under the same name) and the product under test is the
product code, so every article page of the code is the product's own page.

The index holds the evaluated products' own pages and distractors drawn from the Myntra train split
only: never a reserved id (a Myntra id outside train and dev, an H&M code outside the dev list).
Distractors whose name is the same as an evaluated product's (after normalisation) are left out unless
asked for: a name-only query cannot tell two products of the same name apart, so keeping them measures
the catalog's name collisions rather than the agent (the report says how many were left out).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from seamline.errors import UsageError
from seamline.evaluation.data import load_hm, load_myntra, load_split, product_name, record_text
from seamline.tools.matching import product_tokens

Retailer = Literal["myntra", "hm"]

MYNTRA_LABELS: dict[str, tuple[str, ...]] = {
    "fabric": ("Fabric",),
    "sleeve": ("Sleeve Length",),
    "neck": ("Neck", "Collar"),
    "fit": ("Fit",),
    "pattern": ("Pattern",),
}
"""Labelled attributes and the Myntra ``articleAttributes`` keys that give them (colour: baseColour)."""

PAGES_VERSION = "1"

MYNTRA_COPY = ("description", "style_note", "materials_care_desc", "size_fit_desc")
"""The human-written texts of a Myntra record: its copy, not its facts."""


@dataclass(frozen=True)
class Page:
    """One page of the local index."""

    url: str
    title: str
    text: str

    def as_json(self) -> str:
        """The JSONL line LocalIndex reads (url, title, text)."""
        return json.dumps({"url": self.url, "title": self.title, "text": self.text}, ensure_ascii=False)


@dataclass(frozen=True)
class Product:
    """One product under evaluation: the name the agent gets, its own pages, its labels."""

    retailer: Retailer
    id: str
    """Myntra id, or H&M product code."""
    name: str
    pages: tuple[Page, ...]
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Attribute -> labelled values, as "Key: value" lines ("Fabric: Cotton"); H&M: one per article."""

    @property
    def urls(self) -> frozenset[str]:
        """The urls of the product's own pages."""
        return frozenset(p.url for p in self.pages)

    @property
    def text(self) -> str:
        """Everything the product's own pages state (ground truth for "the page states it")."""
        return "\n\n".join(f"{p.title}\n{p.text}" for p in self.pages)


@dataclass(frozen=True)
class PageSet:
    """The products under test, and the JSONL index file of their pages plus distractors."""

    retailer: Retailer
    products: list[Product]
    path: Path
    distractors: int
    namesakes_left_out: int


def myntra_product(record: Mapping[str, Any], *, copy: bool = True) -> Product:
    """A Myntra record as a product with one page and its labels; without ``copy``, the record alone.

    The page without its copy is what a catalog export holds ("Key: value" facts, no human texts): what
    the drafter is measured on when the copy is what it should write.
    """
    rid = str(record.get("id"))
    if not copy:
        record = {k: v for k, v in record.items() if k not in MYNTRA_COPY}
    page = Page(f"myntra:{rid}", product_name(record), record_text(record))
    attrs = record.get("articleAttributes") or {}
    labels: dict[str, tuple[str, ...]] = {}
    for attribute, keys in MYNTRA_LABELS.items():
        values = tuple(f"{k}: {attrs[k]}" for k in keys if str(attrs.get(k) or "NA").upper() != "NA")
        if values:
            labels[attribute] = values[:1]
    colour = str(record.get("baseColour") or "")
    if colour and colour.upper() != "NA":
        labels["colour"] = (f"Colour: {colour}",)
    return Product("myntra", rid, page.title, (page,), labels)


def hm_products(rows: Sequence[Mapping[str, str]]) -> list[Product]:
    """H&M article rows grouped into products by product code, one page per article."""
    by_code: dict[str, list[Mapping[str, str]]] = {}
    for row in rows:
        by_code.setdefault(row["product_code"].lstrip("0"), []).append(row)
    products = []
    for code, articles in by_code.items():
        pages = tuple(Page(f"hm:{a['article_id']}", a["prod_name"], record_text(a)) for a in articles)
        labels: dict[str, tuple[str, ...]] = {}
        for attribute, column in (("colour", "colour_group_name"), ("pattern", "graphical_appearance_name")):
            values = dict.fromkeys(f"{attribute.capitalize()}: {a[column]}" for a in articles if a[column])
            if values:
                labels[attribute] = tuple(values)
        products.append(Product("hm", code, articles[0]["prod_name"], pages, labels))
    return products


def select_products(
    retailer: Retailer,
    n: int | None = None,
    *,
    split: str = "dev",
    root: Path | str | None = None,
    copy: bool = True,
) -> list[Product]:
    """The first ``n`` products of a dev split, in the split file's order.

    Myntra pages hold the human copy unless ``copy`` is False; H&M's description is its record's
    factual spec and always stays.
    """
    if split != "dev":
        raise UsageError(f"the end-to-end evaluation measures on dev ids only, not {split!r}")
    if retailer == "myntra":
        ids = load_split("myntra_dev", root)
        return [myntra_product(r, copy=copy) for r in load_myntra(ids[:n] if n else ids, root)]
    codes = load_split("hm_dev", root)
    codes = codes[:n] if n else codes
    products = {p.id: p for p in hm_products(load_hm(codes, root))}
    return [products[c.lstrip("0")] for c in codes if c.lstrip("0") in products]


def _distractors(
    products: Sequence[Product], limit: int | None, seed: int, namesakes: bool, root: Path | str | None
) -> tuple[list[Page], int]:
    """Train-split Myntra pages (all, or ``limit`` sampled with ``seed``), namesakes left out."""
    train = load_split("myntra_train", root)
    if limit is not None and limit < len(train):
        train = sorted(random.Random(seed).sample(train, limit), key=int)
    own = {product_tokens(p.name) for p in products}
    pages: list[Page] = []
    left_out = 0
    for record in load_myntra(train, root):
        name = product_name(record)
        if not namesakes and product_tokens(name) in own:
            left_out += 1
            continue
        pages.append(Page(f"myntra:{record['id']}", name, record_text(record)))
    return pages, left_out


def check_allowed(pages: Sequence[Page], root: Path | str | None = None) -> None:
    """Raise UsageError if any page is a reserved id (only Myntra train/dev and H&M dev may be used)."""
    myntra = set(load_split("myntra_train", root)) | set(load_split("myntra_dev", root))
    hm_codes = {c.lstrip("0") for c in load_split("hm_dev", root)}
    hm_articles = {row["article_id"] for row in load_hm(hm_codes, root)}
    for page in pages:
        kind, _, rid = page.url.partition(":")
        allowed = myntra if kind == "myntra" else hm_articles if kind == "hm" else set()
        if rid not in allowed:
            raise UsageError(
                f"page {page.url} is not in an allowed split; reserved ids never go in the index"
            )


def _write_atomic(path: Path, lines: Sequence[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".pages-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.writelines(line + "\n" for line in lines)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_pages(
    retailer: Retailer,
    products: Sequence[Product],
    cache_dir: Path,
    *,
    distractors: int | None = None,
    seed: int = 0,
    namesakes: bool = False,
    root: Path | str | None = None,
) -> PageSet:
    """Write (or reuse) the index file: the products' own pages plus train distractors.

    The file name is a hash of its content, so an unchanged page set keeps its file (and LocalIndex its
    cached BM25 index) across evaluation runs.
    """
    noise, left_out = _distractors(products, distractors, seed, namesakes, root)
    own_urls = {url for p in products for url in p.urls}
    pages = [page for p in products for page in p.pages] + [d for d in noise if d.url not in own_urls]
    check_allowed(pages, root)
    lines = [page.as_json() for page in pages]
    digest = hashlib.sha256("\n".join([PAGES_VERSION, *lines]).encode()).hexdigest()[:16]
    path = cache_dir / "e2e_pages" / f"{retailer}-{digest}.jsonl"
    if not path.exists():
        _write_atomic(path, lines)
    return PageSet(retailer, list(products), path, len(pages) - len(own_urls), left_out)
