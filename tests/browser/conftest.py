"""The web app in a real browser: Debian's Chromium driven by Playwright, against a real
`dixian serve` (services.devtools.embedded.serving) on a free port and the real PostgreSQL:
one server for all the browser tests (a browser per module), holding the demo village, a sweep and
an account per role (http_support). Screenshots of each page at 1366×768 go to
tests/artifacts/screenshots/ (git-ignored)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator

import pytest
from browser_support import VIEWPORT
from http_support import seeded_database
from playwright.sync_api import Browser, Page, expect, sync_playwright

from services.adapters.audit_log import Signer
from services.devtools.embedded import serving
from services.devtools.village import PLACES_FILE
from services.settings import Settings

expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def seeded(pg_server: str) -> Iterator[Settings]:
    with seeded_database(pg_server) as settings:
        yield settings


@pytest.fixture(scope="session")
def witness(tmp_path_factory: pytest.TempPathFactory) -> Signer:
    """The inspectors' witness the served app has registered (WITNESS_KEYS_FILE)."""
    return Signer(tmp_path_factory.mktemp("witness") / "witness.key", "县纪委")


@pytest.fixture(scope="session")
def base_url(
    seeded: Settings, witness: Signer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """`dixian serve` on the seeded database: its address."""
    tmp = tmp_path_factory.mktemp("web")
    keys = tmp / "witness-keys.json"
    keys.write_text(json.dumps({witness.origin: witness.public_key}, ensure_ascii=False))
    env = os.environ | {
        "DIXIAN_PG_URL": seeded.pg_url or "",
        "DIXIAN_DATA_DIR": str(tmp),
        "DIXIAN_UPLOAD_DIR": str(tmp / "evidence"),
        "DIXIAN_PLACES_FILE": str(PLACES_FILE),
        "DIXIAN_AUDIT_KEY_FILE": str(seeded.signing_key_file().resolve()),
        "DIXIAN_LOG_LEVEL": "WARNING",
        "DIXIAN_WITNESS_KEYS_FILE": str(keys),
    }
    with serving(env, tmp / "serve.log") as (base, _):
        yield base


# Chromium on Linux takes its interface locale (the date pickers' 年/月/日) from LANGUAGE.
CHINESE = os.environ | {"LANGUAGE": "zh_CN"}


@pytest.fixture(scope="module")  # Playwright's sync API holds an event loop while it runs
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    if chromium is None:  # `make test` installs it; run by hand, say what is missing
        pytest.fail("the browser tests need Chromium: apt-get install -y chromium fonts-noto-cjk")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"], env=CHINESE)
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
