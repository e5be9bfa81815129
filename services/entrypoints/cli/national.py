"""`dixian import national FILE` and `dixian compare national FILE`: the national system's
export loaded as a declared historical import, or compared with what dixian knows (the use
cases in services.usecases.national do the work; this module reads arguments and prints)."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import Any

from services.adapters.places import load_places
from services.adapters.progress import Progress
from services.domain.national.compare import WORDS
from services.domain.national.records import village_by_names
from services.entrypoints.cli.common import CommandError, a_day, open_store, usage
from services.entrypoints.cli.producers import load_key
from services.settings import Settings
from services.usecases.compliance.sweep import today
from services.usecases.errors import Refused
from services.usecases.national.comparing import compare_national
from services.usecases.national.importing import import_national

DEFAULT_BATCH = "national-system"


def _exists(path: Path) -> None:
    if not path.is_file():
        raise CommandError("FILE_NOT_FOUND", f"no such file: {path}")


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    _exists(args.file)
    if not args.dry_run and settings.kafka_bootstrap is None:
        raise usage("KAFKA_NOT_CONFIGURED", "set DIXIAN_KAFKA_BOOTSTRAP to import (or --dry-run)")
    declared = settings.historical_imports
    if not args.dry_run and "*" not in declared and args.batch not in declared:
        print(
            f"warning: batch {args.batch} is not in DIXIAN_HISTORICAL_IMPORTS here; the intake "
            "refuses it (HISTORICAL_IMPORT_NOT_PERMITTED) unless its operators declared it"
        )
    key = load_key(args.key) if args.key else None
    with open_store(settings) as (s, store):
        village_of = village_by_names(load_places(s.places_file, store).names)
        try:
            with (
                Progress(f"read {args.file.name}", "rows") as reading,
                Progress("publish", "events") as sending,
            ):
                o = import_national(
                    s, store, args.file, args.batch, args.as_of, args.dry_run, key,
                    village_of, reading, sending, by=args.by,
                )  # fmt: skip
        except Refused as e:
            raise CommandError(e.code, e.detail) from None
    e = o.export
    print(
        f"{e.rows} rows ({e.reader}): {o.rows_imported} importable, {len(e.bad)} refused; "
        f"{e.households} households: {o.new} new, {o.changed} changed, "
        f"{o.unchanged} unchanged"
    )
    for event_type, n in sorted(o.events.items()):
        print(f"  {event_type}: {n}")
    if o.unimportable:
        print(f"{len(o.unimportable)} changes no event can make (listed in the report)")
    if e.headers.unknown:
        print("headers not understood (ignored): " + ", ".join(e.headers.unknown))
    verb = "would publish" if args.dry_run else "published"
    count = o.planned if args.dry_run else o.published
    print(f"{verb} {count} events as import batch {o.batch} (data date {o.recorded_on})")
    rate = e.rows / o.seconds if o.seconds else 0.0
    print(f"{e.rows} rows in {o.seconds:.2f}s ({rate:,.0f} rows/s, the report not counted)")
    print(f"validation report: {o.report}")
    return 0


def cmd_compare(settings: Settings, args: argparse.Namespace) -> int:
    _exists(args.file)
    as_of = args.as_of or today()
    with open_store(settings) as (s, store):
        village_of = village_by_names(load_places(s.places_file, store).names)
        try:
            with Progress(f"read {args.file.name}", "rows") as reading:
                o = compare_national(
                    store, args.file, as_of, village_of, reading, not args.no_ledger,
                    by=args.by,
                )  # fmt: skip
        except Refused as e:
            raise CommandError(e.code, e.detail) from None
    print(
        f"compared {o.summary.households} households as of {as_of}: "
        f"{o.summary.agreeing} agree, {len(o.findings)} differences (R8.1)"
    )
    for name, n in sorted(o.summary.by_field().items()):
        print(f"  {WORDS.get(name, name)} ({name}): {n}")
    for township, counts in sorted(o.summary.by_township.items()):
        print(f"  {o.place(township)}: {sum(counts.values())}")
    if not args.no_ledger:
        print(f"ledger: {o.raised} raised, {o.found_again} found again, {o.resolved} resolved")
    print(f"report: {o.report}")
    return 0


def add_national_parsers(sub: Any) -> None:
    imp = sub.add_parser("import", help="load another system's export")
    imp_sub = imp.add_subparsers(dest="source", required=True)
    national = imp_sub.add_parser("national", help="the national system's export (.xlsx)")
    national.add_argument("file", type=Path)
    national.add_argument(
        "--as-of", type=a_day, help="the export's data date (default: its 数据日期 column)"
    )
    national.add_argument("--dry-run", action="store_true", help="say what it would publish")
    national.add_argument(
        "--batch", default=DEFAULT_BATCH, help="the declared historical import's batch id"
    )
    national.add_argument("--key", type=Path, help="national_system's Ed25519 key (signing)")
    _by(national, "imports")
    national.set_defaults(func=cmd_import)

    cmp_ = sub.add_parser("compare", help="compare another system's export with dixian")
    cmp_sub = cmp_.add_subparsers(dest="source", required=True)
    national = cmp_sub.add_parser("national", help="the national system's export (.xlsx)")
    national.add_argument("file", type=Path)
    national.add_argument("--as-of", type=a_day, help="what dixian knew on this day (today)")
    national.add_argument(
        "--no-ledger", action="store_true", help="report only; raise nothing in the ledger"
    )
    _by(national, "compares")
    national.set_defaults(func=cmd_compare)


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container's user without a name)
        return "operator"


def _by(parser: Any, verb: str) -> None:
    parser.add_argument(
        "--by",
        default=_login(),
        help=f"who {verb} (recorded with the run; default: the login name)",
    )
