"""A county-wide finding's evidence can lie in another township: its events are named to a
reader whose scope does not cover them, never shown (their facts, their household)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.domain.roles import Principal, Role
from services.usecases import problems as uc
from services.usecases.intake.unit_of_work import Seen

MINE, THEIRS = "610326101201H001", "610326202301H009"  # two townships of one county
E_MINE, E_THEIRS = uuid4(), uuid4()


def test_evidence_of_another_township_is_named_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = {E_MINE: Seen(MINE, "member_added", "village_app", None),
            E_THEIRS: Seen(THEIRS, "member_added", "village_app", None)}  # fmt: skip
    monkeypatch.setattr(uc, "accepted_events", lambda store, ids: seen)
    monkeypatch.setattr(uc.scoped_queries, "household_village", lambda store, hid: hid[:12])

    def events(store: Any, hid: str) -> list[tuple[int, Any]]:
        eid = E_MINE if hid == MINE else E_THEIRS
        return [(7, SimpleNamespace(event_id=str(eid), event_type="member_added",
                                    occurred_at=None, recorded_at=None, actor_id="a",
                                    actor_role="village_cadre", source_system="village_app",
                                    facts={"note": f"facts of {hid}"}))]  # fmt: skip

    monkeypatch.setattr(uc.queries, "household_events", events)
    problem = SimpleNamespace(evidence=[str(E_MINE), str(E_THEIRS)])
    township = Principal("t1", "demo-township", Role.TOWNSHIP_OFFICIAL, "610326101")
    shown = uc.evidence_events(None, problem, township)  # type: ignore[arg-type]
    assert shown[0]["household_id"] == MINE and shown[0]["facts"] == {"note": f"facts of {MINE}"}
    assert shown[1] == {"event_id": str(E_THEIRS), "outside_scope": True}
    county = Principal("c1", "demo-county", Role.COUNTY_OFFICIAL, "610326")
    both = uc.evidence_events(None, problem, county)  # type: ignore[arg-type]
    assert [e["household_id"] for e in both] == [MINE, THEIRS]
    assert UUID(both[1]["event_id"]) == E_THEIRS
