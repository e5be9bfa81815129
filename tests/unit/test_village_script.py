"""The demo village, replayed in memory through the intake's own parsing and decisions."""

import pytest

from events.catalog import ContractViolation
from services.domain.errors import LifecycleViolation
from services.domain.household import Household
from services.intake.batch import IntakeProcessor, _parse
from services.store import RawMessage
from services.village import village_messages


def outcome_of_each(run: str) -> list[tuple[str, str]]:
    households: dict[str, Household] = {}
    seen: set[str] = set()
    out = []
    for offset, m in enumerate(village_messages(run)):
        try:
            parsed = _parse(RawMessage("t", 0, offset, m.key, m.value))
            if str(parsed.envelope.event_id) in seen:
                out.append((m.expect, "duplicate"))
                continue
            IntakeProcessor._decide(households, parsed)
            seen.add(str(parsed.envelope.event_id))
            out.append((m.expect, "accepted"))
        except (ContractViolation, LifecycleViolation) as e:
            out.append((m.expect, e.code))
    return out


def test_every_message_of_the_demo_village_ends_as_the_script_expects() -> None:
    outcomes = outcome_of_each("U1")
    assert [got for _, got in outcomes] == [want for want, _ in outcomes]
    assert sum(1 for want, _ in outcomes if want not in ("accepted", "duplicate")) == 8


def test_the_script_is_deterministic_for_a_run_and_distinct_between_runs() -> None:
    assert village_messages("U2") == village_messages("U2")

    def values(run: str) -> set[bytes]:
        return {m.value for m in village_messages(run) if m.expect != "NOT_JSON"}

    assert not values("U3") & values("U4")


@pytest.mark.parametrize("run", ["U5", "U6"])
def test_household_ids_start_with_the_village_code(run: str) -> None:
    keys = {m.key for m in village_messages(run) if m.key}
    assert all(k.startswith(b"532524105201") for k in keys)
