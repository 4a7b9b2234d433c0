"""Errors meant for people: one small hierarchy, mapped by the CLI to one line and an exit code.

Errors from third-party libraries are caught at the boundary where they happen and re-raised as one of
these with ``raise ... from``, so the type says what went wrong and the message says what to do.
"""

from __future__ import annotations


def first_line(exc: BaseException, limit: int = 200) -> str:
    """A third-party error as a fragment of a one-line message: its first line, cut short, or its type."""
    lines = str(exc).strip().splitlines()
    if not lines:
        return type(exc).__name__
    line = lines[0].strip()
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


class SeamlineError(Exception):
    """Base class of every error Seamline raises on purpose; the message is one line for a person."""

    exit_code = 1


class UsageError(SeamlineError):
    """The input cannot be used as given (empty product, unknown task, bad option)."""

    exit_code = 2


class ConfigError(SeamlineError):
    """The configuration or a data directory cannot be used."""

    exit_code = 2


class ModelError(SeamlineError):
    """A model or adapter cannot be found, read or loaded."""


class BackendError(SeamlineError):
    """A model backend failed while generating (endpoint refused, timed out, returned garbage)."""


class SearchError(SeamlineError):
    """A search source failed; research records it as a warning and goes on with the other sources."""


class ToolError(SeamlineError):
    """A tool the user added raised; research records it on the step and shows it to the planner."""


class RunCancelled(SeamlineError):
    """The caller cancelled a run; it stays resumable from its last checkpoint (``Agent.resume``)."""

    def __init__(self, run_id: str) -> None:
        super().__init__(f"run {run_id} was cancelled; continue it with Agent().resume({run_id!r})")
        self.run_id = run_id


class KnowledgeStoreError(SeamlineError):
    """The knowledge store (Chroma) cannot be opened, read or written."""


class RunStoreError(SeamlineError):
    """The run store (SQLite checkpointer) cannot be opened, or a run id is unknown."""


class IngestError(SeamlineError):
    """A file cannot be read or parsed for ingestion."""


class EvidenceError(UsageError):
    """Evidence given to the critic is malformed."""


class DataMissingError(SeamlineError):
    """The shared evaluation data (../shared/data) is not where it is expected."""


class OutputError(SeamlineError):
    """An output file cannot be written; nothing is left half-written."""
