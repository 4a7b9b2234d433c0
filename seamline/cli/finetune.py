"""``agent finetune``: build training data, train a LoRA adapter, compare it with the base (thin layers)."""

from __future__ import annotations

import json
import os
import shlex
import sys
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
    tally,
)
from seamline.config import Settings

app = typer.Typer(
    help="Fine-tune the drafter: build-data (copy cleaned by the critic), train (LoRA), eval (vs the base).",
    no_args_is_help=True,
)

ModelOpt = Annotated[
    str | None, typer.Option("--model", help="Base model: 'default', a HF id or directory, a GGUF.")
]


def _settings(ctx: typer.Context, model: str | None) -> Settings:
    settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
    return settings.model_copy(update={"model": model}) if model else settings


@app.command("build-data")
def build_data(
    ctx: typer.Context,
    catalog: Annotated[
        Path | None,
        typer.Argument(
            help="CSV or JSONL records with a name and a description (default: Myntra train split)."
        ),
    ] = None,
    output: Annotated[Path, typer.Option("--out", "-o", help="The Alpaca-style JSONL to write.")] = Path(
        "train.jsonl"
    ),
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Stop after this many kept rows.")
    ] = None,
    name_only: Annotated[
        float, typer.Option("--name-only", min=0.0, max=1.0, help="Share of examples given the name alone.")
    ] = 0.1,
    min_coverage: Annotated[
        float,
        typer.Option(
            "--min-coverage", min=0.0, max=1.0, help="Drop rows whose copy states less of the record's facts."
        ),
    ] = 0.5,
    compose: Annotated[
        bool, typer.Option("--compose", help="Fill the facts the copy omits with the writer's sentence.")
    ] = False,
    seed: Annotated[int, typer.Option(help="Seed for which examples get which input.")] = 0,
    workers: Annotated[
        int, typer.Option(min=0, help="Processes that clean in parallel (0: every core).")
    ] = 0,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
    json_out: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Clean catalog copy against its own record with the critic, into instruction data for `train`."""
    from rich.progress import MofNCompleteColumn, TextColumn, TimeElapsedColumn

    from seamline.errors import UsageError
    from seamline.finetune.card import build_record_path
    from seamline.finetune.data import build_data as run_build
    from seamline.finetune.data import catalog_records, myntra_train_records, shared_data_dir

    setup_logging(verbose)
    with errors_to_exit(verbose):
        if output.exists() and not force:
            raise UsageError(f"{output} exists; pass --force to overwrite it")
        settings = _settings(ctx, None)
        if catalog is None:
            records = myntra_train_records(shared_data_dir(settings))
            source = "myntra train split"
        else:
            records = catalog_records(catalog)
            source = str(catalog)
        with progress_bar(TextColumn("cleaning copy"), MofNCompleteColumn(), TimeElapsedColumn()) as bar:
            task = bar.add_task("build", total=limit)
            report = run_build(
                records,
                output,
                source=source,
                limit=limit,
                name_only_share=name_only,
                min_coverage=min_coverage,
                compose=compose,
                seed=seed,
                workers=workers or os.cpu_count() or 1,
                progress=lambda r: bar.update(task, completed=r.kept),
            )
        record = {
            "command": "agent finetune " + " ".join(shlex.quote(a) for a in sys.argv[2:] if a != "--force")
        }
        record |= report.model_dump(mode="json")
        build_record_path(output).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        if json_out:
            print_json(report)
            return
        dropped = tally(report.dropped)
        out.print(
            f"{report.rows_read} rows read, {report.kept} kept ({report.name_only} with the name alone)"
        )
        out.print(f"dropped: {dropped}")
        out.print(
            f"unsupported claims: {report.unsupported_rate_before:.1%} of {report.mentions_before} "
            "in the copy, "
            f"{report.unsupported_rate_after:.1%} of {report.mentions_after} in the targets"
        )
        out.print(f"human prose: {report.human_share:.1%} of the target text; written to {output}")


@app.command("train")
def train(
    ctx: typer.Context,
    data: Annotated[
        Path, typer.Argument(help="Training JSONL from `build-data` (or prompt/completion lines).")
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Adapter directory to write (default: DATA_DIR/adapters/finetuned)."
        ),
    ] = None,
    model: ModelOpt = None,
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
        int | None, typer.Option("--max-examples", min=1, help="Most training examples (a seeded sample).")
    ] = None,
    max_length: Annotated[int, typer.Option("--max-length", min=16, help="Most tokens per example.")] = 384,
    checkpoint_every: Annotated[
        int, typer.Option("--checkpoint-every", min=1, help="Steps between checkpoints.")
    ] = 25,
    dtype: Annotated[
        str,
        typer.Option(help="auto (bf16 on CUDA and on CPUs with bf16 instructions, else fp32), fp32, bf16."),
    ] = "auto",
    threads: Annotated[int | None, typer.Option(min=1, help="CPU threads (default: every core).")] = None,
    four_bit: Annotated[
        bool, typer.Option("--4bit", help="QLoRA: load the base in 4-bit (CUDA with bitsandbytes).")
    ] = False,
    seed: Annotated[int, typer.Option(help="Seed for sampling, batch order and initialisation.")] = 0,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the output and discard any checkpoint.")
    ] = False,
    json_out: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Train a LoRA adapter; rerun the same command after an interruption to resume from its checkpoint."""
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn

    from seamline.errors import UsageError
    from seamline.finetune.train import StepInfo, TrainConfig
    from seamline.finetune.train import finetune as run_finetune

    setup_logging(verbose)
    with errors_to_exit(verbose):
        if dtype not in ("auto", "fp32", "bf16"):
            raise UsageError(f"--dtype {dtype!r}: choose auto, fp32 or bf16")
        settings = _settings(ctx, model)
        target = output or settings.data_dir / "adapters" / "finetuned"
        config = TrainConfig(
            steps=steps,
            batch_size=batch_size,
            learning_rate=learning_rate,
            rank=rank,
            alpha=alpha,
            target_modules=tuple(t.strip() for t in targets.split(",") if t.strip()),
            max_examples=max_examples,
            max_length=max_length,
            checkpoint_every=checkpoint_every,
            dtype=dtype,
            threads=threads,
            load_in_4bit=four_bit,
            seed=seed,
        )
        command = "agent finetune " + " ".join(shlex.quote(a) for a in sys.argv[2:] if a != "--force")
        with progress_bar(
            TextColumn("fine-tuning"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("loss {task.fields[loss]}  {task.fields[rate]} tokens/s"),
            TimeRemainingColumn(),
        ) as bar:
            task = bar.add_task("train", total=steps, loss="-", rate="-")

            def progress(info: StepInfo) -> None:
                bar.update(
                    task, completed=info.step, loss=f"{info.loss:.3f}", rate=f"{info.tokens_per_second:.0f}"
                )
                if not err.is_terminal and (info.step % 10 == 0 or info.step == info.steps):
                    err.print(
                        f"step {info.step}/{info.steps} loss {info.loss:.3f} "
                        f"{info.tokens_per_second:.0f} tokens/s eta {info.eta_seconds / 60:.0f} min"
                    )

            err.print("loading the base model and training data ...")
            result = run_finetune(
                settings, data, target, config, force=force, command=command, progress=progress
            )
        if json_out:
            print_json(result)
        else:
            resumed = f", resumed at step {result.resumed_from}" if result.resumed_from else ""
            out.print(
                f"adapter saved to {result.adapter_dir} ({result.examples} examples, "
                f"{result.steps} steps{resumed}, "
                f"loss {result.first_loss:.3f} -> {result.final_loss:.3f}, {result.seconds / 60:.1f} min, "
                f"{result.adapter_bytes / 1e6:.1f} MB)"
            )
            out.print(f'use it with: agent run "describe ..." --adapter {result.adapter_dir}')


@app.command("eval")
def evaluate(
    ctx: typer.Context,
    adapter: Annotated[
        str, typer.Argument(help="The tuned adapter: 'default' (the shipped one) or a directory.")
    ] = "default",
    n: Annotated[int, typer.Option("-n", min=1, help="Dev products per retailer.")] = 100,
    retailer: Annotated[str, typer.Option(help="myntra, hm or both.")] = "both",
    dev_loss: Annotated[
        int, typer.Option("--dev-loss", min=0, help="Cleaned dev examples for dev loss (0: skip it).")
    ] = 100,
    backend: Annotated[str | None, typer.Option(help="auto, llamacpp or transformers.")] = None,
    output: Annotated[Path | None, typer.Option("--out", "-o", help="Also write the report as JSON.")] = None,
    samples: Annotated[
        int,
        typer.Option(
            "--samples", min=0, help="Products per retailer whose drafts and texts the report keeps."
        ),
    ] = 5,
    write_card: Annotated[
        bool, typer.Option("--write-card", help="Record the figures in the adapter's model card.")
    ] = False,
    json_out: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """The base drafter and the tuned one on the same dev products, side by side (needs ../shared/data)."""
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn

    from seamline.errors import UsageError
    from seamline.finetune.evaluate import evaluate_tuned

    setup_logging(verbose)
    with errors_to_exit(verbose):
        if retailer not in ("both", "myntra", "hm"):
            raise UsageError(f"--retailer {retailer!r}: choose myntra, hm or both")
        settings = _settings(ctx, None)
        if backend:
            settings = settings.model_copy(update={"backend": backend})
        shown = ("myntra", "hm") if retailer == "both" else (retailer,)
        with progress_bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()) as bar:
            task = bar.add_task("evaluating", total=None)

            def progress(side: str, where: str, done: int, total: int) -> None:
                bar.update(task, description=f"{side} on {where}", completed=done, total=total)

            report = evaluate_tuned(
                settings,
                adapter,
                n=n,
                retailers=shown,
                samples=samples,
                dev_loss_examples=dev_loss,
                root=settings.shared_data,
                progress=progress,
            )
        if output is not None:
            from seamline.graphs.visualize import write_atomic

            write_atomic(output, report.model_dump_json(indent=2) + "\n")
        if write_card:
            from seamline.finetune.card import record_dev
            from seamline.finetune.evaluate import dev_summary
            from seamline.llm.adapters import resolve_adapter

            folder = resolve_adapter(adapter, default_model=True)
            if folder is not None:
                record_dev(folder, dev_summary(report))
        if json_out:
            print_json(report)
            return
        print_tune_eval(report)


def print_tune_eval(report: object) -> None:
    """The side-by-side table of `finetune eval`."""
    from rich.table import Table

    from seamline.finetune.evaluate import TuneEval

    assert isinstance(report, TuneEval)
    table = Table(title=f"base vs tuned, {report.n} dev products per retailer ({report.evidence})")
    table.add_column("figure")
    for side in (report.base, report.tuned):
        for figures in side.retailers:
            table.add_column(f"{side.label} {figures.retailer}", justify="right")
    columns = [(side, f) for side in (report.base, report.tuned) for f in side.retailers]

    def row(label: str, value: object) -> None:
        table.add_row(label, *(value(side, f) for side, f in columns))  # type: ignore[operator]

    row(
        "raw draft unsupported rate",
        lambda s, f: f"{f.raw_draft.unsupported_rate:.1%} of {f.raw_draft.mentions}",
    )
    row("raw draft coverage", lambda s, f: f"{f.raw_draft.coverage:.2f}")
    row("final unsupported rate", lambda s, f: f"{f.final.unsupported_rate:.1%} of {f.final.mentions}")
    row("final coverage", lambda s, f: f"{f.final.coverage:.2f}")
    row("computed sentence added", lambda s, f: f"{f.computed_sentence:.0%}")
    row("non-words, draft / final", lambda s, f: f"{f.nonwords_draft:.2%} / {f.nonwords_final:.2%}")
    row("repeated 3-grams in draft", lambda s, f: f"{f.repeated_trigrams_draft:.1%}")
    row("draft tokens (mean)", lambda s, f: f"{f.draft_tokens:.0f}")
    row("draft s (median) / run s", lambda s, f: f"{f.draft_seconds:.2f} / {f.seconds:.2f}")
    row("dev loss (perplexity)", lambda s, f: f"{s.dev_loss} ({s.perplexity})" if s.dev_loss else "-")
    out.print(table)
    for sample in report.samples:
        out.print(f"\n[bold]{sample.product}[/] ({sample.retailer} {sample.id})", markup=True)
        out.print(f"  base : {sample.base}")
        out.print(f"  tuned: {sample.tuned}")
