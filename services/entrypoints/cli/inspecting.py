"""`dixian household|notice|audit`: what inspectors (纪检监察) and bureau staff read — a
household's state and history, as of any day; its public notice; the tamper-evident log,
its proofs, and who did and read what."""

from __future__ import annotations

import argparse
import base64
import binascii
import json
from pathlib import Path
from typing import Any
from uuid import UUID

from services.adapters import queries
from services.adapters.audit_log import Signer, checkpoints
from services.adapters.eventstore import EventStore
from services.adapters.progress import Progress
from services.domain.audit import offline
from services.domain.notice import render_public_notice
from services.domain.timeline import state_on
from services.entrypoints.cli.common import (
    CommandError,
    a_day,
    add_json,
    not_found,
    open_store,
    positive,
    print_json,
    shown,
    usage,
)
from services.settings import Settings
from services.usecases.audit.activity import activity
from services.usecases.audit.checkpoint import checkpoint_now
from services.usecases.audit.proofs import ProofError, consistency_proof, inclusion_proof
from services.usecases.audit.reads import ReaderRequired, reads, record_read
from services.usecases.audit.verify import verify


def cmd_household(settings: Settings, args: argparse.Namespace) -> int:
    if args.what == "as-of" and args.occurred_on is None and args.known_on is None:
        raise usage("DATE_MISSING", "give --occurred-on DATE, --known-on DATE or both")
    with open_store(settings) as (s, store):
        try:
            record_read(
                store,
                args.reader or s.reader,
                args.purpose or s.read_purpose,
                args.household_id,
                f"household {args.what}",
            )
        except ReaderRequired as e:
            code, _, detail = str(e).partition(": ")
            raise usage(code, detail) from None
        if args.what == "as-of":
            events = [e for _, e in queries.household_events(store, args.household_id)]
            row = state_on(events, occurred_on=args.occurred_on, known_on=args.known_on)
            if row is None:
                raise not_found(
                    "HOUSEHOLD_NOT_FOUND", f"{args.household_id} was not registered then"
                )
            print_json(row)
            return 0
        if args.what == "show":
            state = queries.household_state(store, args.household_id)
            if state is None:
                raise not_found(
                    "HOUSEHOLD_NOT_FOUND",
                    f"no household {args.household_id} in the household_state projection",
                )
            print_json(state)
            return 0
        history = queries.household_history(store, args.household_id)
    if not history:
        raise not_found("HOUSEHOLD_NOT_FOUND", f"no events for household {args.household_id}")
    shown_history = history[: args.limit] if args.limit else history
    if args.json:
        print_json(shown_history)
        return 0
    for h in shown_history:
        print(
            f"#{h['position']:<6} v{h['version']:<3} occurred {shown(h['occurred_at'])}  "
            f"recorded {shown(h['recorded_at'])}  {h['event']}  by {h['actor']} "
            f"via {h['source_system']}  [{h['event_id']}]"
        )
        print(f"         {json.dumps(h['facts'], ensure_ascii=False)}")
    if len(shown_history) < len(history):
        print(f"({len(shown_history)} of {len(history)} events shown; --limit)")
    return 0


def cmd_notice(settings: Settings, args: argparse.Namespace) -> int:
    with open_store(settings) as (s, store):
        events = [e for _, e in queries.household_events(store, args.household_id)]
        notice = render_public_notice(events, args.notice_id, s.min_notice_days)
    if notice is None:
        raise not_found("NOTICE_NOT_FOUND", f"no notice {args.notice_id} for {args.household_id}")
    print_json(notice)
    return 0


def _public_key(text: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise usage("PUBLIC_KEY_INVALID", "give the log's public key in base64") from None
    if len(key) != 32:
        raise usage("PUBLIC_KEY_INVALID", "an Ed25519 public key has 32 bytes")
    return key


def verify_proof_file(path: Path, public_key: str) -> int:
    """Check an exported proof offline, as services/domain/audit/offline.py does."""
    key = _public_key(public_key)
    try:
        proof = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise not_found("FILE_NOT_FOUND", f"no proof file {path}") from None
    except (ValueError, UnicodeDecodeError) as e:
        raise CommandError("PROOF_UNREADABLE", f"{path} is not a JSON proof: {e}") from None
    try:
        print("VERIFIED: " + offline.verify_proof(proof, key))
        return 0
    except (ValueError, KeyError, TypeError) as e:
        print(f"NOT VERIFIED: {e}")
        return 1


def cmd_audit(settings: Settings, args: argparse.Namespace) -> int:
    if args.what == "public-key":
        print(Signer(settings.signing_key_file()).public_key)
        return 0
    if args.what == "verify-proof":
        if not args.target:
            raise usage("FILE_MISSING", "give the proof file: audit verify-proof FILE")
        key = args.public_key or Signer(settings.signing_key_file()).public_key
        return verify_proof_file(Path(args.target), key)
    target = _target(args)
    with open_store(settings) as (s, store):
        try:
            return _with_store(s, store, args, target)
        except ProofError as e:
            raise not_found(e.code, str(e).partition(": ")[2]) from None


def _target(args: argparse.Namespace) -> Any:
    """The argument the command names, checked before anything is opened."""
    if args.what == "prove":
        try:
            return str(UUID(args.target))
        except ValueError:
            raise usage("EVENT_ID_INVALID", f"give an event id (a UUID): {args.target!r}") from None
    if args.what == "consistency":
        old, _, new = args.target.partition(":")
        if not (old.isdigit() and new.isdigit()):
            raise usage(
                "SIZES_INVALID",
                f"give two checkpoint sizes as OLD:NEW, e.g. 10:25: {args.target!r}",
            )
        return int(old), int(new)
    if args.what in ("actor", "source") and not args.target:
        raise usage("TARGET_MISSING", f"give the {args.what}: audit {args.what} NAME")
    return args.target


def _with_store(s: Settings, store: EventStore, args: argparse.Namespace, target: Any) -> int:
    limit = args.limit
    if args.what == "checkpoint":
        print_json(checkpoint_now(s, store))
    elif args.what == "checkpoints":
        with store.connection() as conn, conn.cursor() as cur:
            rows = checkpoints(cur)  # type: ignore[arg-type]
        print_json(rows[-limit:] if limit else rows, args.output)
    elif args.what == "verify":
        with Progress("verify the audit log", "events") as progress:
            report = verify(store, args.public_key, progress=progress)
        return _report(report, args.json)
    elif args.what == "prove":
        print_json(inclusion_proof(store, target), args.output)
    elif args.what == "consistency":
        print_json(consistency_proof(store, *target), args.output)
    elif args.what in ("actor", "source"):
        rows = activity(store, args.what, target)
        print_json(rows[:limit] if limit else rows, args.output)
    elif args.what == "reads":
        rows = reads(store, target or None)
        print_json(rows[:limit] if limit else rows, args.output)
    return 0


def _report(report: Any, as_json: bool) -> int:
    first = report.first_bad
    if as_json:
        print_json(
            {
                "verified": report.ok,
                "events": report.events,
                "logged": report.logged,
                "checkpoints_ok": report.checkpoints_ok,
                "first_bad": str(first) if first else None,
                "findings": [str(f) for f in report.findings],
            }
        )
        return 0 if report.ok else 1
    print(
        f"{report.events} events in the store, {report.logged} in the log, "
        f"{report.checkpoints_ok} checkpoints match"
    )
    if report.ok:
        print("VERIFIED: nothing was changed, removed, reordered or inserted")
        return 0
    if first:
        print(f"TAMPERED: first bad position: {first}")
    for finding in report.findings[:20]:
        print(f"  {finding}")
    return 1


def add_inspecting_parsers(sub: Any) -> None:
    household = sub.add_parser("household", help="a household's state or full history")
    household.add_argument("what", choices=["show", "history", "as-of"])
    household.add_argument("household_id")
    add_json(household)
    household.add_argument("--limit", type=positive, help="history: the first N events")
    household.add_argument("--reader", help="who reads (recorded; or DIXIAN_READER)")
    household.add_argument("--purpose", help="why (recorded; or DIXIAN_READ_PURPOSE)")
    household.add_argument("--occurred-on", type=a_day, help="as-of: what had happened by this day")
    household.add_argument(
        "--known-on", type=a_day, help="as-of: what had been recorded by this day"
    )
    household.set_defaults(func=cmd_household)

    notice = sub.add_parser("notice", help="a public notice as the village may see it")
    notice.add_argument("what", choices=["render"])
    notice.add_argument("household_id")
    notice.add_argument("notice_id")
    add_json(notice)
    notice.set_defaults(func=cmd_notice)

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
    audit.add_argument("--limit", type=positive, help="at most N rows")
    add_json(audit)
    audit.set_defaults(func=cmd_audit)
