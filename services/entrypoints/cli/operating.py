"""`dixian run|topics|projections|rejected|schemas`: the operator's commands."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
from pathlib import Path
from typing import Any

from events.schema import write_schemas
from projections.registry import PROJECTIONS
from projections.runner import ProjectionRunner
from services.adapters import queries
from services.adapters.intake_store import stored_positions
from services.adapters.progress import Progress
from services.entrypoints.cli.common import (
    add_json,
    database,
    kafka_unreachable,
    not_found,
    open_store,
    positive,
    print_json,
    shown,
    usage,
)
from services.entrypoints.cli.producers import contract_document, sources_by_type
from services.entrypoints.logs import configure as configure_logging
from services.settings import Settings


def _needs_kafka(settings: Settings, what: str) -> str:
    if settings.kafka_bootstrap is None:
        raise usage("KAFKA_NOT_CONFIGURED", f"set DIXIAN_KAFKA_BOOTSTRAP to {what}")
    return settings.kafka_bootstrap


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

    if not args.no_intake:
        # The embedded broker keeps nothing: a service on it would lose its topics on exit.
        _needs_kafka(settings, "run the intake (`make demo` runs the embedded broker)")
    configure_logging(settings.log_level, settings.log_format, settings.display_timezone)
    with database(settings) as s:
        asyncio.run(main(s))
    return 0


def cmd_topics(settings: Settings, args: argparse.Namespace) -> int:
    from services.adapters.kafka_topics import ensure_topics

    bootstrap = _needs_kafka(settings, "name the Kafka cluster whose topics to create")
    created = asyncio.run(ensure_topics(settings, bootstrap))
    print("created: " + (", ".join(created) or "nothing (all exist)"))
    return 0


def intake_lag(settings: Settings, stored: dict[int, int]) -> list[dict[str, Any]] | str | None:
    """Per partition of the intake topic: the broker's end, the stored position, the lag
    (None without a broker configured; the one-line error if it does not answer)."""
    if settings.kafka_bootstrap is None:
        return None
    from aiokafka.errors import KafkaError

    from services.adapters.kafka_topics import end_offsets

    try:
        ends = asyncio.run(end_offsets(settings, settings.kafka_bootstrap, settings.intake_topic))
    except (KafkaError, TimeoutError, OSError) as e:
        error = kafka_unreachable(e)
        return f"{error.code}: {error.detail}"
    return [
        {
            "partition": p,
            "end_offset": ends[p],
            "stored_position": stored.get(p, 0),
            "lag": max(0, ends[p] - stored.get(p, 0)),
        }
        for p in sorted(ends)
    ]


def cmd_projections(settings: Settings, args: argparse.Namespace) -> int:
    from projections.runner import projection_pool

    if args.what in ("rebuild", "verify") and args.name not in PROJECTIONS:
        raise usage(
            "UNKNOWN_PROJECTION", f"{args.name!r}; choose one of {', '.join(sorted(PROJECTIONS))}"
        )
    with open_store(settings) as (s, store), projection_pool(s) as pool:
        if args.what != "status":
            return _shadow_rebuild(s, store, pool, args)
        rows = []
        for name in sorted(PROJECTIONS):
            runner = ProjectionRunner(store, pool, PROJECTIONS[name](), s.projection_batch_size)
            runner.setup()
            at = runner.position()
            rows.append(
                {
                    "projection": name,
                    "position": at,
                    "lag": runner.backlog(at),
                    "skipped": runner.skipped(),
                }
            )
        head = store.recorder.max_notification_id() or 0
        lag = intake_lag(s, stored_positions(store, s.intake_topic))
    failed = 1 if isinstance(lag, str) else 0  # the broker did not answer: a failed check
    if args.json:
        intake = {"error": lag} if isinstance(lag, str) else lag
        print_json({"store_head": head, "projections": rows, "intake": intake})
        return failed
    print(f"the store holds events up to position {head}")
    for r in rows:
        print(
            f"{r['projection']:<20} position {r['position']:>10}  lag {r['lag']:>8} events"
            + (f"  skipped {r['skipped']}" if r["skipped"] else "")
        )
    if lag is None:
        print("intake lag: no broker configured (DIXIAN_KAFKA_BOOTSTRAP)")
    elif isinstance(lag, str):
        print(f"intake lag: {lag}")
    else:
        total = sum(p["lag"] for p in lag)
        print(f"intake {s.intake_topic}: {total} messages not yet stored")
        for p in lag:
            print(
                f"  partition {p['partition']:>3}  end {p['end_offset']:>10}  "
                f"stored {p['stored_position']:>10}  lag {p['lag']}"
            )
    return failed


def _shadow_rebuild(s: Settings, store: Any, pool: Any, args: argparse.Namespace) -> int:
    """`projections verify NAME` and `projections rebuild NAME`: rebuilt in the shadow
    schema and compared with the live tables (rebuild: then swapped in)."""
    from projections.shadow import ShadowRebuild

    shadow = ShadowRebuild(
        store, pool, s.pg_url or "", PROJECTIONS[args.name](), s.projection_batch_size
    )
    with Progress(f"{args.what} {args.name}", "events") as progress:
        result = (
            shadow.verify(progress=progress)
            if args.what == "verify"
            else shadow.rebuild(progress=progress)
        )
    if args.json:
        print_json(
            {
                "projection": args.name,
                "position": result.position,
                "rows": result.rows,
                "matches": result.ok,
                "differences": [str(d) for d in result.differences],
                "swapped_in": args.what == "rebuild",
            }
        )
        return 1 if args.what == "verify" and not result.ok else 0
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
                raise not_found("REJECTION_NOT_FOUND", f"no rejection {args.show}")
            value = bytes(row.pop("message_value") or b"")
            if args.value_to:
                try:
                    args.value_to.write_bytes(value)
                except OSError as e:
                    raise usage(
                        "FILE_NOT_WRITTEN", f"cannot write {args.value_to}: {e.strerror}"
                    ) from None
                if not args.json:
                    print(f"wrote the {len(value)} original bytes to {args.value_to}")
            print_json(row | {"value_bytes": len(value)})
            return 0
        rows = queries.rejected_messages(store, args.limit)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("(no rejections)")
    for r in rows:
        print(
            f"#{r['rejection_id']:<5} {shown(r['rejected_at'])}  "
            f"{r['topic']}[{r['partition']}]@{r['offset']:<6} "
            f"{r['reason_code']:<26} {r['reason'][:80]}"
        )
    return 0


def cmd_schemas(settings: Settings, args: argparse.Namespace) -> int:
    try:
        written = write_schemas(args.directory, sources_by_type(settings))
        path = args.directory / "asyncapi.json"
        document = contract_document(settings)
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    except OSError as e:
        raise usage("FILE_NOT_WRITTEN", f"cannot write into {args.directory}: {e}") from None
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
    add_json(projections)
    projections.set_defaults(func=cmd_projections)

    rejected = sub.add_parser("rejected", help="the rejected messages and their reasons")
    rejected.add_argument("--limit", type=positive, default=50)
    rejected.add_argument("--show", type=positive, metavar="ID", help="one rejection, in full")
    rejected.add_argument(
        "--value-to", type=Path, metavar="FILE", help="with --show: write its original bytes"
    )
    add_json(rejected)
    rejected.set_defaults(func=cmd_rejected)

    schemas = sub.add_parser("schemas", help="write JSON Schemas and the AsyncAPI document")
    schemas.add_argument("what", choices=["write"])
    schemas.add_argument("directory", type=Path, nargs="?", default=Path("schemas"))
    schemas.set_defaults(func=cmd_schemas)
