"""Place names (the code table region code → name) and the head of household's masked name:
from the county's file, from what registrations carry, into the household's state."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from builders import member
from household_steps import do, registered

from events.household import HouseholdRegistered
from events.identity import mask_name
from events.schema import event_schema
from services.adapters.places import PlacesFileInvalid, read_places_file
from services.devtools.simulate.county import build_county
from services.devtools.village import PLACES_FILE, VILLAGE
from services.domain.places import Places
from services.domain.timeline import state_on

PLACES = Places({"610326": "示范县", "610326101": "青山镇", "610326101201": "柳湾村"})


def test_a_place_reads_as_its_name_and_an_unknown_one_as_its_code() -> None:
    assert PLACES.village("610326101201") == "柳湾村"
    assert PLACES.township("610326101201") == "青山镇"
    assert PLACES.county("610326101201") == "示范县"
    assert PLACES.full("610326101201") == "青山镇柳湾村"
    assert PLACES.village("610326101299") == "610326101299"
    with pytest.raises(ValueError, match="region code"):
        Places({"61032610": "八位"})


def test_the_countys_table_comes_before_the_names_registrations_carry() -> None:
    carried = Places({"610326101": "青山乡", "610326102": "石桥镇"})
    both = PLACES.over(carried)
    assert both.label("610326101") == "青山镇" and both.label("610326102") == "石桥镇"


def test_the_countys_file_may_be_a_json_object_a_json_list_or_a_csv(tmp_path: Path) -> None:
    assert read_places_file(PLACES_FILE) == PLACES  # what the demo ships
    listed = tmp_path / "places.json"
    listed.write_text(json.dumps([{"code": "610326101", "name": "青山镇"}], ensure_ascii=False))
    assert read_places_file(listed).label("610326101") == "青山镇"
    exported = tmp_path / "places.csv"  # as a spreadsheet saves it: a byte-order mark
    exported.write_bytes(
        "区划代码,名称\n610326,示范县\n\n610326101201,柳湾村\n".encode("utf-8-sig")
    )
    assert read_places_file(exported).names == {"610326": "示范县", "610326101201": "柳湾村"}


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("bad.csv", "code,name\n610326,示范县\n６１０３２６,全角\n", "line 3"),
        ("bad.csv", "区划,地名\n610326,示范县\n", "code,name"),
        ("bad.json", '{"610326": ""}', "empty"),
        ("bad.json", '"610326"', "object"),
        ("bad.json", "{", "not JSON"),
    ],
)
def test_a_file_that_cannot_be_read_says_where_and_what(
    tmp_path: Path, name: str, text: str, says: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlacesFileInvalid, match=says):
        read_places_file(path)


def test_a_registration_may_carry_the_names_of_its_places_and_need_not() -> None:
    plain = {"village_code": VILLAGE, "household_type": "lifted", "members": [member()]}
    assert HouseholdRegistered.model_validate(plain).village_name is None
    named = HouseholdRegistered.model_validate(plain | {"village_name": "柳湾村"})
    assert (named.village_name, named.township_name) == ("柳湾村", None)
    payload = event_schema("household_registered")["properties"]["payload"]
    assert {"county_name", "township_name", "village_name"} <= set(payload["properties"])
    assert "village_name" not in payload["required"]
    assert payload["properties"]["village_name"]["anyOf"][0]["maxLength"] == 64


def test_the_simulated_county_names_its_townships_and_villages() -> None:
    county = build_county("medium", 1)
    assert len(county.names) == 1 + 10 + 100
    h = county.households[0]
    assert county.place_names(h.village) == {
        "county_name": "模拟县",
        "township_name": "青山镇",
        "village_name": "王家村",
    }


def test_names_are_masked_first_and_last_character_kept() -> None:
    assert [mask_name(n) for n in ("王建国", "张伟", "欧阳娜娜", "李", "")] == [
        "王*国",
        "张*",
        "欧**娜",
        "*",
        "",
    ]


def test_the_household_state_names_its_head_masked_and_follows_a_change_of_head() -> None:
    h = registered()
    assert state_on(h.pending_events)["head_name_masked"] == "王*国"  # type: ignore[index]
    head = member("P1")
    son = member("P2", 2, name="王小军", relation_to_head="son")
    do(h, "member_added", member=son, reason="return", day="2025-04-01")
    do(h, "member_changed", member=head, reason="death", left_household=True, day="2025-05-01")
    state = state_on(h.pending_events)
    assert state is not None and (state["head_person_id"], state["head_name_masked"]) == (
        None,
        None,
    )
    now_head = son | {"relation_to_head": "head"}
    do(h, "member_changed", member=now_head, reason="update", day="2025-05-02")
    events = h.pending_events
    assert state_on(events)["head_name_masked"] == "王*军"  # type: ignore[index]
    assert state_on(events, occurred_on=date(2025, 4, 15))["head_name_masked"] == "王*国"  # type: ignore[index]
