"""The envelope's facts made per message (Meta) are exactly those every stored household
event declares: a field added to one and not the other would be lost on the way."""

from __future__ import annotations

from dataclasses import MISSING, fields

from eventsourcing.domain import Aggregate

from services.domain.events import HouseholdEvent
from services.domain.meta import Meta


def test_meta_has_the_stored_events_envelope_fields_in_order_with_their_defaults() -> None:
    library = {f.name for f in fields(Aggregate.Event)}
    declared = [f for f in fields(HouseholdEvent) if f.name not in library | {"facts"}]
    assert [f.name for f in declared] == list(Meta._fields)
    defaults = {f.name: f.default for f in declared if f.default is not MISSING}
    assert defaults == Meta._field_defaults
