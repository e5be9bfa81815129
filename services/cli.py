"""`dixian`: run the services, show a household, rebuild a projection, write the schemas."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from faststream.specification import AsyncAPI

from events.schema import write_schemas
from projections.registry import PROJECTIONS
from projections.runner import ProjectionRunner
from services import queries
from services.audit.reads import ReaderRequired, record_read
from services.cli_audit import add_audit_parser
from services.cli_compliance import add_compliance_parser
from services.embedded import servers
from services.notice import render_public_notice
from services.settings import Settings
from services.store import EventStore
from services.timeline import state_on


@contextlib.contextmanager
def open_store(settings: Settings) -> Iterator[tuple[Settings, EventStore]]:
    """The servers (embedded where not configured) and the event store on them."""
    with servers(settings, kafka=False) as s:
        store = EventStore(s)
        try:
            yield s, store
        finally:
            store.close()


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from services.runtime import serve

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
    with servers(settings, kafka=False) as s:
        asyncio.run(main(s))
    return 0


def cmd_topics(settings: Settings, args: argparse.Namespace) -> int:
    from services.topics import ensure_topics

    if settings.kafka_bootstrap is None:
        print("set DIXIAN_KAFKA_BOOTSTRAP to the Kafka cluster whose topics to create")
        return 2
    created = asyncio.run(ensure_topics(settings, settings.kafka_bootstrap))
    print("created: " + (", ".join(created) or "nothing (all exist)"))
    return 0


def cmd_household(settings: Settings, args: argparse.Namespace) -> int:
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
            print(e)
            return 2
        if args.what == "as-of":
            if args.occurred_on is None and args.known_on is None:
                print("DATE_MISSING: give --occurred-on DATE, --known-on DATE or both")
                return 2
            events = [e for _, e in queries.household_events(store, args.household_id)]
            row = state_on(events, occurred_on=args.occurred_on, known_on=args.known_on)
            if row is None:
                print(f"HOUSEHOLD_NOT_FOUND: {args.household_id} was not registered then")
                return 1
            _print_json(row)
            return 0
        if args.what == "show":
            state = queries.household_state(store, args.household_id)
            if state is None:
                print(
                    f"HOUSEHOLD_NOT_FOUND: no household {args.household_id} in the "
                    "household_state projection"
                )
                return 1
            _print_json(state)
            return 0
        history = queries.household_history(store, args.household_id)
        if not history:
            print(f"HOUSEHOLD_NOT_FOUND: no events for household {args.household_id}")
            return 1
        if args.json:
            _print_json(history)
            return 0
        for h in history:
            print(
                f"#{h['position']:<6} v{h['version']:<3} occurred {h['occurred_at']}  "
                f"recorded {h['recorded_at']}  {h['event']}  by {h['actor']} "
                f"via {h['source_system']}  [{h['event_id']}]"
            )
            print(f"         {json.dumps(h['facts'], ensure_ascii=False)}")
        return 0


def cmd_notice(settings: Settings, args: argparse.Namespace) -> int:
    with open_store(settings) as (s, store):
        events = [e for _, e in queries.household_events(store, args.household_id)]
        notice = render_public_notice(events, args.notice_id, s.min_notice_days)
        if notice is None:
            print(f"NOTICE_NOT_FOUND: no notice {args.notice_id} for {args.household_id}")
            return 1
        _print_json(notice)
        return 0


def cmd_projections(settings: Settings, args: argparse.Namespace) -> int:
    from services.runtime import projection_pool

    if args.what == "rebuild" and args.name not in PROJECTIONS:
        print(f"UNKNOWN_PROJECTION: {args.name!r}; choose one of {sorted(PROJECTIONS)}")
        return 2
    with open_store(settings) as (s, store), projection_pool(s) as pool:
        names = [args.name] if args.what == "rebuild" else sorted(PROJECTIONS)
        for name in names:
            runner = ProjectionRunner(store, pool, PROJECTIONS[name](), s.projection_batch_size)
            if args.what == "rebuild":
                print(f"rebuilt {name}: {runner.rebuild()} events replayed")
            else:
                runner.setup()
                head = store.recorder.max_notification_id() or 0
                at = runner.position()
                print(f"{name:<20} position {at:>10}  lag {head - at}")
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
            _print_json(row | {"value_bytes": len(value or b"")})
            return 0
        for r in queries.rejected_messages(store, args.limit):
            print(
                f"#{r['rejection_id']:<5} {r['topic']}[{r['partition']}]@{r['offset']:<6} "
                f"{r['reason_code']:<26} {r['reason'][:80]}"
            )
        return 0


def cmd_schemas(settings: Settings, args: argparse.Namespace) -> int:
    from services.intake.service import IntakeService

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


def cmd_simulate(settings: Settings, args: argparse.Namespace) -> int:
    from services.simulate.output import publish, read_messages, simulate

    events, truth, n = simulate(
        args.size, args.seed, args.violation_rate, args.out, kcat=args.format == "kcat"
    )
    print(f"{n} events of a {args.size} county (seed {args.seed}) in {events}; truth in {truth}")
    if args.publish:
        if settings.kafka_bootstrap is None:
            print("KAFKA_NOT_CONFIGURED: set DIXIAN_KAFKA_BOOTSTRAP to publish")
            return 2
        sent = asyncio.run(
            publish(read_messages(events), settings.kafka_bootstrap, settings.intake_topic)
        )
        print(f"published {sent} messages to {settings.intake_topic}")
    return 0


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    from services.demo import run_demo

    return asyncio.run(run_demo(settings))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dixian", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the intake and the projections until stopped")
    run.add_argument("--no-intake", action="store_true", help="projections only")
    run.add_argument("--no-projections", action="store_true", help="intake only")
    run.set_defaults(func=cmd_run)

    topics = sub.add_parser("topics", help="create the topics with their partition counts")
    topics.add_argument("what", choices=["create"])
    topics.set_defaults(func=cmd_topics)

    household = sub.add_parser("household", help="a household's state or full history")
    household.add_argument("what", choices=["show", "history", "as-of"])
    household.add_argument("household_id")
    household.add_argument("--json", action="store_true", help="machine-readable output")
    household.add_argument("--reader", help="who reads (recorded; or DIXIAN_READER)")
    household.add_argument("--purpose", help="why (recorded; or DIXIAN_READ_PURPOSE)")
    household.add_argument(
        "--occurred-on", type=date.fromisoformat, help="as-of: what had happened by this day"
    )
    household.add_argument(
        "--known-on", type=date.fromisoformat, help="as-of: what had been recorded by this day"
    )

    notice = sub.add_parser("notice", help="a public notice as the village may see it")
    notice.add_argument("what", choices=["render"])
    notice.add_argument("household_id")
    notice.add_argument("notice_id")
    notice.set_defaults(func=cmd_notice)
    household.set_defaults(func=cmd_household)

    projections = sub.add_parser("projections", help="projection status, or rebuild one")
    projections.add_argument("what", choices=["status", "rebuild"])
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

    add_audit_parser(sub)
    add_compliance_parser(sub)

    simulate = sub.add_parser("simulate", help="a synthetic county and two years of its events")
    simulate.add_argument("--size", choices=["small", "medium", "large"], default="small")
    simulate.add_argument("--seed", type=int, default=1)
    simulate.add_argument(
        "--violation-rate",
        type=float,
        default=0.02,
        help="how often each rule's violation is planted",
    )
    simulate.add_argument("--out", type=Path, default=Path(".dixian/simulation"))
    simulate.add_argument("--publish", action="store_true", help="also produce to the topic")
    simulate.add_argument(
        "--format",
        choices=["jsonl", "kcat"],
        default="jsonl",
        help="jsonl: {key, value} per line; kcat: KEY<TAB>VALUE for kcat -P -K'\\t' -l",
    )
    simulate.set_defaults(func=cmd_simulate)

    demo = sub.add_parser("demo", help="one synthetic village end to end, then a summary")
    demo.set_defaults(func=cmd_demo)
    return p


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    args = parser().parse_args(argv)
    return int(args.func(Settings(), args))


if __name__ == "__main__":
    sys.exit(main())
