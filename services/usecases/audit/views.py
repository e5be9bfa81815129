"""The inspector's views through the HTTP API, each within the reader's scope: the log's
verification (recomputed at most once a minute), its checkpoints and proofs, what a person
or a source system did, and who read whose personal data."""

from __future__ import annotations

import threading
import time
from dataclasses import asdict
from typing import Any
from uuid import UUID

from services.adapters import scoped_queries
from services.adapters.account_store import AccountStore
from services.adapters.audit_log import checkpoints
from services.adapters.eventstore import EventStore
from services.adapters.intake_store import accepted_events
from services.domain.roles import Permission, Principal
from services.usecases.audit.activity import activity
from services.usecases.audit.proofs import consistency_proof, inclusion_proof
from services.usecases.audit.reads import ReaderRequired, reads
from services.usecases.audit.verify import verify
from services.usecases.errors import NotFound, Refused


class Verification:
    """The latest verification of the whole log. A request never computes it: a thread
    does, when the last is older than `max_age` (at 2 M events it takes a minute or two);
    the first request waits `wait` seconds for it, later ones take the last result."""

    def __init__(
        self,
        public_key: str | None,
        origin: str,
        max_age: float = 60.0,
        wait: float = 10.0,
        tail_grace: float = 600.0,
    ) -> None:
        self.public_key, self.origin = public_key, origin  # the key configuration trusts
        self.max_age, self.wait, self.tail_grace = max_age, wait, tail_grace
        # (when, store size then) a tail was first seen that the log has not taken since
        self._tail: tuple[float, int] | None = None
        self._lock = threading.Lock()
        self._last: tuple[float, dict[str, Any]] | None = None
        self._running: threading.Thread | None = None

    def status(self, store: EventStore) -> dict[str, Any]:
        if self.public_key is None:
            return {"ok": False, "error": "AUDIT_KEY_UNKNOWN", "verified_at": None}
        with self._lock:
            last = self._last
            stale = last is None or time.monotonic() - last[0] > self.max_age
            if stale and (self._running is None or not self._running.is_alive()):
                self._running = threading.Thread(
                    target=self._verify, args=(store,), name="audit-verify", daemon=True
                )
                self._running.start()
            running = self._running
        if last is None and running is not None:
            running.join(self.wait)
            last = self._last
        if last is None:
            return {"ok": None, "pending": True, "verified_at": None}
        return last[1]

    def _verify(self, store: EventStore) -> None:
        try:
            report = verify(store, self.public_key or "", origin=self.origin)
        except Exception as e:  # the database away: said, and tried again on the next ask
            self._last = (
                time.monotonic() - self.max_age,
                {"ok": None, "error": f"VERIFY_FAILED: {type(e).__name__}", "verified_at": None},
            )
            return
        # The log's projection trails the store by moments: a tail not logged yet is shown
        # (`unlogged`), not a failure — unless the log has not taken it for `tail_grace`
        # seconds (events added behind the log, or its projection stopped); everything else
        # the verifier finds is a failure.
        now = time.monotonic()
        stuck = self._stuck_tail(now, report.events, report.logged)
        failed = [f for f in report.findings if f.code != "UNLOGGED_TAIL" or stuck]
        self._last = (
            now,
            {
                "ok": not failed,
                "unlogged": report.events - report.logged,
                "unlogged_stuck": stuck,
                "events": report.events,
                "logged": report.logged,
                "checkpoints_ok": report.checkpoints_ok,
                "checkpoints": report.checkpoints,
                "signed_size": report.signed_size,
                "unsigned": report.unsigned,
                "first_bad": str(report.first_bad) if report.first_bad else None,
                "findings": [asdict(f) for f in report.findings[:20]],
                "verified_at": time.time(),
            },
        )

    def _stuck_tail(self, now: float, events: int, logged: int) -> bool:
        if logged >= events:
            self._tail = None
        elif self._tail is None or logged >= self._tail[1]:  # that tail was taken: a new one
            self._tail = (now, events)
        return self._tail is not None and now - self._tail[0] > self.tail_grace


def checkpoint_list(store: EventStore) -> list[dict[str, Any]]:
    with store.connection() as conn, conn.cursor() as cur:
        return checkpoints(cur)  # type: ignore[arg-type]


def inclusion(store: EventStore, who: Principal, event_id: UUID, purpose: str | None) -> Any:
    """The inclusion proof of a household event within the scope. It carries the event's
    bytes: an event with personal data needs a purpose, and the read is recorded first."""
    seen = accepted_events(store, [event_id]).get(event_id)
    if seen is None or not who.covers(scoped_queries.household_village(store, seen.household_id)):
        raise NotFound("EVENT_NOT_FOUND", str(event_id))
    if purpose and not who.may(Permission.PERSONAL_DATA_READ):
        raise Refused("PERMISSION_DENIED", "your role does not read personal data")
    try:
        return inclusion_proof(store, str(event_id), who.name, purpose.strip() if purpose else None)
    except ReaderRequired:
        raise Refused(
            "PURPOSE_REQUIRED", "this event holds personal data: give a purpose"
        ) from None


def consistency(store: EventStore, old: int, new: int) -> dict[str, Any]:
    return consistency_proof(store, old, new)


def _in_scope(store: EventStore, who: Principal, rows: list[dict[str, Any]]) -> list[Any]:
    villages = scoped_queries.villages_of(
        store, sorted({r["household_id"] for r in rows if r.get("household_id")})
    )
    return [
        r
        for r in rows
        if who.covers(villages.get(r["household_id"]) if r.get("household_id") else r["village"])
    ]


def done_by(
    store: EventStore, accounts: AccountStore, who: Principal, kind: str, name: str
) -> list[dict[str, Any]]:
    """What a person ("actor") or a source system ("source") did within the scope: household
    events, the ledger's steps, and (a person's) the account grants they made."""
    rows = activity(store, kind, name)
    ledger = [r for r in rows if "problem_id" in r]
    if ledger:
        with store.connection() as conn:
            places = {
                r["problem_id"]: r["village"]
                for r in conn.execute(
                    "SELECT problem_id, village FROM problem_ledger WHERE problem_id = ANY(%s)",
                    ([r["problem_id"] for r in ledger],),
                ).fetchall()
            }
        for r in ledger:
            r["village"] = places.get(r["problem_id"], "")
    found = _in_scope(store, who, rows)
    if kind == "actor":
        scopes = {r["account_id"]: r["scope"] for r in accounts.rows()}
        found += [
            {
                "position": position,
                "event_type": type(e).__qualname__,
                "account": e.originator_id,
                "stored_at": e.timestamp,
                "role": getattr(e, "role", None),
                "scope": getattr(e, "scope", None),
            }
            for position, e in accounts.events()
            if getattr(e, "by", None) == name and who.covers(scopes.get(e.originator_id))
        ]
    return sorted(found, key=lambda r: r["position"])


def reads_within(
    store: EventStore, who: Principal, household_id: str | None
) -> list[dict[str, Any]]:
    """Who read whose personal data, and why, for the households within the scope."""
    rows = reads(store, household_id, catch_up=False)  # the projection threads keep it
    return _in_scope(store, who, [dict(r) for r in rows])


def published(store: EventStore) -> dict[int, Any]:
    """When each checkpoint (by its size) went to the witnesses' topic (None: not yet)."""
    with store.connection() as conn:
        rows = conn.execute("SELECT tree_size, published_at FROM audit_checkpoints").fetchall()
    return {r["tree_size"]: r["published_at"] for r in rows}
