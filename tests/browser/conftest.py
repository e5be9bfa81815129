"""The web app in a real browser: Debian's Chromium driven by Playwright, against a real
`dixian serve` (services.devtools.embedded.serving) on a free port and the real PostgreSQL:
one server for all the browser tests (a browser per module), holding the demo village, a sweep and
an account per role (http_support). Screenshots of each page at 1366×768 go to
tests/artifacts/screenshots/ (git-ignored)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from http_support import PASSWORD, seeded_database
from playwright.sync_api import Browser, Page, expect, sync_playwright

from services.devtools.embedded import serving
from services.devtools.village import PLACES_FILE
from services.settings import Settings

SCREENSHOTS = Path(__file__).parents[1] / "artifacts" / "screenshots"
VIEWPORT = {"width": 1366, "height": 768}
expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def seeded(pg_server: str) -> Iterator[Settings]:
    with seeded_database(pg_server) as settings:
        yield settings


@pytest.fixture(scope="session")
def base_url(seeded: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`dixian serve` on the seeded database: its address."""
    tmp = tmp_path_factory.mktemp("web")
    env = os.environ | {
        "DIXIAN_PG_URL": seeded.pg_url or "",
        "DIXIAN_DATA_DIR": str(tmp),
        "DIXIAN_UPLOAD_DIR": str(tmp / "evidence"),
        "DIXIAN_PLACES_FILE": str(PLACES_FILE),
        "DIXIAN_AUDIT_KEY_FILE": str(seeded.signing_key_file().resolve()),
        "DIXIAN_LOG_LEVEL": "WARNING",
    }
    with serving(env, tmp / "serve.log") as (base, _):
        yield base


@pytest.fixture(scope="module")  # Playwright's sync API holds an event loop while it runs
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    if chromium is None:  # `make test` installs it; run by hand, say what is missing
        pytest.fail("the browser tests need Chromium: apt-get install -y chromium fonts-noto-cjk")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(
        base_url=base_url, viewport=VIEWPORT, locale="zh-CN", accept_downloads=True
    )
    p = context.new_page()
    yield p
    context.close()


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
