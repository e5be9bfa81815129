"""What the browser tests share (tests/browser/): logging in through the login page, and a
screenshot of a page at 1366×768 under tests/artifacts/screenshots/ (git-ignored)."""

from __future__ import annotations

from pathlib import Path

from http_support import PASSWORD
from playwright.sync_api import Page, expect

SCREENSHOTS = Path(__file__).parent / "artifacts" / "screenshots"
VIEWPORT = {"width": 1366, "height": 768}


def log_in(page: Page, name: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("账号").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()


def shot(page: Page, name: str) -> Path:
    """A screenshot of the page as it is, at 1366×768 (the whole page's length)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
