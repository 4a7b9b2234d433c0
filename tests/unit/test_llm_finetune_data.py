from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from seamline.config import Settings
from seamline.errors import DataMissingError, UsageError
from seamline.finetune.data import build_data, myntra_train_records, prose_description
from seamline.finetune.examples import load_examples, read_jsonl_examples

RECORD = {
    "productDisplayName": "Roadster Men Navy Blue Shirt",
    "brandName": "Roadster",
    "gender": "Men",
    "articleType": "Shirts",
    "baseColour": "Navy Blue",
    "season": "Fall",
    "usage": "Casual",
    "price": 999,
    "articleAttributes": {"Fabric": "Cotton", "Fit": "Slim Fit"},
    "materials_care_desc": "NA",
    "size_fit_desc": "",
    "style_note": "",
    "description": (
        "Composition\nNavy blue shirt made of cotton, has a spread collar and long sleeves.\n"
        "Wash care\nMachine wash cold\nDo not bleach\n"
        "This shirt gives a casual look that works every day."
    ),
}


def test_jsonl_prompt_completion_and_messages(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    rows = [
        {"prompt": "Describe: shirt", "completion": "A shirt."},
        {
            "messages": [
                {"role": "system", "content": "S"},
                {"role": "user", "content": "U"},
                {"role": "assistant", "content": "A dress."},
            ]
        },
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    first, second = read_jsonl_examples(path)
    assert (
        first.messages == ({"role": "user", "content": "Describe: shirt"},) and first.completion == "A shirt."
    )
    assert [m["role"] for m in second.messages] == ["system", "user"] and second.completion == "A dress."


def test_jsonl_bad_line_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text('{"prompt": "p", "completion": "c"}\n{"text": "no"}\n')
    with pytest.raises(UsageError, match=r"data.jsonl line 2: expected"):
        read_jsonl_examples(path)
    with pytest.raises(UsageError, match="not found"):
        read_jsonl_examples(tmp_path / "missing.jsonl")


def test_alpaca_rows_use_the_compact_prompt(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    row = {
        "instruction": 'Describe "Navy Shirt" for the catalog.',
        "input": "Colour: Navy",
        "output": "A shirt.",
    }
    path.write_text(json.dumps(row) + "\n")
    (example,) = read_jsonl_examples(path)
    assert example.completion == "A shirt."
    assert example.messages[-1]["content"] == 'Describe "Navy Shirt" for the catalog.\n\nColour: Navy'
    assert example.messages[0]["role"] == "system"


def test_prose_drops_headers_and_care_lists() -> None:
    prose = prose_description(RECORD["description"])
    assert prose.startswith("Navy blue shirt made of cotton") and "Wash" not in prose
    assert "bleach" not in prose and "Composition" not in prose


def test_prose_repairs_entities_the_export_broke() -> None:
    text = "Trendy, it& rsquo s a timepiece with a &ldquo;classic&rdquo; dial &ndash; and a strap to wear."
    assert prose_description(text) == 'Trendy, it\'s a timepiece with a "classic" dial - and a strap to wear.'


def _shared(tmp_path: Path, records: list[dict]) -> Path:
    (tmp_path / "splits").mkdir()
    (tmp_path / "splits" / "myntra_train_ids.txt").write_text("1\n3\n4\n5\n")
    with gzip.open(tmp_path / "myntra_products.jsonl.gz", "wt") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")
    return tmp_path


def test_build_data_reads_only_train_ids_and_cleans_the_copy(tmp_path: Path) -> None:
    records = [
        RECORD | {"id": i, "productDisplayName": f"Roadster Men Navy Blue Shirt {i}"} for i in (1, 2, 3)
    ]
    records.append(RECORD | {"id": 4, "description": ""})  # no copy
    records.append(RECORD | {"id": 5, "productDisplayName": "Roadster Men Navy Blue Shirt 1"})  # a duplicate
    data = _shared(tmp_path, records)
    out = tmp_path / "train.jsonl"
    report = build_data(myntra_train_records(data), out, source="test", name_only_share=0.0, compose=True)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert report.rows_read == 4 and report.kept == 2 and len(rows) == 2
    assert report.dropped == {"no usable description": 1, "duplicate": 1}
    assert sorted(r["instruction"] for r in rows) == [
        'Describe "Roadster Men Navy Blue Shirt 1" for the catalog.',
        'Describe "Roadster Men Navy Blue Shirt 3" for the catalog.',
    ]
    first = rows[0]
    # The input is the record's facts as the drafter sees them, never the copy.
    assert "Fabric: Cotton" in first["input"] and "Fit: Slim Fit" in first["input"]
    assert "spread collar" not in first["input"] and "[E1]" not in first["input"]
    # The record says cotton and slim fit; it says nothing of the collar, the sleeves or the styling.
    assert "cotton" in first["output"] and "spread collar" not in first["output"]
    assert report.unsupported_before > 0 and report.unsupported_after == 0
    assert 0 < report.human_share <= 1


def test_build_data_name_only_examples(tmp_path: Path) -> None:
    copy = "Navy blue shirt made of cotton, has a spread collar.\nIt gives a look that works every day."
    records = [
        RECORD | {"id": i, "productDisplayName": f"Roadster Men Navy Blue Shirt {i}", "description": copy}
        for i in (1, 3)
    ]
    out = tmp_path / "train.jsonl"
    report = build_data(
        myntra_train_records(_shared(tmp_path, records)), out, source="t", name_only_share=1.0
    )
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert report.name_only == report.kept == len(rows) > 0
    assert all("Fabric" not in r["input"] and "cotton" not in r["output"].lower() for r in rows)


def test_training_data_is_required(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="finetune train DATA.jsonl"):
        load_examples(Settings(shared_data=tmp_path), None)


def test_missing_shared_data(tmp_path: Path) -> None:
    with pytest.raises(DataMissingError, match="pass a catalog"):
        list(myntra_train_records(tmp_path))


def test_build_data_drops_copy_that_states_too_few_facts(tmp_path: Path) -> None:
    sparse = RECORD | {
        "id": 1,
        "description": "This shirt gives a casual look that works every day.",
    }
    full = RECORD | {"id": 3, "description": "This navy blue shirt for men is made of cotton in a slim fit."}
    out = tmp_path / "train.jsonl"
    data = _shared(tmp_path, [sparse, full])
    report = build_data(myntra_train_records(data), out, source="t", name_only_share=0.0, min_coverage=0.5)
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert report.dropped == {"states too few of the record's facts": 1}
    assert row["output"] == "This navy blue shirt for men is made of cotton in a slim fit."
    assert row["meta"] == {"id": "3", "input": "record", "coverage": 1.0}


def test_build_data_in_worker_processes_gives_the_same_rows(tmp_path: Path) -> None:
    records = [
        RECORD | {"id": i, "productDisplayName": f"Roadster Men Navy Blue Shirt {i}"} for i in (1, 3, 4, 5)
    ]
    data = _shared(tmp_path, records)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    first = build_data(myntra_train_records(data), one, source="t", name_only_share=0.5, workers=1)
    second = build_data(myntra_train_records(data), two, source="t", name_only_share=0.5, workers=2)
    assert one.read_text() == two.read_text() and first == second.model_copy(update={"output": str(one)})


def test_a_target_keeps_no_specific_the_record_never_states(tmp_path: Path) -> None:
    copy = "Navy blue shirt made of cotton, has a slim fit.\nIt has a swoosh on the left chest, two buttons."
    records = [RECORD | {"id": 1, "description": copy}]
    out = tmp_path / "train.jsonl"
    build_data(myntra_train_records(_shared(tmp_path, records)), out, source="t", min_words=3)
    [row] = [json.loads(line) for line in out.read_text().splitlines()]
    assert "cotton" in row["output"] and "swoosh" not in row["output"]


def test_composing_fills_the_facts_but_the_copy_must_hold_its_own_words(tmp_path: Path) -> None:
    terse = RECORD | {"id": 1, "description": "Navy blue shirt, cotton, slim fit, for men, all seasons."}
    copy = "This navy blue shirt for men is made of cotton, with a look that lasts."
    full = RECORD | {"id": 3, "description": copy}
    out = tmp_path / "train.jsonl"
    data = _shared(tmp_path, [terse, full])
    report = build_data(myntra_train_records(data), out, source="t", name_only_share=0.0, compose=True)
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    # The terse copy keeps too few of its own words; the composed sentence could not make up for it.
    assert report.dropped == {"too little kept": 1}
    assert row["output"].startswith("This navy blue shirt for men is made of cotton")
    # Composed as the writer would at run time: the fit, the occasion and the season the copy left out.
    assert row["output"].endswith("It is in a slim fit. For casual wear in autumn.")
    assert 0 < report.human_share < 1


def test_care_advice_and_layout_labels_in_the_prose_are_not_targets(tmp_path: Path) -> None:
    copy = (
        "This navy blue shirt for men is made of cotton in a slim fit. Fit. "
        "Wash it inside out with similar colours, and dry it in the shade for a lasting colour. "
        "Team it with chinos and loafers for a smart look."
    )
    records = [RECORD | {"id": 1, "description": copy}]
    out = tmp_path / "train.jsonl"
    build_data(myntra_train_records(_shared(tmp_path, records)), out, source="t", name_only_share=0.0)
    [row] = [json.loads(line) for line in out.read_text().splitlines()]
    assert row["output"] == "This navy blue shirt for men is made of cotton in a slim fit."
