"""农户档案 in a real browser: a household found by its number, its timeline, its state as
it was and as known on a day, its members masked until a purpose is given (and the read
then recorded), its printable public notice; a village cadre opening another township's
household gets the 404 page."""

from __future__ import annotations

import re

import pytest
from browser_support import log_in, shot
from http_support import HOUSEHOLD
from playwright.sync_api import Page, expect

from services.adapters.eventstore import EventStore
from services.i18n.zh_CN_codes import CODES
from services.settings import Settings
from services.usecases.audit.reads import reads

pytestmark = pytest.mark.e2e


def test_a_household_its_timeline_its_past_and_its_members_for_a_purpose(
    page: Page, seeded: Settings
) -> None:
    log_in(page, "township")
    page.locator("header").get_by_role("link", name="农户档案").click()
    page.get_by_label("户编号").fill(HOUSEHOLD)
    page.get_by_role("button", name="按户编号查找").click()
    expect(page.locator("#households tbody tr").first).to_contain_text(HOUSEHOLD)
    shot(page, "households")
    page.locator("#households").get_by_role("link", name="查看").first.click()
    expect(page.locator("h1")).to_contain_text(HOUSEHOLD)
    expect(page.locator("#timeline li").first).to_contain_text("农户登记")
    timeline = page.locator("#timeline").inner_text()  # producers and roles by their names
    assert "村级走访应用" in timeline and "village_app" not in timeline
    assert not re.search(r"\((village_cadre|assigned_helper|department_system)\)", timeline)
    assert any(f"（{role}）" in timeline for role in CODES["ActorRole"].values())
    masked = page.locator("#members tbody tr").first.locator("td").first.inner_text()
    assert "*" in masked
    shot(page, "household")

    page.get_by_label("按发生时间：截至").fill("2025-03-05")
    page.get_by_role("button", name="查看", exact=True).click()
    expect(page.locator("#then")).to_contain_text("未纳入监测")

    page.get_by_label("查阅目的（将被记录）").fill("核实走访记录")
    page.get_by_role("button", name="查看未脱敏信息").click()
    expect(page.locator("#unmasked")).to_be_visible()
    clear = page.locator("#members tbody tr").first.locator("td").first.inner_text()
    assert "*" not in clear and clear
    store = EventStore(seeded)
    try:
        read = [r for r in reads(store, HOUSEHOLD) if r["purpose"] == "核实走访记录"]
    finally:
        store.close()
    assert [r["reader"] for r in read] == ["township"]

    page.get_by_role("button", name="打印公示").first.click()
    expect(page.locator("#notice h1")).to_contain_text("公示")
    notice = page.locator("#notice").inner_text()
    assert "公示期" in notice and "身份证" not in notice
    page.emulate_media(media="print")
    shot(page, "notice-print")


def test_a_village_cadre_opening_another_townships_household_gets_the_404_page(
    page: Page,
) -> None:
    log_in(page, "cadre-other")
    response = page.goto(f"/households/{HOUSEHOLD}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("alert")).to_contain_text("您的管辖范围内没有这个农户。")
    shot(page, "household-404")
