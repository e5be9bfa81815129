"""数据质量 and 系统 in a real browser: the rejected messages by department and reason code
with the fix in Chinese (a department sees only its own); an operator verifies a projection
against its rebuild and sees the sweeps."""

from __future__ import annotations

import pytest
from browser_support import log_in, shot
from playwright.sync_api import Page, expect

from services.adapters.eventstore import EventStore
from services.i18n import label
from services.settings import Settings

pytestmark = pytest.mark.e2e


def test_rejections_by_department_and_reason_with_the_fix(page: Page, seeded: Settings) -> None:
    store = EventStore(seeded)
    try:
        with store.connection() as conn:
            codes = {
                r["reason_code"]
                for r in conn.execute("SELECT reason_code FROM intake_rejected").fetchall()
            }
    finally:
        store.close()
    assert codes
    log_in(page, "operator")
    page.locator("header").get_by_role("link", name="数据质量").click()
    for code in codes:
        expect(page.locator("#counts")).to_contain_text(code)
        expect(page.locator("#fixes")).to_contain_text(label("reason", code))
    shot(page, "quality")


def test_a_department_sees_only_its_own_rejections(page: Page) -> None:
    log_in(page, "department")
    page.locator("header").get_by_role("link", name="数据质量").click()
    sources = page.locator("#counts tbody td[data-source]")
    expect(sources.first).to_have_attribute("data-source", "civil_affairs")
    assert {sources.nth(i).get_attribute("data-source") for i in range(sources.count())} == {
        "civil_affairs"
    }


def test_an_operator_verifies_a_projection_and_sees_the_sweeps(page: Page) -> None:
    log_in(page, "operator")
    page.locator("header").get_by_role("link", name="系统").click()
    row = page.locator("#projections tbody tr", has_text="household_state")
    row.get_by_role("button", name="核对").click()
    expect(page.get_by_role("status")).to_contain_text("已开始核对 农户当前状态")
    expect(page.locator("#projections tbody tr", has_text="household_state")).to_contain_text(
        "一致", timeout=90_000
    )
    expect(page.locator("#sweeps tbody tr").first).to_contain_text("2026-03-01")
    shot(page, "system")
