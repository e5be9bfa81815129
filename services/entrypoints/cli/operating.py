"""`dixian run|topics|projections|rejected|schemas`: the operator's commands."""

from __future__ import annotations

import argparse
import asyncio
import signal
from pathlib import Path
from typing import Any

from faststream.specification import AsyncAPI

from events.schema import write_schemas
from projections.registry import PROJECTIONS
from projections.runner import ProjectionRunner
from services.adapters import queries
from services.entrypoints.cli.common import database, open_store, print_json
from services.settings import Settings


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from services.entrypoints.runtime import serve

    async def main(s: Settings) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve(
            s,
            s.kafka_bootstrap,
            stop,
            intake=not args.no_intake,
            projections=not args.no_projections,
        )

    if settings.kafka_bootstrap is None and not args.no_intake:
        # The embedded broker keeps nothing: a service on it would lose its topics on exit.
        print(
            "KAFKA_NOT_CONFIGURED: set DIXIAN_KAFKA_BOOTSTRAP (`make demo` runs the embedded one)"
        )
        return 2
    with database(settings) as s:
        asyncio.run(main(s))
    return 0


def cmd_topics(settings: Settings, args: argparse.Namespace) -> int:
    from services.adapters.kafka_topics import ensure_topics

    if settings.kafka_bootstrap is None:
        print("set DIXIAN_KAFKA_BOOTSTRAP to the Kafka cluster whose topics to create")
        return 2
    created = asyncio.run(ensure_topics(settings, settings.kafka_bootstrap))
    print("created: " + (", ".join(created) or "nothing (all exist)"))
    return 0


def cmd_projections(settings: Settings, args: argparse.Namespace) -> int:
    from projections.runner import projection_pool
    from projections.shadow import ShadowRebuild

    if args.what in ("rebuild", "verify") and args.name not in PROJECTIONS:
        print(f"UNKNOWN_PROJECTION: {args.name!r}; choose one of {sorted(PROJECTIONS)}")
        return 2
    with open_store(settings) as (s, store), projection_pool(s) as pool:
        if args.what == "status":
            head = store.recorder.max_notification_id() or 0
            for name in sorted(PROJECTIONS):
                runner = ProjectionRunner(store, pool, PROJECTIONS[name](), s.projection_batch_size)
                runner.setup()
                at = runner.position()
                print(f"{name:<20} position {at:>10}  lag {head - at}  skipped {runner.skipped()}")
            return 0
        shadow = ShadowRebuild(
            store, pool, s.pg_url or "", PROJECTIONS[args.name](), s.projection_batch_size
        )
        result = shadow.verify() if args.what == "verify" else shadow.rebuild()
        for d in result.differences:
            print(f"  {d}")
        if args.what == "verify":
            verdict = (
                "MATCHES its rebuild"
                if result.ok
                else (
                    f"DIFFERS from its rebuild in {len(result.differences)} rows (shown above): "
                    "changed outside the projection"
                )
            )
            print(f"{args.name} at position {result.position}: {result.rows} rows; {verdict}")
            return 0 if result.ok else 1
        if not result.ok:
            print(
                f"the live {args.name} differed from its rebuild in {len(result.differences)} "
                "rows (shown above): they had been changed outside the projection"
            )
        print(f"rebuilt {args.name} to position {result.position}: {result.rows} rows, swapped in")
        return 0


def cmd_rejected(settings: Settings, args: argparse.Namespace) -> int:
    with open_store(settings) as (_, store):
        if args.show is not None:
            row = queries.rejected_message(store, args.show)
            if row is None:
                print(f"REJECTION_NOT_FOUND: no rejection {args.show}")
                return 1
            value = row.pop("message_value")
            if args.value_to:
                args.value_to.write_bytes(bytes(value or b""))
                print(f"wrote the {len(value or b'')} original bytes to {args.value_to}")
            print_json(row | {"value_bytes": len(value or b"")})
            return 0
        for r in queries.rejected_messages(store, args.limit):
            print(
                f"#{r['rejection_id']:<5} {r['topic']}[{r['partition']}]@{r['offset']:<6} "
                f"{r['reason_code']:<26} {r['reason'][:80]}"
            )
        return 0


def cmd_schemas(settings: Settings, args: argparse.Namespace) -> int:
    from services.entrypoints.intake_consumer import IntakeService

    written = write_schemas(args.directory)
    # The AsyncAPI document comes from the service's own declarations; nothing connects.
    spec = AsyncAPI(
        IntakeService.declare(settings).broker,
        title="dixian",
        version="0.1.0",
        description="Household events in, rejections out.",
    )
    path = args.directory / "asyncapi.json"
    path.write_text(spec.to_specification().to_json())
    written.append(path)
    for p in written:
        print(p)
    return 0


def add_operating_parsers(sub: Any) -> None:
    run = sub.add_parser("run", help="run the intake and the projections until stopped")
    run.add_argument("--no-intake", action="store_true", help="projections only")
    run.add_argument("--no-projections", action="store_true", help="intake only")
    run.set_defaults(func=cmd_run)

    topics = sub.add_parser("topics", help="create the topics with their partition counts")
    topics.add_argument("what", choices=["create"])
    topics.set_defaults(func=cmd_topics)

    projections = sub.add_parser(
        "projections", help="projection status; verify one against a rebuild; rebuild one"
    )
    projections.add_argument("what", choices=["status", "verify", "rebuild"])
    projections.add_argument("name", nargs="?", default="", help=", ".join(PROJECTIONS))
    projections.set_defaults(func=cmd_projections)

    rejected = sub.add_parser("rejected", help="the rejected messages and their reasons")
    rejected.add_argument("--limit", type=int, default=50)
    rejected.add_argument("--show", type=int, metavar="ID", help="one rejection, in full")
    rejected.add_argument(
        "--value-to", type=Path, metavar="FILE", help="with --show: write its original bytes"
    )
    rejected.set_defaults(func=cmd_rejected)

    schemas = sub.add_parser("schemas", help="write JSON Schemas and the AsyncAPI document")
    schemas.add_argument("what", choices=["write"])
    schemas.add_argument("directory", type=Path, nargs="?", default=Path("schemas"))
    schemas.set_defaults(func=cmd_schemas)
