from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from seamline.config import Settings
from seamline.errors import DataMissingError, UsageError
from seamline.finetune.data import load_examples, prose_description, read_jsonl_examples, record_facts

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
        "Team it with chinos and loafers for a smart casual look this season."
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


def test_record_facts_and_prose() -> None:
    facts = record_facts(RECORD)
    assert facts.startswith("Brand: Roadster. Gender: Men. Type: Shirts. Colour: Navy Blue.")
    assert "Fabric: Cotton." in facts and "Price: INR 999." in facts and "Materials" not in facts
    prose = prose_description(RECORD["description"])
    assert (
        prose.startswith("Navy blue shirt made of cotton") and "Wash" not in prose and "bleach" not in prose
    )


def test_myntra_examples_use_only_train_ids(tmp_path: Path) -> None:
    (tmp_path / "splits").mkdir()
    (tmp_path / "splits" / "myntra_train_ids.txt").write_text("1\n3\n")
    with gzip.open(tmp_path / "myntra_products.jsonl.gz", "wt") as handle:
        for i in (1, 2, 3):
            handle.write(json.dumps(RECORD | {"id": i, "productDisplayName": f"Shirt {i}"}) + "\n")
    examples = load_examples(Settings(shared_data=tmp_path), None)
    assert sorted(e.messages[-1]["content"].splitlines()[0] for e in examples) == [
        "Product: Shirt 1",
        "Product: Shirt 3",
    ]
    assert "Colour: Navy Blue." in examples[0].messages[-1]["content"]


def test_missing_shared_data(tmp_path: Path) -> None:
    with pytest.raises(DataMissingError, match="pass --data FILE.jsonl"):
        load_examples(Settings(shared_data=tmp_path), None)
