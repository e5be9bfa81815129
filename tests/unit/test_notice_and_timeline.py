"""The public notice shows nothing private; a household's state on a date, two ways."""

import json
from datetime import UTC, date, datetime
from types import SimpleNamespace

from builders import member
from household_steps import correction, do, identified, registered

from services.domain.clock import known_on
from services.domain.corrections import recorded_by
from services.domain.notice import render_public_notice
from services.domain.timeline import state_on

HEAD = member(health="disabled", bank_account="6222020000001234")


def test_a_public_notice_never_shows_id_number_phone_bank_account_or_health() -> None:
    h = registered(members=[HEAD])
    do(h, "risk_lead_registered")
    do(h, "public_notice_posted")
    do(h, "public_notice_closed")
    events = h.collect_events()
    notice = render_public_notice(events, "N1", 5)
    assert notice is not None
    text = json.dumps(notice, ensure_ascii=False)
    recorded = events[0].facts["members"][0]
    for private in ("id_number", "phone", "bank_account", "health"):
        assert private not in text
        assert str(recorded[private]) not in text
    assert "illness" not in text  # the lead's risk would reveal a member's health
    assert notice["household_head"] == "王建国"
    assert notice["objections_until"] == "2025-04-01"


def test_an_unknown_notice_renders_nothing() -> None:
    assert render_public_notice(registered().collect_events(), "N9", 5) is None


def test_the_state_as_it_was_and_as_it_was_known_differ_for_a_late_record() -> None:
    events = identified(registered()).collect_events()
    # Identified on 2025-04-07: on 04-06 the household was not yet monitored, either way.
    assert state_on(events, occurred_on=date(2025, 4, 6))["monitoring_status"] == "not_monitored"  # type: ignore[index]
    assert state_on(events, known_on=date(2025, 4, 7))["monitoring_status"] == "monitored"  # type: ignore[index]
    assert state_on(events, occurred_on=date(2025, 2, 1)) is None  # not registered yet


def test_a_retraction_counts_from_the_day_it_was_recorded() -> None:
    h = registered()
    do(h, "visit_recorded", visit_date="2025-05-15")
    do(h, "visit_recorded", visit_date="2025-05-20")
    target = h.pending_events[-1].event_id
    do(
        h,
        "event_retracted",
        extra=correction("visit_recorded"),
        day="2025-06-01",
        target_event_id=str(target),
        reason="entered by mistake",
    )
    events = h.collect_events()
    assert state_on(events, known_on=date(2025, 5, 31))["last_visit_on"] == "2025-05-20"  # type: ignore[index]
    assert state_on(events)["last_visit_on"] == "2025-05-15"  # type: ignore[index]
    assert state_on(events)["correction_count"] == 1  # type: ignore[index]


def test_the_system_knows_of_a_live_event_from_its_receipt_not_from_the_producers_claim() -> None:
    claimed_early = SimpleNamespace(
        recorded_at="2025-03-01T10:00:00+08:00",  # the app's claim
        timestamp=datetime(2025, 3, 20, 3, 0, tzinfo=UTC),  # the intake's receipt
        import_batch=None,
    )
    imported = SimpleNamespace(
        recorded_at="2025-03-01T10:00:00+08:00",
        timestamp=datetime(2026, 12, 1, 3, 0, tzinfo=UTC),
        import_batch="national-2026-12",
    )
    assert known_on(claimed_early) == date(2025, 3, 20)
    assert recorded_by([claimed_early], date(2025, 3, 19)) == []
    assert recorded_by([claimed_early], date(2025, 3, 20)) == [claimed_early]
    assert known_on(imported) == date(2025, 3, 1)  # a declared import: its own record's day
    late_evening = SimpleNamespace(
        recorded_at="2025-03-01T10:00:00+08:00",
        timestamp=datetime(2025, 3, 20, 17, 30, tzinfo=UTC),  # 01:30 on the 21st in the county
        import_batch=None,
    )
    assert known_on(late_evening) == date(2025, 3, 21)
