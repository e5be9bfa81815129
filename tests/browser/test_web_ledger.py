"""The dashboard and the ledger in a real browser: the charts are drawn and their tables
hold the API's numbers; a township official finds a problem, plans, acts with a photo and
closes it out, and the ledger and its workbook show it; the login and the ledger work with
the keyboard alone."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from browser_support import log_in, shot
from http_support import a_problem
from playwright.sync_api import Page, expect

from services.adapters.eventstore import EventStore
from services.settings import Settings

pytestmark = pytest.mark.e2e

# the pixels of a canvas that are not blank
DRAWN = """el => { const c = el.querySelector('canvas'); if (!c) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"""
PHOTO = Path(__file__).with_name("evidence-photo.png")


def test_the_dashboard_draws_its_charts_and_its_tables_hold_the_apis_numbers(
    page: Page,
) -> None:
    log_in(page, "county")
    charts = page.locator("[data-chart]")
    expect(charts).to_have_count(4)
    for i in range(4):
        expect(charts.nth(i).locator("canvas")).to_be_visible()
        assert charts.nth(i).evaluate(DRAWN) > 1000
    shot(page, "dashboard")
    report = page.request.get("/api/report?level=village").json()
    open_by_rule: Counter[str] = Counter()
    for r in report["by_rule"]:
        open_by_rule[r["rule"]] += r["open"]
    rows = page.locator("#table-by-rule tbody tr")
    expect(rows).to_have_count(len(open_by_rule))
    shown = {
        rows.nth(i).locator("td a").inner_text(): int(
            rows.nth(i).locator('td[data-n="open"]').inner_text()
        )
        for i in range(rows.count())
    }
    assert shown == dict(open_by_rule)
    assert sum(shown.values()) > 0


def test_a_township_official_closes_out_a_problem_with_a_photo_and_the_ledger_shows_it(
    page: Page, seeded: Settings
) -> None:
    store = EventStore(seeded)
    try:
        pid = a_problem(store, ongoing=False)
    finally:
        store.close()
    log_in(page, "township")
    page.locator("header").get_by_role("link", name="问题台账").click()
    page.get_by_label("状态").select_option(label="待整改")
    expect(page).to_have_url(re.compile(r"status=open"))
    row = page.locator(f'tr[data-problem="{pid}"]')
    expect(row).to_be_visible()
    shot(page, "ledger")
    row.get_by_role("link", name="查看").click()
    expect(page.locator("#status")).to_have_text("待整改")

    plan = page.locator("#form-plan")
    plan.get_by_label("整改措施").fill("入户核实，补齐走访记录")
    plan.get_by_label("整改时限").fill("2026-12-31")
    plan.get_by_label("责任人").fill("乡镇干部王")
    plan.get_by_role("button", name="保存整改计划").click()
    expect(page.locator("#done")).to_have_text("已保存：制定整改计划。")

    act = page.locator("#form-act")
    act.get_by_label("整改措施").fill("已入户走访并拍照留存")
    act.get_by_label("上传照片或扫描件（JPEG、PNG、PDF）").set_input_files(PHOTO)
    act.get_by_role("button", name="保存整改措施").click()
    expect(page.locator("#done")).to_have_text("已保存：整改措施。")
    expect(page.locator("#history").get_by_role("link", name="佐证文件")).to_have_count(1)

    close = page.locator("#form-close")
    expect(close.get_by_role("checkbox")).to_be_checked()
    close.get_by_label("销号说明（可选）").fill("乡镇现场核实")
    close.get_by_role("button", name="确认销号").click()
    expect(page.locator("#status")).to_have_text("已销号")
    expect(page.locator("#form-reopen")).to_be_visible()
    shot(page, "problem-closed")

    page.goto("/ledger?status=closed")
    expect(page.locator(f'tr[data-problem="{pid}"]')).to_contain_text("已销号")
    with page.expect_download() as got:
        page.get_by_role("link", name="三本台账（Excel）").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(got.value.path()).read_bytes()))
    assert book.sheetnames == ["排查任务台账", "疑似问题台账", "整改工作台账"]
    steps = [c.value for row in book["整改工作台账"].iter_rows() for c in row]
    assert "乡镇现场核实" in " ".join(str(v) for v in steps if v)
    problems = book["疑似问题台账"]
    cells = [c for row in problems.iter_rows() for c in row]
    assert any(getattr(c, "is_date", False) for c in cells)  # real dates, not text
    assert any(isinstance(c.value, str) and re.fullmatch(r".\*.", c.value) for c in cells)  # 王*国
    assert problems.freeze_panes and problems.auto_filter.ref


def test_the_login_and_the_ledger_work_with_the_keyboard_alone(page: Page) -> None:
    page.goto("/login")
    expect(page.get_by_label("账号")).to_be_focused()  # autofocus
    page.keyboard.type("township")
    page.keyboard.press("Tab")
    expect(page.get_by_label("密码")).to_be_focused()
    page.keyboard.type("correct horse battery staple")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    tab_to(page, page.locator("header").get_by_role("link", name="问题台账"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("问题台账")
    status = page.get_by_label("状态")
    tab_to(page, status)
    page.keyboard.press("End")  # the last status: 已逾期 (a change: the rows come anew)
    expect(status).to_have_value("overdue")
    tab_to(page, page.get_by_label("状态"))
    page.keyboard.press("Home")
    expect(status).to_have_value("")
    first = page.locator("#ledger-table tbody tr").first.get_by_role("link", name="查看")
    tab_to(page, first)
    page.keyboard.press("Enter")
    expect(page.locator("#problem-facts")).to_be_visible()


def tab_to(page: Page, target: object, most: int = 60) -> None:
    """Press Tab until the target has the focus (at most `most` times)."""
    for _ in range(most):
        if target.evaluate("el => el === document.activeElement"):  # type: ignore[attr-defined]
            return
        page.keyboard.press("Tab")
    raise AssertionError("the keyboard never reached it")
