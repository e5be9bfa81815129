"""The ledger's trail: every event of the compliance ledger — a problem raised, resolved by
the facts, found again, planned, acted on, closed out (销号), reopened; every sweep — with
its position in the log, who and when. What `dixian audit actor` shows beside the
households' events, so an inspector sees who closed out what."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psycopg import Cursor

from projections.runner import Positioned
from services.adapters.storable import storable, storable_json
from services.domain.compliance.ledger import LEDGER_TOPIC_PREFIX

COLUMNS = (
    "position",
    "aggregate_id",
    "version",
    "step",
    "rule_id",
    "subject",
    "village",
    "on_day",
    "actor_id",
    "actor_role",
    "stored_at",
    "payload",
)
_HIDDEN = {"originator_id", "originator_version", "timestamp", "originator_topic"}


class LedgerTrail:
    name = "ledger_trail"
    tables = ("ledger_trail",)
    topics = (LEDGER_TOPIC_PREFIX,)
    ddl = """
    CREATE TABLE IF NOT EXISTS ledger_trail (
        position bigint PRIMARY KEY,
        aggregate_id uuid NOT NULL,
        version integer NOT NULL,
        step text NOT NULL,
        rule_id text,
        subject text,
        village text,
        on_day date NOT NULL,
        actor_id text NOT NULL,
        actor_role text NOT NULL,
        stored_at timestamptz NOT NULL,
        payload jsonb NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ledger_trail_aggregate ON ledger_trail (aggregate_id, version);
    CREATE INDEX IF NOT EXISTS ledger_trail_actor ON ledger_trail (actor_id, position);
    """

    def apply(self, cur: Cursor[Any], events: Sequence[Positioned], store: Any) -> None:
        ids = list({e.originator_id for _, e in events})
        cur.execute(
            "SELECT aggregate_id, rule_id, subject, village FROM ledger_trail "
            "WHERE aggregate_id = ANY(%s) AND version = 1",
            (ids,),
        )
        raised = {r[0]: r[1:] for r in cur.fetchall()}
        rows = []
        for position, e in events:
            step = type(e).__qualname__
            facts = {k: v for k, v in vars(e).items() if k not in _HIDDEN}
            if step == "Problem.Raised":
                raised[e.originator_id] = (e.rule_id, f"{e.subject_type} {e.subject}", e.village)
            rule_id, subject, village = raised.get(e.originator_id, (None, None, None))
            if step == "Sweep.Completed":
                actor, role, day = e.ran_by, "system", e.as_of
                facts = {k: v for k, v in facts.items() if k != "coverage"}  # in the store
            else:
                actor, role = getattr(e, "by", "sweep"), getattr(e, "role", "system")
                day = e.on
            rows.append(
                (
                    position,
                    e.originator_id,
                    e.originator_version,
                    step,
                    rule_id,
                    storable(subject) if subject is not None else None,
                    village,
                    day,
                    storable(actor),
                    storable(role),
                    e.timestamp,
                    storable_json(facts, sort_keys=True, default=str),
                )
            )
        with cur.copy(f"COPY ledger_trail ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
