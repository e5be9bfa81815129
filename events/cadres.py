"""The register of cadres and their relatives (优亲厚友 is what it guards against): a
relation is recorded on the relative's household, so the household's history shows it."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from events.codes import ActorRole, CadreRelation
from events.common import Text
from events.envelope import Contract


class CadreRelativeRegistered(Contract):
    """A member of this household is a relative of a cadre."""

    cadre_id: str = Field(min_length=1, max_length=64, description="The cadre's person id.")
    cadre_role: ActorRole = Field(description="The cadre's role.")
    relative_person_id: str = Field(min_length=1, max_length=64, description="The member.")
    relation: CadreRelation = Field(description="What the member is to the cadre.")
    registered_on: date = Field(description="Day the relation was registered.")


class CadreRelativeEnded(Contract):
    """A registered relation ends (a divorce; a cadre leaves office is not one: the past
    acts stay those of a relative)."""

    cadre_id: str = Field(min_length=1, max_length=64, description="The cadre's person id.")
    relative_person_id: str = Field(min_length=1, max_length=64, description="The member.")
    ended_on: date = Field(description="Day the relation ended.")
    reason: Text = Field(min_length=1, description="Why.")
