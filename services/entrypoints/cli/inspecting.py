"""`dixian household|notice`: what inspectors (纪检监察) and bureau staff read — a household's
state and history, as of any day, and its public notice."""

from __future__ import annotations

import argparse
import json
from typing import Any

from services.adapters import queries
from services.domain.notice import render_public_notice
from services.domain.timeline import state_on
from services.entrypoints.cli.common import (
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
from services.usecases.audit.reads import ReaderRequired, record_read


def cmd_household(settings: Settings, args: argparse.Namespace) -> int:
    """A household's state (no personal data), its state as of a day, or its history —
    masked, unless a reader says who they are and why: then in full, that read recorded
    first."""
    if args.what == "as-of" and args.occurred_on is None and args.known_on is None:
        raise usage("DATE_MISSING", "give --occurred-on DATE, --known-on DATE or both")
    with open_store(settings) as (s, store):
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
        reader, purpose = args.reader or s.reader, args.purpose or s.read_purpose
        unmasked = bool(reader or purpose)
        if unmasked:
            try:
                record_read(store, reader, purpose, args.household_id, "household history")
            except ReaderRequired as e:
                code, _, detail = str(e).partition(": ")
                raise usage(code, detail) from None
        history = queries.household_history(store, args.household_id, unmasked)
    if not history:
        raise not_found("HOUSEHOLD_NOT_FOUND", f"no events for household {args.household_id}")
    shown_history = history[: args.limit] if args.limit else history
    if args.json:
        print_json(shown_history)
        return 0
    for h in shown_history:
        batch = f"  historical import {h['import_batch']}" if h["import_batch"] else ""
        print(
            f"#{h['position']:<6} v{h['version']:<3} occurred {shown(h['occurred_at'])}  "
            f"received {shown(h['received_at'])} (recorded {shown(h['recorded_at'])}, the "
            f"producer's word)  {h['event']}  by {h['actor']} via {h['source_system']}{batch}  "
            f"[{h['event_id']}]"
        )
        print(f"         {json.dumps(h['facts'], ensure_ascii=False)}")
    if len(shown_history) < len(history):
        print(f"({len(shown_history)} of {len(history)} events shown; --limit)")
    if not unmasked:
        print("(personal data masked: --reader and --purpose show it, and record the read)")
    return 0


def cmd_notice(settings: Settings, args: argparse.Namespace) -> int:
    with open_store(settings) as (s, store):
        events = [e for _, e in queries.household_events(store, args.household_id)]
        notice = render_public_notice(events, args.notice_id, s.min_notice_days)
    if notice is None:
        raise not_found("NOTICE_NOT_FOUND", f"no notice {args.notice_id} for {args.household_id}")
    print_json(notice)
    return 0


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
