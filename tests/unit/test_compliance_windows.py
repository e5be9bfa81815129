"""Every clock as a window (issue #18): late is a finding even when the thing happened later,
each with its near miss on the boundary day; R2.3 in full; R8.1 on the records' quality."""

from __future__ import annotations

from datetime import date

from compliance_history import History, checks, county_findings, kept_by_the_book, person_number

from services.domain.compliance.engine import Partial, conclude, evaluate_share
from services.domain.compliance.findings import Finding
from services.domain.compliance.params import ComplianceParams

AS_OF = "2025-06-01"


def fresh(**kw: object) -> History:
    return History(registered="2024-03-01", **kw)  # type: ignore[arg-type]


# --- R1.1, R1.2: the leaflets ----------------------------------------------------------------
def test_r1_1_a_leaflet_delivered_on_day_31_is_late_even_after_it_was_delivered() -> None:
    h = fresh()
    h.leaflet("application_policy", "2024-04-01")  # registered 1 March: due 31 March
    assert checks(h, "R1.1", AS_OF) == ["application_leaflet_late"]
    assert checks(fresh(), "R1.1", "2024-04-01") == ["application_leaflet_missing"]
    assert checks(fresh(), "R1.1", "2024-03-31") == []


def test_r1_1_a_leaflet_delivered_on_day_30_is_in_time() -> None:
    h = fresh()
    h.leaflet("application_policy", "2024-03-31")
    assert checks(h, "R1.1", AS_OF) == []


def _monitored(leaflet_on: str | None) -> History:
    h = fresh()
    h.leaflet("application_policy", "2024-03-10")
    h.identified()  # decided 12 March 2024
    if leaflet_on:
        h.leaflet("assistance_policy", leaflet_on)
    return h


def test_r1_2_an_assistance_leaflet_on_day_31_after_identification_is_late() -> None:
    assert checks(_monitored("2024-04-12"), "R1.2", AS_OF) == ["assistance_leaflet_late"]


def test_r1_2_an_assistance_leaflet_on_day_30_is_in_time() -> None:
    assert checks(_monitored("2024-04-11"), "R1.2", AS_OF) == []
    assert checks(_monitored(None), "R1.2", AS_OF) == ["assistance_leaflet_missing"]


# --- R3.1, R3.2: alerts ------------------------------------------------------------------------
def test_r3_1_an_alert_pushed_on_day_8_is_late_day_7_in_time() -> None:
    late, in_time = fresh(), fresh()
    late.alert("A1", "2024-05-01", "2024-05-09")
    in_time.alert("A1", "2024-05-01", "2024-05-08")
    assert checks(late, "R3.1", AS_OF) == ["alert_pushed_late"]
    assert checks(in_time, "R3.1", AS_OF) == []


def _alert_led(lead_on: str | None) -> History:
    h = fresh()
    h.alert("A1", "2024-05-01", "2024-05-03")  # due 18 May
    if lead_on:
        h.lead("L1", lead_on, alert_id="A1")
    return h


def test_r3_2_an_alert_that_became_a_lead_on_day_16_was_followed_up_late() -> None:
    assert checks(_alert_led("2024-05-19"), "R3.2", AS_OF) == ["alert_followed_up_late"]
    assert checks(_alert_led(None), "R3.2", AS_OF) == ["alert_not_followed_up"]


def test_r3_2_an_alert_that_became_a_lead_on_day_15_was_followed_up_in_time() -> None:
    assert checks(_alert_led("2024-05-18"), "R3.2", AS_OF) == []


# --- R5.1, R5.3: plans and verification -----------------------------------------------------
def test_r5_1_a_plan_on_day_11_is_late_even_once_adopted_day_10_in_time() -> None:
    late, in_time = fresh(), fresh()
    for h in (late, in_time):
        h.identified()  # 12 March 2024
    late.plan("2024-03-23")
    in_time.plan("2024-03-22")
    assert checks(late, "R5.1", AS_OF) == ["plan_late"]
    assert checks(in_time, "R5.1", AS_OF) == []


def test_r5_3_a_measure_verified_on_day_61_is_late_day_60_in_time() -> None:
    late, in_time = fresh(), fresh()
    for h, day in ((late, "2024-05-31"), (in_time, "2024-05-30")):
        h.identified()
        h.plan("2024-03-15")
        h.measure("M1", "2024-03-31")
        h.verify("M1", day)
    assert checks(late, "R5.3", AS_OF) == ["measure_verified_late"]
    assert checks(in_time, "R5.3", AS_OF) == []


# --- R7.1: the mark ----------------------------------------------------------------------
def _without_labour(mark_on: str | None) -> History:
    h = fresh(labour="none")
    h.identified()  # 12 March 2024: due 11 April
    if mark_on:
        h.mark(mark_on)
    return h


def test_r7_1_a_mark_on_day_31_is_late_even_once_set() -> None:
    assert checks(_without_labour("2024-04-12"), "R7.1", AS_OF) == ["safety_net_marked_late"]
    assert checks(_without_labour(None), "R7.1", AS_OF) == ["safety_net_not_marked"]


def test_r7_1_a_mark_on_day_30_is_in_time_and_weak_labour_needs_none() -> None:
    assert checks(_without_labour("2024-04-11"), "R7.1", AS_OF) == []
    weak = fresh(labour="weak")
    weak.identified()
    assert checks(weak, "R7.1", AS_OF) == []


# --- R2.3 in full -------------------------------------------------------------------------
def _recipient() -> History:
    h = fresh(household_type="ordinary")
    h.fact("minimum_living_allowance_granted", "2024-06-01")  # screening due 1 July
    return h


def test_r2_3_screened_on_day_31_is_late_day_30_in_time() -> None:
    late, in_time = _recipient(), _recipient()
    late.screening("2024-07-02")
    in_time.screening("2024-07-01")
    assert checks(late, "R2.3", AS_OF) == ["allowance_recipient_screened_late"]
    assert checks(in_time, "R2.3", AS_OF) == []


def test_r2_3_a_recipient_never_screened_is_found() -> None:
    assert checks(_recipient(), "R2.3", AS_OF) == ["allowance_recipient_not_screened"]


def test_r2_3_a_recipient_screened_below_the_line_and_never_identified_is_found() -> None:
    h = _recipient()
    h.income("2024-06-10", 7299)
    assert "allowance_recipient_not_identified" in checks(h, "R2.3", AS_OF)


def test_r2_3_a_recipient_at_the_line_or_identified_in_time_is_not() -> None:
    at_line, identified = _recipient(), _recipient()
    at_line.income("2024-06-10", 7300)
    identified.income("2024-06-10", 7000)
    identified.lead("L1", "2024-06-25")  # day 15 after the screening
    identified.notice("L1", "2024-06-27", "2024-07-03")
    identified.decide("L1", "2024-07-05")
    assert checks(at_line, "R2.3", AS_OF) == []
    assert checks(identified, "R2.3", AS_OF) == []


# --- R8.1: the records' quality -----------------------------------------------------------
def test_r8_1_a_member_whose_id_number_fails_its_check_digit_is_found_naming_the_field() -> None:
    h = fresh()
    good = person_number(h.hid)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    h.events[0].facts["members"][0]["id_number"] = bad
    found = [f for f in h.findings(AS_OF, "R8.1") if f.check == "id_number_invalid"]
    assert [f.summary for f in found] == [
        "member P1: members.P1.id_number fails the GB 11643 check digit"
    ]
    assert bad not in found[0].summary


def test_r8_1_a_valid_id_number_is_not_found() -> None:
    assert "id_number_invalid" not in checks(fresh(), "R8.1", AS_OF)


def _two_households(same: bool) -> list[History]:
    a, b = fresh(hid="610326101201H001"), fresh(hid="610326101201H002")
    if same:
        b.events[0].facts["members"][0]["id_number"] = person_number(a.hid)
    return [a, b]


def test_r8_1_one_person_in_two_households_is_found_for_each() -> None:
    found = [
        f
        for f in county_findings(_two_households(True), AS_OF, "R8.1")
        if f.check == "person_in_two_households"
    ]
    assert sorted(f.subject for f in found) == ["610326101201H001", "610326101201H002"]
    assert "610326101201H002" in found[0].summary
    assert person_number("610326101201H001") not in " ".join(f.summary for f in found)


def test_r8_1_two_households_of_different_people_are_not() -> None:
    found = county_findings(_two_households(False), AS_OF, "R8.1")
    assert "person_in_two_households" not in {f.check for f in found}


def test_r8_1_one_person_in_two_households_is_found_across_merged_shares() -> None:
    p, day = ComplianceParams(), date.fromisoformat(AS_OF)
    a, b = _two_households(True)
    merged = evaluate_share([a.events], day, p)
    merged.merge(evaluate_share([b.events], day, p))
    found = [f for f in conclude(merged, day).findings if f.check == "person_in_two_households"]
    assert len(found) == 2
    assert isinstance(merged, Partial)


# --- scenarios for the Chinese summaries' test ------------------------------------------------
def window_scenarios() -> list[Finding]:
    """Each new check's finding, as the checks write it (test_i18n_summaries reads them)."""
    late_leaflet = fresh()
    late_leaflet.leaflet("application_policy", "2024-04-01")
    found = [
        *late_leaflet.findings(AS_OF),
        *_monitored("2024-04-12").findings(AS_OF, "R1.2"),
        *_alert_led("2024-05-19").findings(AS_OF, "R3.2"),
        *_without_labour("2024-04-12").findings(AS_OF, "R7.1"),
        *county_findings(_two_households(True), AS_OF, "R8.1"),
    ]
    late, below = _recipient(), _recipient()
    late.screening("2024-07-02")
    below.income("2024-06-10", 7299)
    found += [*late.findings(AS_OF, "R2.3"), *below.findings(AS_OF, "R2.3")]
    found += _recipient().findings(AS_OF, "R2.3")  # never screened
    invalid = kept_by_the_book()
    invalid.events[0].facts["members"][0]["id_number"] = "110105194912310021"
    found += invalid.findings(AS_OF, "R8.1")
    return found


def test_every_scenario_finding_is_of_a_named_check() -> None:
    assert {f.check for f in window_scenarios()} >= {
        "application_leaflet_late",
        "assistance_leaflet_late",
        "alert_followed_up_late",
        "safety_net_marked_late",
        "person_in_two_households",
        "allowance_recipient_screened_late",
        "allowance_recipient_not_identified",
        "id_number_invalid",
    }
