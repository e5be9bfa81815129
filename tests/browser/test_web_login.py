"""Logging in to the web app as each role: the page is Chinese, the menu holds what the
role may open and nothing else, a wrong password is refused in Chinese, logging out ends
the session."""

from __future__ import annotations

import re

import pytest
from browser_support import log_in, shot
from http_support import IN_SCOPE
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

MENUS = {
    "village_cadre": ["工作台", "问题台账", "农户档案"],
    "township_official": ["工作台", "问题台账", "农户档案"],
    "county_official": ["工作台", "问题台账", "农户档案", "数据质量"],
    "county_administrator": ["工作台", "全国系统数据"],
    "discipline_inspector": ["工作台", "问题台账", "农户档案", "审计"],
    "operator": ["工作台", "审计", "数据质量", "系统"],
    "department": ["工作台", "数据质量"],
}


@pytest.mark.parametrize("role", sorted(MENUS))
def test_each_role_logs_in_and_sees_its_own_menu(page: Page, role: str) -> None:
    log_in(page, IN_SCOPE[role])
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("header .menu a")).to_have_text(MENUS[role])
    expect(page.locator("h1")).to_contain_text("工作台")
    shot(page, f"dashboard-{role}")


def test_a_wrong_password_is_refused_in_chinese_and_logging_out_ends_the_session(
    page: Page,
) -> None:
    page.goto("/ledger")  # not logged in: to the login page, and back after it
    expect(page).to_have_url(re.compile(r"/login\?next=/ledger$"))
    page.get_by_label("账号").fill("township")
    page.get_by_label("密码").fill("not the password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_have_text("用户名或密码不正确，请重试。")
    shot(page, "login-refused")
    log_in(page, "township")
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.goto("/ledger")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()


def test_a_password_is_changed_on_its_page_and_the_new_one_logs_in(page: Page) -> None:
    log_in(page, "county-other")
    page.get_by_role("link", name="修改密码").click()
    page.get_by_label("当前密码").fill("wrong password here")
    page.get_by_label("新密码").fill("a brand new passphrase")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_role("alert")).to_have_text("用户名或密码不正确，请重试。")
    page.get_by_label("当前密码").fill("correct horse battery staple")
    page.get_by_label("新密码").fill("a brand new passphrase")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_role("status")).to_have_text("新密码已保存。")
    shot(page, "password")
    page.get_by_role("button", name="退出").click()
    log_in(page, "county-other", "a brand new passphrase")
