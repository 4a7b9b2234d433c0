"""``agent finetune``: train a LoRA adapter for the drafter (a thin layer over ``seamline.finetune``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from seamline.cli.common import (
    JsonOpt,
    VerboseOpt,
    err,
    errors_to_exit,
    out,
    print_json,
    progress_bar,
    setup_logging,
)


def finetune(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Adapter directory to write (default: DATA_DIR/adapters/finetuned)."
        ),
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help='JSONL of {"prompt","completion"} or {"messages"} lines (default: Myntra train split).',
        ),
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="Base model: 'default', a HF id or directory, a GGUF.")
    ] = None,
    steps: Annotated[int, typer.Option(min=1, help="Optimizer steps.")] = 100,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Examples per step.")] = 8,
    learning_rate: Annotated[float, typer.Option("--learning-rate", help="AdamW learning rate.")] = 2e-4,
    rank: Annotated[int, typer.Option(min=1, help="LoRA rank r.")] = 8,
    alpha: Annotated[float, typer.Option(help="LoRA alpha (scale is alpha / r).")] = 16.0,
    targets: Annotated[
        str,
        typer.Option("--targets", help="Comma-separated modules to adapt (q_proj,k_proj,v_proj,o_proj,...)."),
    ] = "q_proj,v_proj",
    max_examples: Annotated[
        int, typer.Option("--max-examples", min=1, help="Most training examples.")
    ] = 2000,
    max_length: Annotated[int, typer.Option("--max-length", min=16, help="Most tokens per example.")] = 384,
    seed: Annotated[int, typer.Option(help="Seed for sampling examples and initialising the adapter.")] = 0,
    json_out: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Fine-tune the drafter with LoRA; use the result with `agent run ... --adapter DIR` on any backend."""
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn

    from seamline.config import Settings
    from seamline.finetune import finetune as run_finetune

    setup_logging(verbose)
    with errors_to_exit(verbose):
        settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
        if model:
            settings = settings.model_copy(update={"model": model})
        target = output or settings.data_dir / "adapters" / "finetuned"
        with progress_bar(
            TextColumn("fine-tuning"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("loss {task.fields[loss]}"),
            TimeRemainingColumn(),
        ) as bar:
            task = bar.add_task("train", total=steps, loss="-")

            def progress(step: int, total: int, loss: float) -> None:
                bar.update(task, completed=step, loss=f"{loss:.3f}")

            err.print("loading the base model and training data ...")
            result = run_finetune(
                settings,
                data,
                target,
                steps,
                batch_size=batch_size,
                learning_rate=learning_rate,
                rank=rank,
                alpha=alpha,
                target_modules=tuple(t.strip() for t in targets.split(",") if t.strip()),
                max_examples=max_examples,
                max_length=max_length,
                seed=seed,
                progress=progress,
            )
        if json_out:
            print_json(result)
        else:
            out.print(
                f"adapter saved to {result.adapter_dir} ({result.examples} examples, {result.steps} steps, "
                f"loss {result.first_loss:.3f} -> {result.final_loss:.3f}, {result.seconds:.0f} s)"
            )
            out.print(f'use it with: agent run "describe ..." --adapter {result.adapter_dir}')
