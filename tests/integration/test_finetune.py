"""Training on the real default model: an interrupted run resumes to the same adapter, and the card."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seamline.config import Settings
from seamline.errors import UsageError
from seamline.finetune import TrainConfig, finetune
from seamline.finetune.train import StepInfo
from seamline.llm.adapters import read_card

pytestmark = pytest.mark.integration

CONFIG = TrainConfig(
    steps=6, batch_size=2, learning_rate=5e-3, rank=2, alpha=4, max_length=96, checkpoint_every=2
)


class Killed(Exception):
    """Stands in for Ctrl-C or a kill in the middle of training."""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    rows = [
        {"instruction": f'Describe "{name}" for the catalog.', "input": f"Colour: {colour}", "output": out}
        for name, colour, out in [
            ("Navy Shirt", "Navy Blue", "A navy blue shirt."),
            ("Red Dress", "Red", "A red dress."),
            ("Black Jeans", "Black", "Black jeans."),
            ("White Tee", "White", "A white t-shirt."),
        ]
    ]
    path = tmp_path / "train.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture
def settings() -> Settings:
    return Settings(device="cpu")  # the session's converted-model cache comes from conftest


def test_an_interrupted_run_resumes_to_the_same_losses(
    settings: Settings, data: Path, tmp_path: Path
) -> None:
    straight = finetune(settings, data, tmp_path / "straight", CONFIG, write_gguf=False)

    def kill_at_five(info: StepInfo) -> None:
        if info.step == 5:
            raise Killed

    with pytest.raises(Killed):
        finetune(settings, data, tmp_path / "resumed", CONFIG, write_gguf=False, progress=kill_at_five)
    assert not (tmp_path / "resumed").exists()  # no half-written adapter
    assert (tmp_path / ".resumed.checkpoint" / "state.pt").is_file()
    resumed = finetune(settings, data, tmp_path / "resumed", CONFIG, write_gguf=False)
    assert resumed.resumed_from == 4
    card = read_card(Path(resumed.adapter_dir))
    assert card["loss_curve"] == read_card(Path(straight.adapter_dir))["loss_curve"]
    assert card["steps"] == 6 and card["prompt_format"] == "seamline-draft-v1"
    assert card["base_source"] == "default" and card["data"]["sha256"]
    assert not (tmp_path / ".resumed.checkpoint").exists()


def test_an_existing_output_needs_force(settings: Settings, data: Path, tmp_path: Path) -> None:
    out = tmp_path / "adapter"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(UsageError, match="exists and is not empty; pass --force"):
        finetune(settings, data, out, CONFIG, write_gguf=False)
    assert (out / "keep.txt").read_text() == "mine"


def test_a_checkpoint_of_another_run_is_not_resumed(settings: Settings, data: Path, tmp_path: Path) -> None:
    def kill_at_three(info: StepInfo) -> None:
        if info.step == 3:
            raise Killed

    with pytest.raises(Killed):
        finetune(settings, data, tmp_path / "a", CONFIG, write_gguf=False, progress=kill_at_three)
    other = CONFIG.model_copy(update={"learning_rate": 1e-3})
    with pytest.raises(UsageError, match="checkpoint of a different run"):
        finetune(settings, data, tmp_path / "a", other, write_gguf=False)
    assert finetune(settings, data, tmp_path / "a", other, force=True, write_gguf=False).resumed_from == 0
