"""R2.4 by the system's clock: a visit is back-filled when the intake received it late,
whatever time the app claims; a claim earlier than the receipt by more than the sync
allowance is a finding of its own; a declared historical import is judged by its record."""

from __future__ import annotations

from dataclasses import replace

from compliance_history import History

AS_OF = "2025-04-01"


def received(h: History, when: str, import_batch: str | None = None) -> History:
    """The visits of `h` as the intake received them at `when` (UTC)."""
    h.events = [
        replace(e, stored_at=when, import_batch=import_batch)
        if e.event_type == "visit_recorded"
        else e
        for e in h.events
    ]
    return h


def visited() -> History:
    h = History(registered="2025-03-01")
    h.visit("2025-03-10")  # the app claims it recorded it the same day
    return h


def test_r2_4_a_visit_received_fifteen_days_late_is_back_filled_and_its_claim_is_early() -> None:
    h = received(visited(), "2025-03-25T02:00:00+00:00")
    found = sorted(f.check for f in h.findings(AS_OF, "R2.4"))
    assert found == ["record_backfilled", "recorded_time_claimed_early"]


def test_r2_4_near_miss_an_app_offline_for_three_days_claims_nothing_wrong() -> None:
    h = received(visited(), "2025-03-13T02:00:00+00:00")  # the 13th in the county: 3 days
    assert h.findings(AS_OF, "R2.4") == []
    h = received(visited(), "2025-03-13T17:00:00+00:00")  # already the 14th in the county
    assert [f.check for f in h.findings(AS_OF, "R2.4")] == ["recorded_time_claimed_early"]


def test_r2_4_a_declared_historical_import_is_judged_by_the_days_its_records_say() -> None:
    h = received(visited(), "2026-12-01T02:00:00+00:00", import_batch="national-2026-12")
    assert h.findings(AS_OF, "R2.4") == []


def test_a_visit_the_system_received_after_the_day_is_not_known_as_of_that_day() -> None:
    h = received(visited(), "2025-04-05T02:00:00+00:00")
    assert h.findings(AS_OF, "R2.4") == []  # not known yet as of 1 April
    assert sorted(f.check for f in h.findings("2025-04-06", "R2.4")) == [
        "record_backfilled",
        "recorded_time_claimed_early",
    ]
