"""The intake's fast transcoding of household events writes what the library's mapper
writes, so the library's readers (loads, projections, the audit log) decode it the same."""

from __future__ import annotations

import json

import orjson
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    UUIDAsHex,
)
from fakes import process_in_memory, simulated_in_memory

from events.household import HouseholdRegistered
from services.adapters.eventstore import fast_domain_event, fast_stored
from services.devtools.simulate.county import build_county
from services.devtools.simulate.generator import generate
from services.domain import events as ev
from services.domain.household import Household, Meta
from services.usecases.intake.unit_of_work import RawMessage


def library_mapper() -> Mapper:
    transcoder = JSONTranscoder()
    for t in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        transcoder.register(t)
    return Mapper(transcoder=transcoder)


def test_every_simulated_event_is_stored_as_the_library_stores_it() -> None:
    simulated = list(generate(build_county("small", 7), 7, 0.3, []))
    raw = [
        RawMessage("t", 0, i, key.encode(), json.dumps(env).encode())
        for i, (key, env) in enumerate(simulated)
    ]
    uow, _ = process_in_memory(raw)
    mapper = library_mapper()
    kinds = set()
    for events in uow.events.values():
        for event in events:
            fast, slow = fast_stored(event), mapper.to_stored_event(event)
            assert fast is not None
            assert (fast.originator_id, fast.originator_version, fast.topic) == (
                slow.originator_id,
                slow.originator_version,
                slow.topic,
            )
            assert orjson.loads(fast.state) == orjson.loads(slow.state)
            assert vars(mapper.to_domain_event(fast)) == vars(event)
            kinds.add(type(event))
    assert len(kinds) >= 10  # registrations, visits, cases, decisions, corrections


def test_what_orjson_refuses_is_left_to_the_library() -> None:
    simulated = list(generate(build_county("small", 7), 7, 0.0, []))
    key, env = simulated[0]
    uow, _ = process_in_memory([RawMessage("t", 0, 0, key.encode(), json.dumps(env).encode())])
    (event,) = next(iter(uow.events.values()))
    assert isinstance(event, ev.Registered)
    event.__dict__["facts"] = {**event.facts, "note": "\ud800"}  # a lone surrogate
    assert fast_stored(event) is None
    event.__dict__["facts"] = {**event.facts, "note": 1 << 70}
    assert fast_stored(event) is None


def test_every_stored_event_is_decoded_as_the_library_decodes_it() -> None:
    simulated = list(generate(build_county("small", 9), 9, 0.3, []))
    raw = [
        RawMessage("t", 0, i, key.encode(), json.dumps(env).encode())
        for i, (key, env) in enumerate(simulated)
    ]
    uow, _ = process_in_memory(raw)
    mapper = library_mapper()
    for events in uow.events.values():
        for event in events:
            stored = mapper.to_stored_event(event)
            fast, slow = fast_domain_event(stored), mapper.to_domain_event(stored)
            assert type(fast) is type(slow)
            assert vars(fast) == vars(slow)


def test_a_state_with_another_transcoded_value_is_decoded_by_the_library() -> None:
    simulated = list(generate(build_county("small", 7), 7, 0.0, []))
    key, env = simulated[0]
    uow, _ = process_in_memory([RawMessage("t", 0, 0, key.encode(), json.dumps(env).encode())])
    (event,) = next(iter(uow.events.values()))
    stored = library_mapper().to_stored_event(event)
    marked = orjson.loads(stored.state)
    marked["facts"]["note"] = {"_type_": "decimal_str", "_data_": "1.5"}  # as a Decimal is
    other = type(stored)(
        stored.originator_id, stored.originator_version, stored.topic, orjson.dumps(marked)
    )
    assert fast_domain_event(other) is None
    assert fast_domain_event(type(stored)(stored.originator_id, 1, "x:Y", stored.state)) is None


def test_a_decision_records_the_event_the_librarys_trigger_event_would() -> None:
    """The Household builds its events without the library's trigger_event (its keyword
    copies and the frozen dataclass's __init__ cost a third of deciding): the same class,
    the same attributes in the same order, the same mutation of the aggregate."""
    uow = simulated_in_memory(7, 0.3)
    compared = 0
    for events in uow.events.values():
        replayed = events[0].mutate(None)  # the registration: the library's _create
        for event in events[1:]:
            fields = {k: v for k, v in vars(event).items() if k not in _IMPOSED}
            replayed.trigger_event(type(event), timestamp=event.timestamp, **fields)
            (library,) = replayed.collect_events()
            assert type(library) is type(event)
            assert list(vars(library).items()) == list(vars(event).items())
            compared += 1
            assert replayed.version == event.originator_version
            assert replayed.modified_on == event.timestamp
    assert compared > 500


def test_a_registration_records_the_event_and_household_the_librarys_create_would() -> None:
    """A registration is built without the library's `_create` (its keyword copies and
    the frozen dataclass's __init__): the same event — class, attributes, their order —
    and the same new household, its event pending."""
    uow = simulated_in_memory(7, 0.3)
    compared = 0
    for events in uow.events.values():
        registered = events[0]
        assert type(registered) is ev.Registered
        fields = {
            k: v for k, v in vars(registered).items() if k not in (*_IMPOSED, "originator_topic")
        }
        library = Household._create(
            ev.Registered,
            id=registered.originator_id,
            timestamp=registered.timestamp,
            **fields,
        )
        (created,) = library.collect_events()
        assert list(vars(created).items()) == list(vars(registered).items())
        ours = registered.mutate(None)
        assert vars(ours) == vars(library)
        compared += 1
    assert compared == len(uow.events) > 30  # every household of the small county


def test_a_registered_household_holds_its_event_pending() -> None:
    uow = simulated_in_memory(7, 0.0)
    registered = next(iter(uow.events.values()))[0]
    meta = Meta(*(vars(registered)[f] for f in Meta._fields))
    payload = HouseholdRegistered.model_validate(registered.facts)
    h = Household.register(payload, meta)
    (pending,) = h.collect_events()
    assert type(pending) is ev.Registered and h.version == 1 == pending.originator_version
    assert {k: v for k, v in vars(pending).items() if k != "timestamp"} == {
        k: v for k, v in vars(registered).items() if k != "timestamp"
    }
    assert h.created_on == pending.timestamp and h.household_id == registered.household_id


_IMPOSED = ("originator_id", "originator_version", "timestamp")
