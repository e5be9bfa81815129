"""`dixian audit …`: the tamper-evident log for inspectors (纪检监察) — sign, verify (also
against checkpoints kept elsewhere), prove, witness, rotate the key; who did and read what."""

from __future__ import annotations

import argparse
import asyncio
import base64
import binascii
import json
from pathlib import Path
from typing import Any
from uuid import UUID

from services.adapters.audit_log import Signer
from services.adapters.eventstore import EventStore
from services.adapters.progress import Progress
from services.domain.audit import offline
from services.entrypoints.cli.common import (
    CommandError,
    add_json,
    not_found,
    open_store,
    positive,
    print_json,
    usage,
)
from services.settings import Settings
from services.usecases.audit.activity import activity
from services.usecases.audit.checkpoint import checkpoint_now, rotate_key
from services.usecases.audit.cosignatures import send_back
from services.usecases.audit.proofs import ProofError, consistency_proof, inclusion_proof
from services.usecases.audit.publishing import checkpoint_messages
from services.usecases.audit.reads import ReaderRequired, reads
from services.usecases.audit.verify import Report, verify
from services.usecases.audit.witness import Witness, held_checkpoints


def _public_key(text: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise usage("PUBLIC_KEY_INVALID", "give the log's public key in base64") from None
    if len(key) != 32:
        raise usage("PUBLIC_KEY_INVALID", "an Ed25519 public key has 32 bytes")
    return key


def _key(settings: Settings, args: argparse.Namespace) -> str:
    """The key verification trusts: --public-key, or the configured one (never a row's)."""
    key = args.public_key or settings.verifying_key()
    if not key:
        raise usage(
            "AUDIT_KEY_UNKNOWN", "give --public-key (the log's key) or DIXIAN_AUDIT_PUBLIC_KEY"
        )
    _public_key(key)
    return str(key)


def verify_proof_file(path: Path, public_key: str, witnesses: list[str] | None = None) -> int:
    """Check an exported proof offline, as services/domain/audit/offline.py does; each
    witness given (NAME=KEY) must have co-signed its checkpoint."""
    key = _public_key(public_key)
    try:
        cosigners = offline.parse_witnesses(witnesses or [])
    except (ValueError, binascii.Error) as e:
        raise usage("WITNESS_UNREADABLE", str(e)) from None
    try:
        proof = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise not_found("FILE_NOT_FOUND", f"no proof file {path}") from None
    except (ValueError, UnicodeDecodeError) as e:
        raise CommandError("PROOF_UNREADABLE", f"{path} is not a JSON proof: {e}") from None
    try:
        print("VERIFIED: " + offline.verify_proof(proof, key, cosigners))
        return 0
    except (ValueError, KeyError, TypeError) as e:
        print(f"NOT VERIFIED: {e}")
        return 1


def cmd_audit(settings: Settings, args: argparse.Namespace) -> int:
    if args.what == "public-key":
        print(settings.signer().public_key)
        return 0
    if args.what == "verify-proof":
        if not args.target:
            raise usage("FILE_MISSING", "give the proof file: audit verify-proof FILE")
        return verify_proof_file(Path(args.target), _key(settings, args), args.witness)
    if args.what == "witness":
        return witness(settings, args)
    target = _target(args)
    key = _key(settings, args) if args.what == "verify" else None  # before the store opens
    with open_store(settings) as (s, store):
        try:
            return _with_store(s, store, args, target, key)
        except ProofError as e:
            raise not_found(e.code, e.detail) from None
        except ReaderRequired as e:
            code, _, detail = str(e).partition(": ")
            raise usage(code, detail) from None


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
    if args.what == "rotate-key" and not args.target:
        raise usage("KEY_FILE_MISSING", "give the new key's file: dixian audit rotate-key FILE")
    return args.target


def _with_store(
    s: Settings, store: EventStore, args: argparse.Namespace, target: Any, key: str | None
) -> int:
    limit = args.limit
    if args.what == "checkpoint":
        print_json(checkpoint_now(s, store))
    elif args.what == "checkpoints":  # with their consistency proofs: what a witness reads
        rows = checkpoint_messages(store)
        print_json(rows[-limit:] if limit else rows, args.output)
    elif args.what == "verify":
        return _verify(s, store, args, str(key))
    elif args.what == "prove":
        proof = inclusion_proof(store, target, args.reader or s.reader,
                                args.purpose or s.read_purpose)  # fmt: skip
        print_json(proof, args.output)
    elif args.what == "consistency":
        print_json(consistency_proof(store, *target), args.output)
    elif args.what == "rotate-key":
        print_json(rotate_key(s, store, Signer(Path(target), s.audit_origin)))
    elif args.what in ("actor", "source"):
        rows = activity(store, args.what, target)
        print_json(rows[:limit] if limit else rows, args.output)
    elif args.what == "reads":
        rows = reads(store, target or None)
        print_json(rows[:limit] if limit else rows, args.output)
    return 0


def _held(path: Path) -> list[dict[str, Any]]:
    """The checkpoints of --against, or the one line saying why they cannot be read."""
    try:
        return held_checkpoints(path)
    except FileNotFoundError as e:
        raise not_found("FILE_NOT_FOUND", f"no checkpoints at {e.filename or path}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise usage(
            "CHECKPOINTS_UNREADABLE",
            f"{path} is not a witness's directory nor an export of checkpoints: {e}",
        ) from None


def _verify(s: Settings, store: EventStore, args: argparse.Namespace, key: str) -> int:
    against = _held(args.against) if args.against else None
    with Progress("verify the audit log", "events") as progress:
        report = verify(store, key, against, s.audit_origin, progress=progress)
    if args.json:
        print_json(_as_json(report, args.against))
        return 0 if report.ok else 1
    print(
        f"{report.events} events in the store, {report.logged} in the log; "
        f"{report.checkpoints_ok} of {report.checkpoints} checkpoint matches"
        + (f" (against {args.against})" if args.against else "")
    )
    if report.ok:
        print(
            f"VERIFIED: nothing was changed, removed, reordered or inserted up to the last "
            f"signed checkpoint ({report.signed_size} events)"
            + (f"; {report.unsigned} events since are not signed yet" if report.unsigned else "")
        )
        return 0
    first = report.first_bad
    if first:
        print(f"TAMPERED: first bad position: {first}")
    for finding in report.findings[:20]:
        print(f"  {finding}")
    return 1


def _as_json(report: Report, against: Path | None) -> dict[str, Any]:
    first = report.first_bad
    return {
        "verified": report.ok,
        "events": report.events,
        "logged": report.logged,
        "checkpoints": report.checkpoints,
        "checkpoints_ok": report.checkpoints_ok,
        "against": str(against) if against else None,
        "signed_size": report.signed_size,
        "unsigned": report.unsigned,
        "first_bad": str(first) if first else None,
        "findings": [str(f) for f in report.findings],
    }


def witness(settings: Settings, args: argparse.Namespace) -> int:
    """Follow the checkpoints (a directory of exports, or the checkpoint topic), check and
    co-sign each, alarm on a fork; exit 1 if any alarm was raised."""
    if args.state_dir is None:
        raise usage("STATE_DIR_MISSING", "give --state-dir, the witness's own directory")
    key = _key(settings, args)
    if args.from_dir is None and settings.kafka_bootstrap is None:
        raise usage(
            "KAFKA_NOT_CONFIGURED",
            "set DIXIAN_KAFKA_BOOTSTRAP to follow the checkpoint topic, or give --from-dir",
        )
    signer = Signer(args.key_file or args.state_dir / "witness.key", args.name)
    w = Witness(args.state_dir, key, signer)
    if args.from_dir is not None:
        messages = _messages_in(args.from_dir)
    else:
        messages = asyncio.run(_topic_messages(settings))
    alarms = 0
    for m in messages:
        verdict = w.observe(m)
        alarms += verdict.alarm
        print(f"{verdict.code:<15} {verdict.tree_size:>10}  {verdict.detail}")
    print(f"witness {signer.origin} holds the log at {w.latest['tree_size'] if w.latest else 0}")
    if args.from_dir is None and (sent := send_back(settings, w)):  # for everyone to see
        print(f"sent {sent} co-signatures to {settings.cosignature_topic}")
    return 1 if alarms else 0


def _messages_in(directory: Path) -> list[dict[str, Any]]:
    if not directory.is_dir():
        raise not_found("FILE_NOT_FOUND", f"no directory {directory}")
    messages: list[dict[str, Any]] = []
    for path in sorted(directory.glob("*.json")):
        try:
            data = json.loads(path.read_text())
        except (ValueError, UnicodeDecodeError) as e:
            raise usage("CHECKPOINTS_UNREADABLE", f"{path} is not JSON: {e}") from None
        messages += data if isinstance(data, list) else [data]
    return [_as_message(m) for m in messages]


def _as_message(item: dict[str, Any]) -> dict[str, Any]:
    """A checkpoint message from an export: a message, a checkpoint, or a consistency proof
    (`dixian audit consistency OLD:NEW -o FILE`: the new checkpoint, proven from the old)."""
    if item.get("kind") == "consistency":
        proof = {"from_size": item["old"]["tree_size"], "path": item["path"]}
        return {"checkpoint": item["new"], "consistency": proof}
    return item if "checkpoint" in item else {"checkpoint": item, "consistency": None}


async def _topic_messages(settings: Settings) -> list[dict[str, Any]]:
    """Every message of the checkpoint topic so far (the topic keeps them all)."""
    from aiokafka import AIOKafkaConsumer

    from services.adapters.kafka_security import kafka_kwargs

    consumer = AIOKafkaConsumer(
        settings.checkpoint_topic,
        bootstrap_servers=settings.kafka_bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        **kafka_kwargs(settings),
    )
    try:
        await asyncio.wait_for(consumer.start(), settings.kafka_timeout_seconds)
        found: list[dict[str, Any]] = []
        idle = 0
        while idle < 3:
            batches = await consumer.getmany(timeout_ms=1000)
            idle = 0 if batches else idle + 1
            for records in batches.values():
                found += [json.loads(r.value) for r in records]
    finally:
        await consumer.stop()
    return found


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
            "rotate-key",
            "witness",
            "actor",
            "source",
            "reads",
        ],
        help="prove EVENT_ID; consistency OLD:NEW; verify-proof FILE; rotate-key NEW_KEY_FILE; "
        "actor ID; source NAME; reads [HOUSEHOLD]",
    )
    audit.add_argument("target", nargs="?", default="", help="see above")
    audit.add_argument("-o", "--output", type=Path, help="write the JSON to this file")
    audit.add_argument("--public-key", help="the log's key to check signatures with (base64)")
    audit.add_argument(
        "--against", type=Path, help="verify: checkpoints kept elsewhere (an export, a witness)"
    )
    audit.add_argument("--reader", help="prove: who reads personal data (recorded)")
    audit.add_argument("--purpose", help="prove: why (recorded)")
    audit.add_argument("--state-dir", type=Path, help="witness: its own directory")
    audit.add_argument("--key-file", type=Path, help="witness: its own key (made on first use)")
    audit.add_argument("--name", default="witness", help="witness: its name in its co-signatures")
    audit.add_argument("--from-dir", type=Path, help="witness: read exported checkpoints here")
    audit.add_argument(
        "--witness",
        action="append",
        metavar="NAME=KEY",
        help="verify-proof: a witness that must have co-signed the proof's checkpoint",
    )
    audit.add_argument("--limit", type=positive, help="at most N rows (checkpoints: the last N)")
    add_json(audit)
    audit.set_defaults(func=cmd_audit)
