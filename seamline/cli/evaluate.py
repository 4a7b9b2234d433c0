"""`agent eval`: the critic (`critic`), the whole agent (`e2e`) and the knowledge store (`knowledge`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from seamline.cli.check import eval_critic
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
from seamline.errors import UsageError

app = typer.Typer(help="Measure Seamline on the dev splits of the shared data.", no_args_is_help=True)
app.command(
    "critic", help="Measure the critic on dev products: planted false attributes removed, supported kept."
)(eval_critic)

RetailerOpt = Annotated[
    Literal["both", "myntra", "hm"], typer.Option(help="Which retailer's dev products: myntra, hm or both.")
]


@app.command("e2e")
def e2e(
    n: Annotated[int, typer.Option("-n", help="First N dev products per retailer (0: all).")] = 100,
    split: Annotated[str, typer.Option(help="Split to measure on; only dev is allowed.")] = "dev",
    retailer: RetailerOpt = "both",
    distractors: Annotated[
        int | None, typer.Option(help="Sample this many train pages as distractors (default: all).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the distractor sample.")] = 0,
    namesakes: Annotated[
        bool, typer.Option("--namesakes", help="Keep train pages named exactly like an evaluated product.")
    ] = False,
    backend: Annotated[
        str | None, typer.Option(help="Model backend (default: the configured one); fake for a smoke run.")
    ] = None,
    model: Annotated[str | None, typer.Option(help="Model (default: the configured one).")] = None,
    rows: Annotated[
        Path | None, typer.Option(help="Append each product's scored row here (JSONL) as it finishes.")
    ] = None,
    json_output: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Run the agent on dev product names against a local index of product pages and score the text.

    Prints, per retailer, for the final description and the raw draft: the unsupported-attribute rate
    (mentions the product's own page does not state), coverage of the labelled attributes, how often the
    own page was found, and seconds per product.
    """
    setup_logging(verbose)
    with errors_to_exit(verbose):
        if split != "dev":
            raise UsageError(f"measure on the dev split, not {split!r}: the other ids are reserved")
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TaskID,
            TextColumn,
            TimeElapsedColumn,
        )

        from seamline.config import Settings
        from seamline.evaluation.e2e import run_e2e

        overrides: dict[str, Any] = {k: v for k, v in (("backend", backend), ("model", model)) if v}
        settings = Settings.model_validate({**Settings().model_dump(), **overrides})
        chosen: tuple[Literal["myntra", "hm"], ...] = ("myntra", "hm") if retailer == "both" else (retailer,)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with progress_bar(*columns) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(name: str, done: int, total: int) -> None:
                if name not in tasks:
                    tasks[name] = bar.add_task(f"describing {name} dev products", total=total)
                bar.update(tasks[name], completed=done, total=total)
                if not err.is_terminal and (done % 10 == 0 or done == total):
                    err.print(f"{name}: {done}/{total} products")  # a log file has no live bar

            def on_row(name: str, row: Any) -> None:
                if rows is not None:
                    with rows.open("a", encoding="utf-8") as fh:
                        fh.write(json.dumps({"retailer": name, **row.model_dump()}) + "\n")

            err.print("[dim]loading the model and building the page index...[/]")
            report = run_e2e(
                settings,
                retailers=chosen,
                n=n or None,
                split=split,
                distractors=distractors,
                seed=seed,
                namesakes=namesakes,
                progress=progress,
                on_row=on_row,
            )
        if json_output:
            print_json(report)
            return
        out.print(f"end-to-end on dev products, model {report.model} ({report.backend} backend)")
        out.print(f"ground truth: {report.ground_truth}")
        for r in report.retailers:
            out.print(
                f"\n[bold]{r.retailer}[/] {r.products} products; index {r.index_pages} pages "
                f"({r.distractors} train distractors, {r.namesakes_left_out} namesakes left out)"
            )
            texts = (("final", r.final), ("final+details", r.final_details), ("raw draft", r.raw_draft))
            for label, fig in texts:
                out.print(
                    f"  {label:<14} unsupported {fig.unsupported_rate:.4f} ({fig.unsupported}/{fig.mentions})"
                    f"  coverage {fig.coverage:.4f} ({fig.covered}/{fig.labelled})"
                )
            s = r.seconds
            out.print(
                f"  own page found {r.own_page_found:.4f} (retrieved {r.own_page_retrieved:.4f}); "
                f"seconds per product median {s.get('median')} mean {s.get('mean')} p90 {s.get('p90')}"
            )
            if r.failed:
                out.print(f"  failed runs: {r.failed}")
            out.print(f"  targets met: {'yes' if r.meets_targets() else 'no'}")


@app.command("compete")
def compete(
    n: Annotated[int, typer.Option("-n", help="First N Myntra dev products.")] = 50,
    top: Annotated[int, typer.Option("--top", help="Competitors kept per report.")] = 10,
    split: Annotated[str, typer.Option(help="Split to measure on; only dev is allowed.")] = "dev",
    backend: Annotated[
        str | None, typer.Option(help="Model backend (default: the configured one); fake for a smoke run.")
    ] = None,
    model: Annotated[str | None, typer.Option(help="Model (default: the configured one).")] = None,
    rows: Annotated[
        Path | None, typer.Option(help="Append each product's scored row here (JSONL) as it finishes.")
    ] = None,
    json_output: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Competitor reports for dev products against a catalog of every train record, measured.

    Prints the share of products with at least 5 competitors of the same article type and gender,
    seconds per report, and the figures in the summaries that the tables do not state (target 0).
    """
    setup_logging(verbose)
    with errors_to_exit(verbose):
        from seamline.config import Settings
        from seamline.evaluation.compete import MIN_COMPETITORS, run_compete_eval

        overrides: dict[str, Any] = {k: v for k, v in (("backend", backend), ("model", model)) if v}
        settings = Settings.model_validate({**Settings().model_dump(), **overrides})

        def progress(done: int, total: int) -> None:
            if done % 10 == 0 or done == total:
                err.print(f"compete: {done}/{total} products")

        def on_row(row: Any) -> None:
            if rows is not None:
                with rows.open("a", encoding="utf-8") as fh:
                    fh.write(row.model_dump_json() + "\n")

        err.print("[dim]writing the train catalog (first run), reading it and loading the model...[/]")
        report = run_compete_eval(settings, n=n, top=top, split=split, progress=progress, on_row=on_row)
        if json_output:
            print_json(report)
            return
        s = report.seconds
        out.print(
            f"competitor analysis on {report.products} Myntra dev products, model {report.model} "
            f"({report.backend} backend)"
        )
        out.print(
            f"catalog: {report.catalog_rows} train-split records, read once in {report.catalog_seconds:.1f}s"
        )
        out.print(
            f"  with >= {MIN_COMPETITORS} competitors of the same article type and gender: "
            f"{report.with_enough}/{report.products} ({report.share_with_enough:.4f})"
        )
        out.print(
            f"  seconds per report: median {s.get('median')} mean {s.get('mean')} p90 {s.get('p90')} "
            f"max {s.get('max')}"
        )
        out.print(
            f"  figures in the summaries that no table states: {report.foreign_figures} "
            f"(in the raw drafts: {report.draft_foreign_figures}; target 0)"
        )
        sources = ", ".join(f"{k} {v}" for k, v in sorted(report.summary_sources.items()))
        out.print(f"  summaries: {sources}" + (f"; failed runs: {report.failed}" if report.failed else ""))


@app.command("orders")
def orders(
    n: Annotated[int, typer.Option("-n", help="First N train-split pages (0: all).")] = 0,
    show: Annotated[int, typer.Option("--show", help="Dropped sentences to print.")] = 50,
    json_output: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Run the order detector over real train-split pages: every sentence it drops is a false drop.

    Prints the dropped share of all sentences (target < 0.1%), the count per reason, and the sentences.
    """
    setup_logging(verbose)
    with errors_to_exit(verbose):
        from seamline.config import Settings
        from seamline.evaluation.orders import run_orders_eval

        root = Settings().shared_data

        def progress(done: int, total: int) -> None:
            err.print(f"orders: {done}/{total} pages")

        report = run_orders_eval(n=n or None, root=root, progress=progress)
        if json_output:
            print_json(report)
            return
        out.print(
            f"order detector on {report.pages} Myntra train-split pages: {report.dropped} of "
            f"{report.sentences} sentences dropped ({report.rate:.4%}; target < 0.1%); "
            + tally(report.by_reason)
        )
        for example in report.examples[:show]:
            out.print(f"  [{example['id']}] {example['why']}: {example['text']}", markup=False)


@app.command("knowledge")
def knowledge(
    n: Annotated[int, typer.Option("-n", "--limit", help="First N Myntra dev products.")] = 200,
    show: Annotated[int, typer.Option("--show", help="General sentences to print.")] = 10,
    json_output: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Measure the knowledge store on dev products: is the nearest entry about the value, and the sentences.

    Prints precision@1 over the values the records state that the glossary covers (target >= 0.9), the
    share of products with a covered fabric or construction whose text gets a general sentence (target
    >= 60%), how many of those the critic cut, and some of the sentences to read.
    """
    setup_logging(verbose)
    with errors_to_exit(verbose):
        from seamline.agents.general import MIN_SCORE
        from seamline.config import Settings
        from seamline.evaluation.knowledge_eval import K, run_knowledge_eval
        from seamline.memory.knowledge import KnowledgeStore

        settings = Settings()
        store = KnowledgeStore.open(settings)

        def progress(done: int, total: int) -> None:
            if done % 50 == 0 or done == total:
                err.print(f"knowledge: {done}/{total} products")

        report = run_knowledge_eval(store, n=n, root=settings.shared_data, progress=progress)
        if json_output:
            print_json(report)
            return
        out.print(
            f"knowledge store on {report.products} Myntra dev products, {report.values} stated values the "
            f"glossary covers: precision@1 {report.precision_at_1:.3f} (target >= 0.9), "
            f"an entry about the value in the first {K}: {report.in_top_k:.3f}"
        )
        for category, (count, p1) in report.by_category.items():
            out.print(f"  {category}: {int(count)} values, precision@1 {p1:.3f}")
        if report.wrong:
            out.print("  nearest entry about another term: " + "; ".join(report.wrong), markup=False)
        on, off = report.score_on_topic, report.score_off_topic
        out.print(
            f"  similarity of on-topic nearest entries: min {on.get('min', 0):.3f}, "
            f"p5 {on.get('p5', 0):.3f}, median {on.get('median', 0):.3f}; off-topic: max "
            f"{off.get('max', 0):.3f}, median {off.get('median', 0):.3f}; on-topic under the threshold "
            f"{MIN_SCORE}: {report.below_threshold:.1%}"
        )
        out.print(
            f"general sentences: {report.with_sentence:.1%} of {report.eligible} products whose record "
            f"states a covered fabric or construction (target >= 60%); cut by the critic: {report.cut}"
        )
        for line in report.sentences[:show]:
            out.print(f"  {line}", markup=False)
