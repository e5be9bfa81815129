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
