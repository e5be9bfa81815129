"""`dixian audit …`: the tamper-evident log for inspectors (纪检监察) — sign, verify (also
against checkpoints kept elsewhere), prove, witness, rotate the key; who did and read what."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

from services.adapters.audit_log import Signer
from services.adapters.eventstore import EventStore
from services.domain.audit import offline
from services.entrypoints.cli.common import open_store, print_json
from services.settings import Settings
from services.usecases.audit.activity import activity
from services.usecases.audit.checkpoint import checkpoint_now, rotate_key
from services.usecases.audit.proofs import ProofError, consistency_proof, inclusion_proof
from services.usecases.audit.publishing import checkpoint_messages
from services.usecases.audit.reads import ReaderRequired, reads
from services.usecases.audit.verify import verify
from services.usecases.audit.witness import Witness, held_checkpoints


def _key(settings: Settings, args: argparse.Namespace) -> str | None:
    return args.public_key or settings.verifying_key()


def cmd_audit(settings: Settings, args: argparse.Namespace) -> int:
    if args.what == "public-key":
        print(settings.signer().public_key)
        return 0
    if args.what in ("verify-proof", "witness") and not _key(settings, args):
        print("AUDIT_KEY_UNKNOWN: give --public-key (the log's key) or DIXIAN_AUDIT_PUBLIC_KEY")
        return 2
    if args.what == "verify-proof":
        return offline.main([str(args.target), "--public-key", str(_key(settings, args))])
    if args.what == "witness":
        return witness(settings, args)
    with open_store(settings) as (s, store):
        try:
            return _with_store(s, store, args)
        except (ProofError, ReaderRequired) as e:
            print(str(e))
            return 1


def _with_store(s: Settings, store: EventStore, args: argparse.Namespace) -> int:
    if args.what == "checkpoint":
        print_json(checkpoint_now(s, store))
    elif args.what == "checkpoints":  # with their consistency proofs: what a witness reads
        print_json(checkpoint_messages(store), args.output)
    elif args.what == "verify":
        return _verify(s, store, args)
    elif args.what == "prove":
        proof = inclusion_proof(store, args.target, args.reader or s.reader,
                                args.purpose or s.read_purpose)  # fmt: skip
        print_json(proof, args.output)
    elif args.what == "consistency":
        old, new = (int(x) for x in args.target.split(":"))
        print_json(consistency_proof(store, old, new), args.output)
    elif args.what == "rotate-key":
        if not args.target:
            print("KEY_FILE_MISSING: give the new key's file: dixian audit rotate-key FILE")
            return 2
        print_json(rotate_key(s, store, Signer(Path(args.target), s.audit_origin)))
    elif args.what in ("actor", "source"):
        print_json(activity(store, args.what, args.target))
    elif args.what == "reads":
        print_json(reads(store, args.target or None))
    return 0


def _verify(s: Settings, store: EventStore, args: argparse.Namespace) -> int:
    key = _key(s, args)
    if key is None:
        print("AUDIT_KEY_UNKNOWN: give --public-key or DIXIAN_AUDIT_PUBLIC_KEY (the log's key)")
        return 2
    against = held_checkpoints(args.against) if args.against else None
    report = verify(store, key, against, s.audit_origin)
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


def witness(settings: Settings, args: argparse.Namespace) -> int:
    """Follow the checkpoints (a directory of exports, or the checkpoint topic), check and
    co-sign each, alarm on a fork; exit 1 if any alarm was raised."""
    if args.state_dir is None:
        print("STATE_DIR_MISSING: give --state-dir, the witness's own directory")
        return 2
    signer = Signer(args.key_file or args.state_dir / "witness.key", args.name)
    w = Witness(args.state_dir, str(_key(settings, args)), signer)
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
    return 1 if alarms else 0


def _messages_in(directory: Path) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text())
        messages += data if isinstance(data, list) else [data]
    return [m if "checkpoint" in m else {"checkpoint": m, "consistency": None} for m in messages]


async def _topic_messages(settings: Settings) -> list[dict[str, Any]]:
    """Every message of the checkpoint topic so far (the topic keeps them all)."""
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(
        settings.checkpoint_topic,
        bootstrap_servers=settings.kafka_bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    found: list[dict[str, Any]] = []
    try:
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
    audit.set_defaults(func=cmd_audit)
