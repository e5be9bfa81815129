"""`dixian audit …`: checkpoints, verification, proofs, and the inspector's views."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from projections.registry import PROJECTIONS
from projections.runner import ProjectionRunner
from services.audit import offline
from services.audit.log import Signer, checkpoints, make_checkpoint
from services.audit.proofs import ProofError, consistency_proof, inclusion_proof
from services.audit.reads import reads
from services.audit.verify import verify
from services.settings import Settings
from services.store import EventStore


def _out(value: Any, path: Path | None = None) -> None:
    text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    if path:
        path.write_text(text + "\n")
        print(f"written to {path}")
    else:
        print(text)


def checkpoint_now(settings: Settings, store: EventStore) -> dict[str, Any]:
    """Bring the audit log up to the store, then sign it."""
    from services.runtime import projection_pool

    with projection_pool(settings) as pool:
        runner = ProjectionRunner(
            store, pool, PROJECTIONS["audit_log"](), settings.projection_batch_size
        )
        runner.setup()
        runner.catch_up()
        with pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            return make_checkpoint(cur, Signer(settings.signing_key_file()))


def cmd_audit(settings: Settings, args: argparse.Namespace) -> int:
    if args.what == "public-key":
        print(Signer(settings.signing_key_file()).public_key)
        return 0
    if args.what == "verify-proof":
        key = args.public_key or Signer(settings.signing_key_file()).public_key
        return offline.main([str(args.target), "--public-key", key])
    from services.cli import open_store

    with open_store(settings) as (s, store):
        try:
            return _with_store(s, store, args)
        except ProofError as e:
            print(str(e))
            return 1


def _with_store(s: Settings, store: EventStore, args: argparse.Namespace) -> int:
    if args.what == "checkpoint":
        _out(checkpoint_now(s, store))
    elif args.what == "checkpoints":
        with store.connection() as conn, conn.cursor() as cur:
            _out(checkpoints(cur), args.output)  # type: ignore[arg-type]
    elif args.what == "verify":
        report = verify(store, args.public_key)
        print(
            f"{report.events} events in the store, {report.logged} in the log, "
            f"{report.checkpoints_ok} checkpoints match"
        )
        if report.ok:
            print("VERIFIED: nothing was changed, removed, reordered or inserted")
            return 0
        first = report.first_bad
        if first:
            print(f"TAMPERED: first bad position: {first}")
        for finding in report.findings[:20]:
            print(f"  {finding}")
        return 1
    elif args.what == "prove":
        _out(inclusion_proof(store, args.target), args.output)
    elif args.what == "consistency":
        old, new = (int(x) for x in args.target.split(":"))
        _out(consistency_proof(store, old, new), args.output)
    elif args.what in ("actor", "source"):
        _out(_done_by(store, args.what, args.target))
    elif args.what == "reads":
        _out(reads(store, args.target or None))
    return 0


def _done_by(store: EventStore, who: str, name: str) -> list[dict[str, Any]]:
    """What a person (or a source system) did, in the log's order: household events, and
    for a person also the compliance ledger's steps (plans, actions, close-outs, sweeps)."""
    column = "actor_id" if who == "actor" else "source_system"
    with store.connection() as conn:
        rows: list[dict[str, Any]] = []
        if _exists(conn, "audit_trail"):
            rows += conn.execute(
                f"SELECT position, household_id, event_id, event_type, occurred_at, recorded_at, "
                f"source_system, actor_id, actor_role, attestation FROM audit_trail "
                f"WHERE {column} = %s ORDER BY position",
                (name,),
            ).fetchall()
        if who == "actor" and _exists(conn, "ledger_trail"):
            rows += conn.execute(
                "SELECT position, aggregate_id AS problem_id, step AS event_type, rule_id, "
                "subject, on_day, stored_at, actor_id, actor_role FROM ledger_trail "
                "WHERE actor_id = %s ORDER BY position",
                (name,),
            ).fetchall()
    return sorted(rows, key=lambda r: r["position"])


def _exists(conn: Any, table: str) -> bool:
    return bool(conn.execute("SELECT to_regclass(%s) IS NOT NULL AS e", (table,)).fetchone()["e"])


def add_audit_parser(sub: Any) -> None:
    audit = sub.add_parser("audit", help="the tamper-evident log and the inspector's views")
    audit.add_argument(
        "what",
        choices=[
            "checkpoint",
            "checkpoints",
            "verify",
            "prove",
            "consistency",
            "verify-proof",
            "public-key",
            "actor",
            "source",
            "reads",
        ],
        help="prove EVENT_ID; consistency OLD:NEW; verify-proof FILE; actor ID; source NAME; "
        "reads [HOUSEHOLD]",
    )
    audit.add_argument("target", nargs="?", default="", help="see above")
    audit.add_argument("-o", "--output", type=Path, help="write the JSON to this file")
    audit.add_argument("--public-key", help="the key to check signatures with (base64)")
    audit.set_defaults(func=cmd_audit)
