"""Options of the commands that run the agent (run, describe, batch): one definition each."""

from __future__ import annotations

from typing import Annotated, Any

import typer

SearchOpt = Annotated[
    str | None,
    typer.Option(
        help="Where to look for product evidence: auto (web when reachable), web, local:PATH, none."
    ),
]
KnowledgeOpt = Annotated[
    str | None,
    typer.Option(help="Knowledge store: local (Chroma in the data dir), none, chroma+http://HOST:PORT."),
]
ModelOpt = Annotated[
    str | None, typer.Option(help="'default' (SmolLM2-135M), a HF model id or directory, a GGUF.")
]
BackendOpt = Annotated[str | None, typer.Option(help="auto, transformers, llamacpp, openai or fake.")]
AdapterOpt = Annotated[
    str | None,
    typer.Option(help="'default' (the shipped catalog drafter), 'none' (the bare model), or a directory."),
]
EndpointOpt = Annotated[str | None, typer.Option(help="OpenAI-compatible base URL (with --backend openai).")]
TempOpt = Annotated[float | None, typer.Option("--temperature", help="Sampling temperature; 0 is greedy.")]
TopPOpt = Annotated[float | None, typer.Option("--top-p", help="Nucleus sampling threshold.")]
SeedOpt = Annotated[int | None, typer.Option(help="Sampling seed.")]
MaxStepsOpt = Annotated[int | None, typer.Option("--max-steps", help="Most planning turns.")]
MaxCallsOpt = Annotated[int | None, typer.Option("--max-tool-calls", help="Most tool calls.")]
TimeoutOpt = Annotated[float | None, typer.Option("--timeout", help="Wall-clock seconds for the run.")]
MaxTokensOpt = Annotated[int | None, typer.Option("--max-tokens", help="Most LLM tokens for the run.")]
ReviseOpt = Annotated[
    bool, typer.Option("--revise", help="Send the draft back once with the removed claims.")
]
ApproveOpt = Annotated[bool, typer.Option("--approve", help="Ask before each tool call.")]
StreamOpt = Annotated[bool, typer.Option("--stream", help="Show the draft on stderr as the model writes it.")]


SETTING_OPTIONS = (
    "search",
    "knowledge",
    "model",
    "backend",
    "adapter",
    "endpoint",
    "temperature",
    "top_p",
    "seed",
    "max_steps",
    "max_tool_calls",
    "timeout",
    "max_tokens",
    "revise",
)
"""Options of run and describe that are Settings fields; the ones given override the configuration."""


def setting_overrides(options: dict[str, Any]) -> dict[str, Any]:
    """The setting options a command was given, to override the configuration."""
    return {k: options[k] for k in SETTING_OPTIONS if options[k] is not None and options[k] is not False}
