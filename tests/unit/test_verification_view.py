"""The inspector's verification status through HTTP: computed by a thread, never inside a
request — the first asker waits a little for it, everyone after takes the last result."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from services.usecases.audit import views
from services.usecases.audit.verify import Finding, Report


def test_a_slow_verification_holds_no_request_and_its_result_is_shared(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release, calls = threading.Event(), []

    def slow_verify(store: Any, key: str, origin: str) -> Report:
        calls.append(key)
        release.wait(30)
        tail = Finding("UNLOGGED_TAIL", 3, None, "2 events are not in the log yet")
        return Report(events=5, logged=3, findings=[tail])

    monkeypatch.setattr(views, "verify", slow_verify)
    v = views.Verification("KEY", "dixian/test", max_age=60, wait=0.05)
    started = time.monotonic()
    assert v.status(None) == {"ok": None, "pending": True, "verified_at": None}  # type: ignore[arg-type]
    assert v.status(None)["pending"] is True  # type: ignore[arg-type]
    assert time.monotonic() - started < 5  # neither waited for the verification
    release.set()
    deadline = time.monotonic() + 30
    while v.status(None).get("pending") and time.monotonic() < deadline:  # type: ignore[arg-type]
        time.sleep(0.01)
    done = v.status(None)  # type: ignore[arg-type]
    assert done["ok"] is True and done["unlogged"] == 2  # a tail not logged yet: no failure
    assert calls == ["KEY"]  # one verification for all the askers


def test_a_tail_the_log_does_not_take_for_long_is_a_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Moments behind is the projection's lag; the same tail ten minutes on is events added
    behind the log (or a log that stopped), and the status says so."""
    sizes = iter([(5, 3), (6, 5), (8, 5), (8, 5), (8, 8)])
    clock = [1000.0]

    def verify(store: Any, key: str, origin: str) -> Report:
        events, logged = next(sizes)
        tail = [Finding("UNLOGGED_TAIL", logged, None, "not in the log")] if logged < events else []
        return Report(events=events, logged=logged, findings=tail)

    monkeypatch.setattr(views, "verify", verify)
    v = views.Verification("KEY", "dixian/test", tail_grace=600, clock=lambda: clock[0])
    seen = []
    for minutes in (0, 9, 11, 22, 23):  # at each, a verification
        clock[0] = 1000.0 + minutes * 60
        v._verify(None)  # type: ignore[arg-type]
        status = v._last[1]  # type: ignore[index]
        seen.append((status["ok"], status["unlogged"], status["unlogged_stuck"]))
    assert seen == [
        (True, 2, False),  # a tail seen at 0 min
        (True, 1, False),  # 9 min: the log took that tail; a new one (events up to 6)
        (True, 3, False),  # 11 min: still the 9-minute tail, 2 minutes old
        (False, 3, True),  # 22 min: 13 minutes and not taken: a failure
        (True, 0, False),  # 23 min: the log took it all
    ]
