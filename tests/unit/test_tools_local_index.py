"""The local BM25 index over pages and catalog exports."""

import csv
import json
from pathlib import Path

import pytest

from seamline.errors import IngestError, UsageError
from seamline.tools.local_index import LocalIndex

PRODUCTS = [
    {
        "id": 1,
        "productDisplayName": "Nike Men Town Navy Blue T-Shirts",
        "brandName": "Nike",
        "gender": "Men",
        "articleType": "Tshirts",
        "baseColour": "Navy Blue",
        "season": "Fall",
        "usage": "Casual",
        "price": 999,
        "articleAttributes": {"Fabric": "Cotton", "Neck": "Round Neck", "Sleeve Length": "Short Sleeves"},
        "description": "A navy tee in soft cotton.",
        "colour1": "NA",
    },
    {
        "id": 2,
        "productDisplayName": "Nike Men Navy Blue T-Shirts",
        "brandName": "Nike",
        "gender": "Men",
        "articleType": "Tshirts",
        "baseColour": "Navy Blue",
        "articleAttributes": {"Fabric": "Polyester"},
        "description": "",
    },
    {
        "id": 3,
        "productDisplayName": "Puma Women Red Track Pants",
        "brandName": "Puma",
        "gender": "Women",
        "articleType": "Track Pants",
        "baseColour": "Red",
        "articleAttributes": {"Waist Rise": "Mid-Rise"},
        "description": "Red track pants with an elasticated waist.",
    },
]


def write_jsonl(path: Path, rows: list, extra_lines: tuple[str, ...] = ()) -> Path:
    lines = [json.dumps(r) for r in rows] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n")
    return path


def test_catalog_records_render_as_key_value_lines(tmp_path: Path) -> None:
    index = LocalIndex.from_path(write_jsonl(tmp_path / "cat.jsonl", PRODUCTS))
    [hit] = index.search("Nike Men Town Navy Blue T-Shirts", k=1)
    assert hit.source == "catalog"
    assert hit.url == "catalog:1"
    assert hit.about_product is True
    assert hit.text.splitlines() == [
        "Name: Nike Men Town Navy Blue T-Shirts",
        "Brand: Nike",
        "Gender: Men",
        "Article type: Tshirts",
        "Colour: Navy Blue",
        "Season: Fall",
        "Usage: Casual",
        "Fabric: Cotton",
        "Neck: Round Neck",
        "Sleeve Length: Short Sleeves",
        "Description: A navy tee in soft cotton.",
    ]


def test_similar_product_is_not_about_product(tmp_path: Path) -> None:
    index = LocalIndex.from_path(write_jsonl(tmp_path / "cat.jsonl", PRODUCTS))
    hits = index.search("Nike Men Navy Blue T-Shirts", k=3)
    assert hits[0].url == "catalog:2" and hits[0].about_product
    assert [h.about_product for h in hits if h.url == "catalog:1"] == [False]


def test_hm_csv_columns(tmp_path: Path) -> None:
    path = tmp_path / "hm.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "",
                "article_id",
                "prod_name",
                "product_type_name",
                "colour_group_name",
                "graphical_appearance_name",
                "index_group_name",
                "product_type_no",
                "detail_desc",
            ]
        )
        writer.writerow(
            [
                "0",
                "108775015",
                "Strap top",
                "Vest top",
                "Black",
                "Solid",
                "Ladieswear",
                "253",
                "Jersey top with narrow shoulder straps.",
            ]
        )
    [hit] = LocalIndex.from_path(path).search("strap top", k=1)
    assert hit.url == "catalog:108775015"
    assert hit.text.splitlines() == [
        "Name: Strap top",
        "Article type: Vest top",
        "Colour: Black",
        "Pattern: Solid",
        "Department: Ladieswear",
        "Description: Jersey top with narrow shoulder straps.",
    ]


def test_pages_jsonl_and_folder(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    write_jsonl(
        pages / "a.jsonl",
        [{"url": "https://shop.example/p/1", "title": "Linen shirt", "text": "Pure linen."}],
    )
    (pages / "b.html").write_text(
        "<html><title>Denim guide</title><body><p>Denim is a twill.</p></body></html>"
    )
    index = LocalIndex.from_path(f"local:{pages}")
    assert len(index) == 2
    [hit] = index.search("denim twill", k=1)
    assert hit.source == "page" and hit.title == "Denim guide" and hit.url.startswith("file://")
    assert index.search("linen", k=1)[0].url == "https://shop.example/p/1"


def test_malformed_rows_are_skipped_and_counted(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "cat.jsonl", PRODUCTS, ("{broken", "[1, 2]"))
    index = LocalIndex.from_path(path)
    assert len(index) == 3
    assert index.skipped == 2


def test_unusable_file_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("not json\nstill not\n")
    with pytest.raises(IngestError, match=r"bad.jsonl:1"):
        LocalIndex.from_path(path)


def test_missing_path_is_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        LocalIndex.from_path(tmp_path / "nope.jsonl")


def test_cache_is_reused_and_invalidated(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "cat.jsonl", PRODUCTS)
    cache = tmp_path / "cache"
    LocalIndex.from_path(path, cache_dir=cache)
    built = list((cache / "local_index").iterdir())
    assert len(built) == 1
    again = LocalIndex.from_path(path, cache_dir=cache)
    assert again.search("track pants", k=1)[0].url == "catalog:3"
    write_jsonl(path, PRODUCTS[:2])
    assert len(LocalIndex.from_path(path, cache_dir=cache)) == 2
    assert len(list((cache / "local_index").iterdir())) == 2


def test_include_ids_filters_records(tmp_path: Path) -> None:
    index = LocalIndex.from_path(write_jsonl(tmp_path / "cat.jsonl", PRODUCTS), include_ids=["1", "3"])
    assert sorted(d.url for d in index.docs) == ["catalog:1", "catalog:3"]


def test_unknown_words_and_empty_queries(tmp_path: Path) -> None:
    index = LocalIndex.from_path(write_jsonl(tmp_path / "cat.jsonl", PRODUCTS))
    assert index.search("zzzz qqqq") == []
    assert index.search("the of and") == []
    assert index.search("red", k=100)[0].url == "catalog:3"


def test_get_by_url(tmp_path: Path) -> None:
    index = LocalIndex.from_path(write_jsonl(tmp_path / "cat.jsonl", PRODUCTS))
    assert index.get("catalog:3").title == "Puma Women Red Track Pants"
    assert index.get("catalog:99") is None


@pytest.mark.data
def test_real_catalog_train_ids_only(shared_data: Path, tmp_path: Path) -> None:
    train = (shared_data / "splits" / "myntra_train_ids.txt").read_text().split()[:2000]
    index = LocalIndex.from_path(
        shared_data / "myntra_products.jsonl.gz", cache_dir=tmp_path / "cache", include_ids=train
    )
    assert len(index) == 2000
    assert {d.url.removeprefix("catalog:") for d in index.docs} == set(train)
    target = next(d for d in index.docs if "Fabric:" in d.text)
    hits = index.search(target.title, k=5)
    assert any(h.url == target.url and h.about_product for h in hits)
    assert sum(h.about_product for h in hits) <= sum(h.title == target.title for h in hits)
