"""The adapter's model card: JSON for programs, Markdown for people, dev figures added by eval."""

from __future__ import annotations

import json
from pathlib import Path

from seamline.finetune.card import build_record_path, read_build_record, record_dev, write_card

CARD = {
    "base_model": "SmolLM2-135M-Instruct",
    "base_source": "default",
    "prompt_format": "seamline-draft-v1",
    "rank": 16,
    "alpha": 32.0,
    "target_modules": ["q_proj", "v_proj"],
    "steps": 10,
    "examples": 40,
    "data": {"file": "train.jsonl", "sha256": "ab12"},
    "first_loss": 3.9,
    "final_loss": 2.1,
    "loss_curve": {"every_steps": 5, "values": [3.5, 2.2]},
    "reproduce": ["agent finetune build-data --out train.jsonl", "agent finetune train train.jsonl"],
    "dev": {},
}


def test_card_is_written_for_programs_and_people(tmp_path: Path) -> None:
    write_card(tmp_path, CARD)
    assert json.loads((tmp_path / "seamline_adapter.json").read_text()) == CARD
    readme = (tmp_path / "README.md").read_text()
    assert "LoRA r=16, alpha=32.0 on q_proj, v_proj" in readme
    assert "agent finetune build-data --out train.jsonl\nagent finetune train train.jsonl" in readme
    assert "every 5 steps: 3.5, 2.2" in readme and "Measured on dev" not in readme


def test_eval_records_dev_figures_in_the_card(tmp_path: Path) -> None:
    write_card(tmp_path, CARD)
    record_dev(tmp_path, {"myntra raw-draft unsupported rate": "26.0% -> 2.0%"})
    assert json.loads((tmp_path / "seamline_adapter.json").read_text())["dev"] == {
        "myntra raw-draft unsupported rate": "26.0% -> 2.0%"
    }
    assert "- myntra raw-draft unsupported rate: 26.0% -> 2.0%" in (tmp_path / "README.md").read_text()


def test_build_record_sits_beside_the_data(tmp_path: Path) -> None:
    data = tmp_path / "train.jsonl"
    assert read_build_record(data) == {}
    build_record_path(data).write_text('{"command": "agent finetune build-data --out train.jsonl"}')
    assert read_build_record(data)["command"] == "agent finetune build-data --out train.jsonl"
