"""A rebuild that folds a projection's batches in memory and writes its rows, with the
position they stand at, once per many batches: for a projection whose rows each batch
would otherwise read back and merge again (household_state: at the large size a batch of
20,000 events touched 16,800 of 100,000 households' rows on average)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from eventsourcing.persistence import Notification
from psycopg import Cursor

from projections.runner import PositionMoved, ProjectionRunner, Reporter, transient
from services.adapters.eventstore import EventStore

# The events folded between two commits of a rebuild's rows and position: what a failure
# (or a stop) makes it read again; memory holds the rows, not the events.
REBUILD_COMMIT = 1_000_000


class Folding(Protocol):
    """A projection's rows in memory while it is rebuilt (`projection.folding()`)."""

    def fold(self, cur: Cursor[Any], events: Sequence[Any], store: EventStore) -> None:
        """Fold a batch into the rows (reading them from the tables first if it must)."""

    def write(self, cur: Cursor[Any]) -> None:
        """Write the rows the batches folded since the last commit changed."""

    def committed(self) -> None:
        """What was written is committed."""

    def discard(self) -> None:
        """Forget the rows: the next fold reads them from the tables as committed."""


class FoldingRunner(ProjectionRunner):
    """A rebuild's runner (read ahead) for a projection that can fold (`folding()`): each
    batch folded in memory, the rows and the position committed together every
    `commit_every` events and at the end of a catch-up. A batch that fails to fold (or a
    commit that fails to write) is applied again the usual way from the last commit, batch
    by batch, so that the event at fault is skipped on the record as any runner skips it;
    the rows are then read again from the tables."""

    def __init__(self, *args: Any, commit_every: int | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.reads_ahead = True
        self.folded: Folding = self.projection.folding()  # type: ignore[attr-defined]
        self.commit_every = REBUILD_COMMIT if commit_every is None else commit_every

    def rebuild(self, progress: Reporter | None = None) -> int:
        self.folded.discard()  # the tables are emptied: so are the rows in memory
        return super().rebuild(progress)

    def _ahead(self, upto: int | None) -> Iterator[int]:
        start = self.position()
        if upto is not None and start >= upto:
            return

        pending, end = 0, start  # the events folded since the commit at `start`; the last
        try:
            with self._read_ahead(start, upto) as batches:
                for batch in batches:
                    end, pending = batch[-1].id, pending + len(batch)
                    if self._step(start, end, batch, pending >= self.commit_every):
                        yield pending
                        start, pending = end, 0
            if pending and self._step(start, end, None, True):
                yield pending
        except BaseException:  # (a failed read, or a caller that stops early)
            self.folded.discard()  # what was folded and not committed is read again
            raise

    def _step(self, start: int, end: int, batch: list[Notification] | None, commit: bool) -> bool:
        """Fold `batch` (if any) and commit if asked; True if the position is now `end`."""
        try:
            if batch is not None:
                with self.pool.connection() as conn, conn.cursor() as cur:
                    self.folded.fold(cur, self._events(batch), self.store)
            if commit:
                self._write(start, end)
            return commit
        except Exception as e:
            self.folded.discard()
            if isinstance(e, PositionMoved) or transient(e):
                raise
            self._again(start, end)
            return True

    def _write(self, start: int, at: int) -> None:
        """Commit the folded rows with the position `at` they stand at."""
        with self.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute(
                "UPDATE projection_positions SET position = %s, updated_at = now() "
                "WHERE name = %s AND position = %s",
                (at, self.projection.name, start),
            )
            if cur.rowcount != 1:
                raise PositionMoved(self.projection.name)
            self.folded.write(cur)
        self.folded.committed()

    def _again(self, start: int, end: int) -> None:
        """The events after `start` up to `end` applied the usual way, batch by batch."""
        while self._commit(start, self._read(start, end)):
            start = self.position()


def folds(projection: Any) -> bool:
    """Whether a projection can be rebuilt folded in memory."""
    return callable(getattr(projection, "folding", None))
