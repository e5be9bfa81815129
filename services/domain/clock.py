"""The county's day, and when the system knew of an event. The system's word is its own
receipt time (the stored event's timestamp, set by the intake); the producer's recorded_at
is the producer's claim, shown beside it. A declared historical import (a migration of past
records, permitted by configuration) is known from the day its records say."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

CHINA = timezone(timedelta(hours=8))  # the county's day: what a date in the ledgers means


def county_day(moment: datetime) -> date:
    return moment.astimezone(CHINA).date()


def received_on(e: Any) -> date | None:
    """The county's day the intake received the event (None if it does not say)."""
    stamp = getattr(e, "stored_at", None) or getattr(e, "timestamp", None)
    if not stamp:
        return None
    moment = datetime.fromisoformat(stamp) if isinstance(stamp, str) else stamp
    return county_day(moment)


def claimed_on(e: Any) -> date:
    """The day the producer says it recorded the event."""
    return date.fromisoformat(e.recorded_at[:10])


def known_on(e: Any) -> date:
    """The day from which the system knew of the event: its receipt — or, for a declared
    historical import, the day the imported record says."""
    if getattr(e, "import_batch", None):
        return claimed_on(e)
    return received_on(e) or claimed_on(e)
