"""The resumable state of a training run: saved atomically, resumed only by the same run."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seamline.errors import UsageError

if TYPE_CHECKING:
    from seamline.finetune.train import TrainConfig


class Checkpoint:
    """The resumable state of one run, kept in a hidden directory beside the output."""

    def __init__(self, output_dir: Path, config: TrainConfig, data_digest: str) -> None:
        self.path = output_dir.parent / f".{output_dir.name}.checkpoint"
        self.identity = {"config": config.model_dump(mode="json"), "data": data_digest}

    def load(self, *, force: bool) -> dict[str, Any] | None:
        """The saved state when it belongs to this run; with ``force``, any old state is discarded."""
        import torch

        state_file = self.path / "state.pt"
        if force or not state_file.is_file():
            self.clear()
            return None
        identity = json.loads((self.path / "identity.json").read_text(encoding="utf-8"))
        if identity != self.identity:
            raise UsageError(
                f"a checkpoint of a different run (other options or data) is at {self.path}; "
                "rerun with the same options to resume it, or pass --force to start over"
            )
        return dict(torch.load(state_file, map_location="cpu", weights_only=False))

    def save(
        self, model: Any, optimizer: Any, schedule: Any, step: int, losses: list[float], elapsed: float
    ) -> None:
        """Write the state to a temporary directory and swap it in, so a kill mid-save loses nothing."""
        import torch
        from peft import get_peft_model_state_dict

        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f"{self.path.name}.", dir=self.path.parent))
        try:
            state = {
                "adapter": get_peft_model_state_dict(model),
                "optimizer": optimizer.state_dict(),
                "schedule": schedule.state_dict(),
                "step": step,
                "losses": losses,
                "elapsed": elapsed,
            }
            torch.save(state, tmp / "state.pt")
            (tmp / "identity.json").write_text(json.dumps(self.identity), encoding="utf-8")
            old = self.path.with_name(self.path.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            if self.path.exists():
                os.replace(self.path, old)
            os.replace(tmp, self.path)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def clear(self) -> None:
        """Remove the checkpoint (a finished or discarded run)."""
        shutil.rmtree(self.path, ignore_errors=True)
