"""The intake consumer's routing, with faststream's TestKafkaBroker (no broker, no
database): records of the intake topic reach the batch processor as they arrived, bytes
and all, and each rejection goes out on the rejected topic once. The real broker stays
for the guarantees (tests/e2e)."""

from __future__ import annotations

import pytest
from fakes import FakeIntakeUnitOfWork
from faststream.kafka import TestKafkaBroker

from events.rejection import RejectedMessage
from services.devtools.village import village_messages
from services.entrypoints.intake_consumer import IntakeService
from services.settings import Settings
from services.usecases.intake.unit_of_work import OffsetGap, RawMessage

SETTINGS = Settings(
    intake_topic="events", rejected_topic="rejected", historical_imports=frozenset({"*"})
)


async def test_records_of_the_intake_topic_reach_the_unit_of_work_and_rejections_go_out() -> None:
    uow = FakeIntakeUnitOfWork(check_positions=False)
    service = IntakeService(SETTINGS, uow, "localhost:9092")
    messages = village_messages("TK")
    async with TestKafkaBroker(service.broker) as broker:
        for m in messages:  # one record per call: a batch of one each time
            await broker.publish(m.value, SETTINGS.intake_topic, key=m.key)
        published = {
            source: [
                RejectedMessage.model_validate(call.args[0])
                for call in publisher.mock.call_args_list  # type: ignore[union-attr]
            ]
            for source, publisher in service.rejected_publishers.items()
        }

    want = [m.expect for m in messages]
    assert len(uow.accepted_messages) == want.count("accepted")
    assert len(uow.duplicates) == want.count("duplicate")
    rejected = sorted(w for w in want if w not in ("accepted", "duplicate"))
    assert sorted(r.code for r in uow.rejected) == rejected
    everyone = [p for topic in published.values() for p in topic]
    assert sorted(p.reason_code for p in everyone) == rejected  # each once
    assert len({p.rejection_id for p in everyone}) == len(everyone)
    for source, topic in published.items():  # each on its own producer's topic only
        assert {p.source_system or "unattributed" for p in topic} <= {source}
    assert {p.reason_code for p in published["unattributed"]} == {"NOT_JSON", "ENVELOPE_INVALID"}
    assert {p.reason_code for p in published["civil_affairs"]} == {"PRODUCER_NOT_PERMITTED"}
    not_json = next(r for r in uow.rejected if r.code == "NOT_JSON")
    assert not_json.message.value == b"\x00\x01 not json at all"  # the bytes as sent


async def test_a_rejection_too_large_for_the_topic_goes_out_as_a_notice_of_itself() -> None:
    uow = FakeIntakeUnitOfWork(check_positions=False)
    service = IntakeService(
        SETTINGS.model_copy(update={"rejected_max_bytes": 1024}), uow, "localhost:9092"
    )
    async with TestKafkaBroker(service.broker) as broker:
        await broker.publish(b"x" * 5000, SETTINGS.intake_topic, key=b"610326101201TK001")
        unattributed = service.rejected_publishers["unattributed"]
        [call] = unattributed.mock.call_args_list  # type: ignore[union-attr]
    notice = RejectedMessage.model_validate(call.args[0])
    assert (notice.reason_code, notice.value_omitted, notice.value_bytes) == (
        "NOT_JSON",
        True,
        5000,
    )
    assert notice.value_base64 is None and notice.value_sha256


async def test_a_gap_in_a_partitions_offsets_passes_only_after_a_reading_from_the_store() -> None:
    uow = FakeIntakeUnitOfWork()
    service = IntakeService(SETTINGS, uow, "localhost:9092")
    raw = [
        RawMessage("events", 0, offset, m.key, m.value)
        for offset, m in enumerate(village_messages("TG")[:8])
    ]
    await service._store(raw[:2])
    with pytest.raises(OffsetGap):  # offsets 2..3 never reached the batch
        await service._store(raw[4:])
    service._gaps_read[("events", 0)] = 2  # the worker read again from the stored 2
    await service._store(raw[4:])  # and that reading began at 4: the log holds nothing there
    assert uow.positions[("events", 0)] == raw[-1].offset + 1
    assert uow.gaps_allowed == {}  # allowed for that batch only
