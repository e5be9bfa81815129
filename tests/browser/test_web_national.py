"""全国系统数据 in a real browser: a county administrator uploads the simulated county's
export to compare it, watches the job run to its end, sees the differences by field and
downloads the Chinese report; another role has no such page."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import log_in, shot
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from services.devtools.simulate.national_export import simulate_exports

pytestmark = pytest.mark.e2e


def test_an_administrator_compares_an_export_and_downloads_the_report(
    page: Page, tmp_path: Path
) -> None:
    truth = simulate_exports("small", 2, tmp_path, bad_share=0.05, difference_share=0.2)
    log_in(page, "admin")
    page.locator("header").get_by_role("link", name="全国系统数据").click()
    page.get_by_label("导出文件（.xlsx）").set_input_files(str(tmp_path / truth["export"]))
    page.get_by_label("试导入（只出校验报告）").check()
    page.get_by_role("button", name="开始").click()
    expect(page.locator("#job-status")).to_have_text("已完成", timeout=120_000)
    result = page.locator("#result")
    expect(result.get_by_role("row", name=f"文件数据行数 {truth['rows']}")).to_be_visible()
    bad = len(truth["bad_rows"])
    expect(result.get_by_role("row", name=f"无法导入的行数 {bad}", exact=True)).to_be_visible()
    shot(page, "national")
    with page.expect_download() as download:
        page.locator("#report").click()
    saved = tmp_path / "report.xlsx"
    download.value.save_as(saved)
    book = load_workbook(saved)
    assert book.sheetnames[:2] == ["汇总", "无法导入的行"]
    rows = list(book["无法导入的行"].iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(truth["bad_rows"])


def test_an_official_has_no_national_page(page: Page) -> None:
    log_in(page, "county")
    expect(page.locator("header")).not_to_contain_text("全国系统数据")
    assert page.goto("/national").status == 403
