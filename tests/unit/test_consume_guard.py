"""A fetch that keeps failing is waited out, longer each time, and makes the intake not
ready; a good fetch clears it; the loop's own stop passes untouched."""

from __future__ import annotations

from typing import Any

import pytest
from aiokafka.errors import ConsumerStoppedError, KafkaConnectionError
from fakes import FakeIntakeUnitOfWork

from services.entrypoints.consume_guard import ConsumeLoopGuard
from services.entrypoints.intake_consumer import IntakeService
from services.settings import Settings


class Subscriber:
    def __init__(self, outcomes: list[Any]) -> None:
        self.outcomes = outcomes
        self.consumer = object()

    async def get_msg(self, consumer: Any) -> Any:
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


async def test_failures_in_a_row_are_slowed_and_make_the_intake_not_ready() -> None:
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)

    errors = [RuntimeError("a decoder broke")] * 4
    subscriber = Subscriber([*errors, KafkaConnectionError(), "records"])
    guard = ConsumeLoopGuard(subscriber, sleep=sleep)
    for _ in range(2):
        with pytest.raises(RuntimeError):
            await subscriber.get_msg(None)
    assert guard.readiness() is None  # two are a hiccup
    for _ in range(2):
        with pytest.raises(RuntimeError):
            await subscriber.get_msg(None)
    assert waited == [0.5, 1.0, 2.0, 4.0]
    assert "4 times in a row" in (guard.readiness() or "")
    assert "a decoder broke" in (guard.readiness() or "")
    with pytest.raises(KafkaConnectionError):  # faststream waits on these itself
        await subscriber.get_msg(None)
    assert waited == [0.5, 1.0, 2.0, 4.0] and guard.failures == 5
    assert await subscriber.get_msg(None) == "records"
    assert guard.readiness() is None and guard.failures == 0


async def test_the_loops_own_stop_is_not_a_failure() -> None:
    subscriber = Subscriber([ConsumerStoppedError()])
    guard = ConsumeLoopGuard(subscriber)
    with pytest.raises(ConsumerStoppedError):
        await subscriber.get_msg(None)
    assert guard.failures == 0


def test_the_intake_service_reports_a_failing_fetch_in_its_readiness() -> None:
    service = IntakeService(Settings(), FakeIntakeUnitOfWork(), "localhost:9092")
    service.fetch_guard.failures = 3
    service.fetch_guard.last_error = "RuntimeError: x"
    service.subscriber.consumer = object()  # type: ignore[misc]
    assert "3 times in a row" in (service.readiness() or "")
