"""bench/gpu_finetune.py runs on a device machine; here its arguments and a tiny CPU config are checked."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "gpu_finetune.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gpu_finetune", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_defaults_are_sequence_512_on_cuda() -> None:
    args = load().parse_args([])
    assert (args.device, args.seq, args.batches, args.rank) == ("cuda", 512, [1, 4, 8], 16)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(SystemExit):
        load().parse_args(["--batches", "0"])


def test_tiny_config_trains_on_cpu(capsys: pytest.CaptureFixture[str]) -> None:
    result = load().main(["--tiny", "--device", "cpu", "--seq", "16", "--batches", "1,2", "--steps", "1"])
    assert set(result["batches"]) == {1, 2}
    assert all(row["tokens_s"] > 0 and 0 < row["mfu"] for row in result["batches"].values())
    assert result["trainable_params"] > 0 and result["frozen_params"] > result["trainable_params"]
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("gpu_lora_mfu=")
    sys.modules.pop("gpu_drafter", None)
