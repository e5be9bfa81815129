"""`dixian simulate|demo`: the development tools, imported only when asked for."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from services.adapters.progress import Progress
from services.entrypoints.cli.common import usage
from services.settings import Settings


def cmd_simulate(settings: Settings, args: argparse.Namespace) -> int:
    from services.adapters.kafka_security import kafka_kwargs
    from services.devtools.simulate.output import publish, read_messages, simulate

    if args.publish and settings.kafka_bootstrap is None:
        raise usage("KAFKA_NOT_CONFIGURED", "set DIXIAN_KAFKA_BOOTSTRAP to publish")
    try:
        with Progress(f"simulate a {args.size} county", "events") as progress:
            events, truth, n = simulate(
                args.size,
                args.seed,
                args.violation_rate,
                args.out,
                kcat=args.format == "kcat",
                progress=progress,
            )
    except OSError as e:
        raise usage("FILE_NOT_WRITTEN", f"cannot write into {args.out}: {e.strerror}") from None
    print(f"{n} events of a {args.size} county (seed {args.seed}) in {events}; truth in {truth}")
    if args.national_export:
        from services.devtools.simulate.national_export import simulate_exports

        national = simulate_exports(
            args.size, args.seed, args.out, args.bad_row_share, args.difference_share
        )
        print(
            f"the national system's export: {args.out / national['export']} "
            f"({national['rows']} rows, {len(national['bad_rows'])} bad); a later one with "
            f"{len(national['differences'])} differences: {args.out / national['later_export']}; "
            f"truth in {args.out / 'national-truth.json'}"
        )
    if args.publish and settings.kafka_bootstrap is not None:
        with Progress(f"publish to {settings.intake_topic}", "messages") as progress:
            sent = asyncio.run(
                publish(
                    read_messages(events),
                    settings.kafka_bootstrap,
                    settings.intake_topic,
                    kafka_kwargs(settings),
                    progress,
                    n,
                )
            )
        print(f"published {sent} messages to {settings.intake_topic}")
    return 0


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    from services.devtools.demo import run_demo
    from services.devtools.demo_web import should_serve

    return asyncio.run(run_demo(settings, web=should_serve(asked=args.serve)))


def _rate(text: str) -> float:
    try:
        rate = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= rate <= 1:
        raise argparse.ArgumentTypeError(f"a share between 0 and 1: {rate}")
    return rate


def add_devtools_parsers(sub: Any) -> None:
    simulate = sub.add_parser("simulate", help="a synthetic county and two years of its events")
    simulate.add_argument("--size", choices=["small", "medium", "large"], default="small")
    simulate.add_argument("--seed", type=int, default=1)
    simulate.add_argument(
        "--violation-rate",
        type=_rate,
        default=0.02,
        help="how often each rule's violation is planted",
    )
    simulate.add_argument("--out", type=Path, default=Path(".dixian/simulation"))
    simulate.add_argument("--publish", action="store_true", help="also produce to the topic")
    simulate.add_argument(
        "--no-national-export",
        dest="national_export",
        action="store_false",
        help="skip the national system's exports (national-export*.xlsx)",
    )
    simulate.add_argument(
        "--bad-row-share", type=_rate, default=0.01, help="the export's share of bad rows"
    )
    simulate.add_argument(
        "--difference-share",
        type=_rate,
        default=0.05,
        help="the later export's share of households with a planted difference",
    )
    simulate.add_argument(
        "--format",
        choices=["jsonl", "kcat"],
        default="jsonl",
        help="jsonl: {key, value} per line; kcat: KEY<TAB>VALUE for kcat -P -K'\\t' -l",
    )
    simulate.set_defaults(func=cmd_simulate)

    demo = sub.add_parser("demo", help="one synthetic village end to end, then a summary")
    demo.add_argument(
        "--serve", action="store_true", help="then serve the web app until Ctrl-C (make demo)"
    )
    demo.set_defaults(func=cmd_demo)
