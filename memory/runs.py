"""The run store: LangGraph's SQLite checkpointer plus a small index of runs for `agent runs`."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from seamline.errors import RunStoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seamline_runs (
    run_id TEXT PRIMARY KEY,
    product TEXT NOT NULL,
    task TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    state TEXT NOT NULL,
    options TEXT NOT NULL,
    result TEXT
)
"""


class RunSummary(BaseModel):
    """One line of `agent runs list`."""

    run_id: str
    product: str
    task: str
    created_at: str
    updated_at: str
    state: str


CHECKPOINT_TYPES = [
    ("seamline.results", name)
    for name in (
        "Evidence",
        "Claim",
        "CheckResult",
        "Step",
        "Action",
        "Usage",
        "Detail",
        "RunStatus",
        "DescribeResult",
        "Comparison",
    )
]
"""Types that may be deserialised from a checkpoint (LangGraph blocks unregistered types)."""


def new_run_id() -> str:
    """A short, sortable-enough, unique run id."""
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:8]


class RunStore:
    """Owns the SQLite database: the checkpointer's tables and the run index live in one file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # check_same_thread=False: LangGraph may write checkpoints from a worker thread; the lock below
            # and the saver's own lock serialise access.
            self.conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute(_SCHEMA)
        except sqlite3.Error as exc:
            raise RunStoreError(
                f"cannot open the run store {path} ({exc}); move it aside or set SEAMLINE_DATA_DIR"
            ) from exc
        self._lock = threading.Lock()
        self._saver: Any = None
        self._saver_lock = threading.Lock()

    @property
    def checkpointer(self) -> Any:
        """LangGraph's SqliteSaver on the same database."""
        with self._saver_lock:
            return self._checkpointer()

    def _checkpointer(self) -> Any:
        if self._saver is None:
            from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
            from langgraph.checkpoint.sqlite import SqliteSaver

            # Our state holds pydantic result models; allow exactly those to be read back.
            serde = JsonPlusSerializer(allowed_msgpack_modules=CHECKPOINT_TYPES)
            saver = SqliteSaver(self.conn, serde=serde)
            # One lock for the one connection: concurrent runs write checkpoints and index rows from
            # several threads, and a statement must not land inside the saver's transaction.
            saver.lock = self._lock
            with self._lock:
                saver.setup()
            self._saver = saver
        return self._saver

    def record(self, run_id: str, *, product: str, task: str, state: str, options: dict[str, Any]) -> None:
        """Create or update a run's index row."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock:
            self.conn.execute(
                "INSERT INTO seamline_runs (run_id, product, task, created_at, updated_at, state, options)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(run_id) DO UPDATE SET updated_at=excluded.updated_at, state=excluded.state",
                (run_id, product, task, now, now, state, json.dumps(options, default=str)),
            )

    def finish(self, run_id: str, state: str, result_json: str) -> None:
        """Store a run's final state and result."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock:
            self.conn.execute(
                "UPDATE seamline_runs SET state=?, updated_at=?, result=? WHERE run_id=?",
                (state, now, result_json, run_id),
            )

    def get(self, run_id: str) -> tuple[RunSummary, dict[str, Any], str | None]:
        """A run's summary, its options and its result JSON (None while unfinished)."""
        with self._lock:
            row = self.conn.execute(
                "SELECT run_id, product, task, created_at, updated_at, state, options, result"
                " FROM seamline_runs WHERE run_id=?",
                (run_id,),
            ).fetchone()
        if row is None:
            raise RunStoreError(f"no run with id {run_id!r} in {self.path}; `agent runs list` shows the ids")
        summary = RunSummary(
            run_id=row[0], product=row[1], task=row[2], created_at=row[3], updated_at=row[4], state=row[5]
        )
        return summary, json.loads(row[6]), row[7]

    def list(self, limit: int = 50) -> list[RunSummary]:
        """The most recent runs first."""
        with self._lock:
            rows = self.conn.execute(
                "SELECT run_id, product, task, created_at, updated_at, state FROM seamline_runs"
                " ORDER BY created_at DESC, run_id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            RunSummary(run_id=r[0], product=r[1], task=r[2], created_at=r[3], updated_at=r[4], state=r[5])
            for r in rows
        ]

    def close(self) -> None:
        """Close the database."""
        self.conn.close()
