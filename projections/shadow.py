"""Projections that can be checked: a projection rebuilt from the store into a shadow schema,
compared row by row with the live tables — `dixian projections verify` names the rows that
differ — and swapped in for them in one transaction (`dixian projections rebuild`), so that
there is never an empty window and a rebuild never hides a table edited behind the
projection's back without saying so."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool

from projections.folding import FoldingRunner, folds
from projections.runner import Projection, ProjectionRunner, Reporter
from services.adapters.eventstore import EventStore
from services.adapters.household_cache import (
    REBUILD_YOUNG,
    seldom_young_collections,
    young_collections_every,
)

SHADOW = "dixian_shadow"  # the schema a projection is rebuilt in
# A rebuild reads in larger batches than a tailing runner: a household's row is then read
# and merged once per 20,000 events, not once per 5,000 (about 60 MB of decoded events).
REBUILD_BATCH = 20_000


@dataclass
class Difference:
    table: str
    key: str
    live: dict[str, Any] | None  # None: the rebuild has a row the live table lacks
    rebuilt: dict[str, Any] | None  # None: the live table has a row the rebuild lacks

    def __str__(self) -> str:
        if self.live is None:
            return f"{self.table} {self.key}: missing from the live table"
        if self.rebuilt is None:
            return f"{self.table} {self.key}: in the live table, not in a rebuild"
        changed = sorted(k for k in self.live if self.live[k] != self.rebuilt.get(k))
        shown = ", ".join(
            f"{k}={self.live[k]!r} (rebuilt: {self.rebuilt.get(k)!r})" for k in changed
        )
        return f"{self.table} {self.key}: {shown}"


@dataclass
class Comparison:
    name: str
    position: int
    differences: list[Difference] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.differences


class _Connection:
    """One connection on the shadow schema, shaped as a pool for a runner."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        yield self.conn


SHADOW_LOCK = 0x64697873686164  # "dixshad": held while the shadow schema is in use


@contextlib.contextmanager
def _shadow(url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(url, autocommit=True) as conn:
        # One shadow schema per database: a second rebuild or verify (another web worker, the
        # command line) waits for the first rather than drop the schema under it.
        conn.execute("SELECT pg_advisory_lock(%s)", (SHADOW_LOCK,))
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(SHADOW)))
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(SHADOW)))
        conn.execute(sql.SQL("SET search_path TO {}, public").format(sql.Identifier(SHADOW)))
        try:
            yield conn
        finally:
            conn.execute(sql.SQL("SET search_path TO public"))
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(SHADOW)))


def _key_columns(conn: psycopg.Connection[Any], table: str) -> list[str]:
    rows = conn.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary "
        "ORDER BY array_position(i.indkey, a.attnum)",
        (f"public.{table}",),
    ).fetchall()
    return [r[0] for r in rows]


def _columns(conn: psycopg.Connection[Any], table: str) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
        "AND table_name = %s ORDER BY ordinal_position",
        (SHADOW, table),
    ).fetchall()
    return [r[0] for r in rows]


def _compare(
    conn: psycopg.Connection[Any], tables: tuple[str, ...], most: int
) -> tuple[int, list[Difference]]:
    """The rows that differ between the live tables and their rebuilt shadows."""
    found: list[Difference] = []
    rows = 0
    for table in tables:
        columns = _columns(conn, table)
        keys = _key_columns(conn, table)
        rows += conn.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(SHADOW, table))
        ).fetchone()[0]
        if keys:
            found += _joined(conn, table, columns, keys, most)
        else:
            found += _excepted(conn, table, columns, columns[:1], most)
    return rows, found


def _joined(
    conn: psycopg.Connection[Any], table: str, columns: list[str], keys: list[str], most: int
) -> list[Difference]:
    """A table with a primary key, compared in one pass: the live rows joined to the
    rebuilt ones by their keys (two passes of `EXCEPT ALL` took twice as long)."""

    def side(alias: str) -> sql.Composable:
        return sql.SQL(", ").join(sql.Identifier(alias, c) for c in columns)

    query = sql.SQL(
        "SELECT {l}, {r} FROM {live} l FULL JOIN {rebuilt} r ON {on} "
        "WHERE ROW({l}) IS DISTINCT FROM ROW({r}) LIMIT {n}"
    ).format(
        l=side("l"),
        r=side("r"),
        live=sql.Identifier("public", table),
        rebuilt=sql.Identifier(SHADOW, table),
        on=sql.SQL(" AND ").join(
            sql.SQL("{} = {}").format(sql.Identifier("l", k), sql.Identifier("r", k)) for k in keys
        ),
        n=sql.Literal(most),
    )
    found = []
    width = len(columns)
    with conn.cursor(row_factory=psycopg.rows.tuple_row) as cur:
        selected = cur.execute(query).fetchall()
    for values in selected:
        live = dict(zip(columns, values[:width], strict=True))
        rebuilt = dict(zip(columns, values[width:], strict=True))
        present = [r if r[keys[0]] is not None else None for r in (live, rebuilt)]  # keys: NOT NULL
        shown = present[0] or present[1]
        assert shown is not None
        key = "/".join(str(shown[k]) for k in keys)
        found.append(Difference(table, key, present[0], present[1]))
    return found


def _excepted(
    conn: psycopg.Connection[Any], table: str, columns: list[str], keys: list[str], most: int
) -> list[Difference]:
    """A table without a primary key: the rows of either side the other lacks."""
    found: list[Difference] = []
    cols = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    live = sql.Identifier("public", table)
    rebuilt = sql.Identifier(SHADOW, table)
    with conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
        for a, b, side in ((live, rebuilt, "live"), (rebuilt, live, "rebuilt")):
            cur.execute(
                sql.SQL("SELECT {c} FROM {a} EXCEPT ALL SELECT {c} FROM {b} LIMIT {n}").format(
                    c=cols, a=a, b=b, n=sql.Literal(most)
                )
            )
            for row in cur.fetchall():
                key = "/".join(str(row[k]) for k in keys)
                other = next((d for d in found if d.key == key), None)
                if other is None:
                    other = Difference(table, key, None, None)
                    found.append(other)
                setattr(other, side, row)
    return found


def _drop_indexes(conn: psycopg.Connection[Any], tables: tuple[str, ...]) -> list[str]:
    """Drop the shadow tables' indexes that back no constraint (a projection that reads
    none of them while it is applied: `bulk_load`); return how to make them again. Each
    row written into five indexes cost more of a rebuild than the rows themselves."""
    rows = conn.execute(
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), "
        "pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE i.indrelid = ANY(%s::regclass[]) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
        ([f"{SHADOW}.{t}" for t in tables],),
    ).fetchall()
    for name, _ in rows:
        conn.execute(sql.SQL("DROP INDEX {}").format(sql.SQL(name)))
    return [definition for _, definition in rows]


def _position(conn: psycopg.Connection[Any], name: str) -> int:
    row = conn.execute(
        "SELECT position FROM public.projection_positions WHERE name = %s", (name,)
    ).fetchone()
    return int(row[0]) if row else 0


class ShadowRebuild:
    """Rebuild one projection in the shadow schema; compare it with the live tables; swap."""

    def __init__(
        self, store: EventStore, pool: ConnectionPool, url: str, projection: Projection, batch: int
    ) -> None:
        self.store, self.pool, self.url = store, pool, url
        self.projection, self.batch = projection, batch
        seldom_young_collections()
        # the shadow's connection and the indexes a bulk load makes at its end
        self._deferred: tuple[Any, list[str]] = (None, [])

    @contextlib.contextmanager
    def _compared(
        self, mode: str, most: int, progress: Reporter | None = None
    ) -> Iterator[tuple[Any, ProjectionRunner, Comparison]]:
        """The projection rebuilt in the shadow schema up to where the live one stands, and
        compared with it while the live tables are locked in `mode`; yields the locking
        connection, the shadow's runner and the comparison. `progress` hears the rebuild
        before the lock (the long part)."""
        live = ProjectionRunner(self.store, self.pool, self.projection, self.batch)
        live.setup()
        tables = tuple(self.projection.tables)
        with _shadow(self.url) as conn, young_collections_every(REBUILD_YOUNG):
            batch = max(self.batch, REBUILD_BATCH)
            shadow = (FoldingRunner if folds(self.projection) else ProjectionRunner)(
                self.store,
                _Connection(conn),  # type: ignore[arg-type]
                self.projection,
                batch,
                reads_ahead=True,
            )
            shadow.setup()
            if getattr(self.projection, "bulk_load", False):
                self._deferred = (conn, _drop_indexes(conn, tables))
            shadow.catch_up(live.position(), progress)
            with self.pool.connection() as lock, lock.transaction():
                self._lock(lock, tables, mode)  # the live runner waits while we compare
                position = _position(lock, self.projection.name)
                shadow.catch_up(position)
                rows, differences = _compare(lock, tables, most)
                yield lock, shadow, Comparison(self.projection.name, position, differences, rows)

    def verify(self, most: int = 50, progress: Reporter | None = None) -> Comparison:
        """Rebuild into the shadow up to where the live projection stands, and compare."""
        with self._compared("SHARE", most, progress) as (_, _, comparison):
            return comparison

    def rebuild(self, most: int = 50, progress: Reporter | None = None) -> Comparison:
        """Rebuild into the shadow, then in one transaction compare it with the live tables
        where they stand, bring it to the store's head and put it in their place."""
        tables = tuple(self.projection.tables)
        with self._compared("ACCESS EXCLUSIVE", most, progress) as (swap, shadow, compared):
            shadow.catch_up()  # …then brought to the head, and put in their place
            conn, definitions = self._deferred
            for definition in definitions:  # the indexes made once, from all the rows
                conn.execute(definition)
            position = shadow.position()
            rows = sum(
                swap.execute(
                    sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(SHADOW, t))
                ).fetchone()[0]
                for t in tables
            )
            for table in tables:
                swap.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier("public", table)))
                swap.execute(
                    sql.SQL("ALTER TABLE {} SET SCHEMA public").format(
                        sql.Identifier(SHADOW, table)
                    )
                )
            swap.execute(
                "UPDATE projection_positions SET position = %s, updated_at = now() WHERE name = %s",
                (position, self.projection.name),
            )
            swap.execute("DELETE FROM projection_skipped WHERE name = %s", (self.projection.name,))
            swap.execute(
                sql.SQL("INSERT INTO projection_skipped SELECT * FROM {} WHERE name = %s").format(
                    sql.Identifier(SHADOW, "projection_skipped")
                ),
                (self.projection.name,),
            )
        return Comparison(self.projection.name, position, compared.differences, rows)

    @staticmethod
    def _lock(conn: psycopg.Connection[Any], tables: tuple[str, ...], mode: str) -> None:
        conn.execute(
            sql.SQL("LOCK TABLE {} IN {} MODE").format(
                sql.SQL(", ").join(sql.Identifier("public", t) for t in tables), sql.SQL(mode)
            )
        )
