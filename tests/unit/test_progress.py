"""Progress of long work: plain lines with rate and time left when not in a terminal, a
rich bar when in one."""

from __future__ import annotations

import io

from services.adapters.progress import Progress


def test_off_a_terminal_it_writes_a_line_with_the_share_the_rate_and_the_time_left() -> None:
    out = io.StringIO()
    with Progress("rebuild household_state", "events", every_seconds=0, stream=out) as p:
        p.update(500, 2000)
        p.update(1000, 2000)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("rebuild household_state: 500/2,000 events (25.0%), ")
    assert "events/s" in lines[0] and "left" in lines[0]
    assert lines[-1].startswith("rebuild household_state: 1,000/2,000 events (50.0%)")


def test_lines_come_no_more_often_than_asked() -> None:
    out = io.StringIO()
    with Progress("sweep", "households", every_seconds=3600, stream=out) as p:
        for n in range(1, 100):
            p.update(n)
    assert out.getvalue().splitlines() == [out.getvalue().splitlines()[-1]]  # the last only
    assert out.getvalue().startswith("sweep: 99 households, ")


def test_without_a_total_it_says_the_count_and_the_rate() -> None:
    p = Progress("simulate", "events", stream=io.StringIO())
    p.update(10_000)
    assert p.line().startswith("simulate: 10,000 events, ") and "left" not in p.line()


def test_in_a_terminal_it_draws_a_bar() -> None:
    out = io.StringIO()
    with Progress("verify the audit log", "events", stream=out, terminal=True) as p:
        p.update(50, 100)
        p.update(100, 100)
    assert "verify the audit log" in out.getvalue() and "100/100" in out.getvalue()
