"""The current state of each household: one row per household, for lists and dashboards."""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

import orjson
from psycopg import Cursor
from psycopg.rows import dict_row
from psycopg.types.json import set_json_loads

from services.adapters.eventstore import EventStore
from services.adapters.queries import household_events
from services.adapters.storable import text_array
from services.domain.corrections import CORRECTIONS
from services.domain.events import TOPIC_PREFIX
from services.domain.timeline import COLUMNS, Row, evolve, new_row, state_on

_PICK = itemgetter(*COLUMNS)  # a row's values in the columns' order
_JSONB = [i for i, c in enumerate(COLUMNS) if c in ("risks", "eliminated_risks")]


class HouseholdState:
    name = "household_state"
    raw = True  # it reads the stored values (services.adapters.eventstore.plain_state)
    topics = (TOPIC_PREFIX,)
    bulk_load = True  # reads none of its secondary indexes: a rebuild makes them last
    tables = ("household_state",)
    ddl = """
    CREATE TABLE IF NOT EXISTS household_state (
        household_id text PRIMARY KEY,
        village_code text NOT NULL,
        household_type text NOT NULL,
        monitoring_status text NOT NULL,
        category text,
        risks jsonb NOT NULL DEFAULT '[]',
        eliminated_risks jsonb NOT NULL DEFAULT '[]',  -- restored if the elimination is reverted
        member_count integer NOT NULL,
        open_case text,
        open_case_step text,
        last_visit_on date,
        last_screening_on date,
        identified_on date,
        eliminated_on date,
        safety_net_marked boolean NOT NULL,
        measure_count integer NOT NULL,
        measures_verified integer NOT NULL,
        alert_count integer NOT NULL,
        per_capita_net_income_yuan numeric,
        correction_count integer NOT NULL,
        head_person_id text,
        head_name_masked text,  -- 张*明: never the full name
        county_name text,  -- the names the registration carried
        township_name text,
        village_name text,
        version integer NOT NULL,
        last_event_type text NOT NULL,
        last_occurred_at timestamptz NOT NULL,
        last_position bigint NOT NULL
    );
    CREATE INDEX IF NOT EXISTS household_state_village
        ON household_state (village_code, monitoring_status);
    -- a table made by an earlier version gains the columns (rebuild to fill them)
    ALTER TABLE household_state
        ADD COLUMN IF NOT EXISTS head_person_id text,
        ADD COLUMN IF NOT EXISTS head_name_masked text,
        ADD COLUMN IF NOT EXISTS county_name text,
        ADD COLUMN IF NOT EXISTS township_name text,
        ADD COLUMN IF NOT EXISTS village_name text;
    """

    def apply(self, cur: Cursor[Any], events: Sequence[tuple[int, Any]], store: EventStore) -> None:
        # The stored values (raw), not event objects: their making was a third of a rebuild.
        values = [(p, n, store.plain(n) or vars(store.decode(n))) for p, n in events]
        ids = list({v["household_id"] for _, _, v in values})
        with cur.connection.cursor(row_factory=dict_row) as read:
            set_json_loads(orjson.loads, read)  # (the library's json: three times slower)
            read.execute(
                "SELECT * FROM household_state WHERE household_id = ANY(%s::text[])",
                (text_array(ids),),
            )
            rows: dict[str, Row] = {r["household_id"]: r for r in read.fetchall()}
        for position, n, v in values:
            hid = v["household_id"]
            row = rows.get(hid)
            if row is None:
                row = rows[hid] = new_row(hid)
            evolve(row, n.topic[len(TOPIC_PREFIX) :], v["facts"])
            row.update(
                version=n.originator_version,
                last_event_type=v["event_type"],
                last_occurred_at=v["occurred_at"],
                last_position=position,
            )
        corrected = {v["household_id"] for _, _, v in values if v["event_type"] in CORRECTIONS}
        if corrected:
            # A retraction or amendment changes what earlier events mean: recompute those
            # households from their history up to this batch (corrections are rare).
            upto = events[-1][0]
            for hid in corrected:
                history = [e for p, e in household_events(store, hid) if p <= upto]
                row = state_on(history)
                assert row is not None
                rows[hid] = row | {"last_position": rows[hid]["last_position"]}
        # COPY into a staging table, then one set-based merge (an upsert per row cost a
        # round trip's work each: three quarters of a rebuild).
        columns = ", ".join(COLUMNS)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS[1:])
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS household_state_stage "
            "(LIKE household_state INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        cur.execute("TRUNCATE household_state_stage")  # a split batch's earlier try
        with cur.copy(f"COPY household_state_stage ({columns}) FROM STDIN") as copy:
            for r in rows.values():
                row_values = list(_PICK(r))
                for i in _JSONB:
                    row_values[i] = orjson.dumps(row_values[i]).decode()
                copy.write_row(row_values)
        cur.execute(
            f"INSERT INTO household_state ({columns}) SELECT {columns} FROM household_state_stage "
            f"ON CONFLICT (household_id) DO UPDATE SET {updates}"
        )
