"""The demo village, replayed in memory through the intake's own parsing and decisions."""

import pytest

from events.catalog import ContractViolation
from services.domain.errors import LifecycleViolation
from services.domain.household import Household
from services.intake.batch import IntakeProcessor, check_message
from services.permissions import Permissions
from services.store import RawMessage
from services.village import village_messages


def outcome_of_each(run: str) -> list[tuple[str, str]]:
    """The intake's decisions, without its store: the pure part of every batch."""
    processor = IntakeProcessor(store=None, cache_size=0)  # type: ignore[arg-type]
    households: dict[str, Household] = {}
    seen: dict = {}
    out = []
    for offset, m in enumerate(village_messages(run)):
        try:
            parsed = check_message(RawMessage("t", 0, offset, m.key, m.value), Permissions())
            env = parsed.envelope
            if env.event_id in seen:
                out.append((m.expect, "duplicate"))
                continue
            processor._decide(households, parsed, seen)
            seen[env.event_id] = (env.household_id, env.event_type, env.source_system)
            out.append((m.expect, "accepted"))
        except (ContractViolation, LifecycleViolation) as e:
            out.append((m.expect, e.code))
    return out


def test_every_message_of_the_demo_village_ends_as_the_script_expects() -> None:
    outcomes = outcome_of_each("U1")
    assert [got for _, got in outcomes] == [want for want, _ in outcomes]
    rejected = {want for want, _ in outcomes if want not in ("accepted", "duplicate")}
    assert len(rejected) == 12


def test_the_script_is_deterministic_for_a_run_and_distinct_between_runs() -> None:
    assert village_messages("U2") == village_messages("U2")

    def values(run: str) -> set[bytes]:
        return {m.value for m in village_messages(run) if m.expect != "NOT_JSON"}

    assert not values("U3") & values("U4")


@pytest.mark.parametrize("run", ["U5", "U6"])
def test_household_ids_start_with_the_village_code(run: str) -> None:
    keys = {m.key for m in village_messages(run) if m.key}
    assert all(k.startswith(b"610326101201") for k in keys)
