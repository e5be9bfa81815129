"""审计 in a real browser: an inspector sees the log verified (or, while a thread computes
it, that it is pending), downloads a household event's inclusion proof that verifies
offline, looks up what a person did, and finds the proof's read recorded."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from browser_support import log_in, shot
from http_support import HOUSEHOLD
from playwright.sync_api import Page, expect

from services.domain.audit import offline

pytestmark = pytest.mark.e2e


def test_an_inspector_verifies_the_log_and_downloads_a_proof_that_verifies_offline(
    page: Page,
) -> None:
    log_in(page, "inspector")
    page.locator("header").get_by_role("link", name="审计").click()
    status = page.locator("#verification")
    expect(status).to_contain_text("校验")
    for _ in range(30):  # the first asker may be told it is pending: a thread computes it
        if "校验通过" in status.inner_text():
            break
        page.get_by_role("link", name="刷新").click()
    expect(status).to_contain_text("校验通过")
    expect(page.locator("#checkpoints tbody tr").first).to_be_visible()

    page.goto(f"/households/{HOUSEHOLD}")
    page.locator("#timeline li").first.get_by_role("link", name="收录证明").click()
    event_id = page.get_by_label("事件编号").input_value()
    assert event_id
    page.locator("#form-proof").get_by_label("查阅目的（将被记录）").fill("核查登记是否被改动")
    with page.expect_download() as got:
        page.get_by_role("button", name="下载证明").click()
    proof = json.loads(Path(got.value.path()).read_text())
    assert got.value.suggested_filename == f"proof-{event_id}.json"
    key = page.request.get("/api/audit/checkpoints").json()[-1]["public_key"]
    proved = offline.verify_proof(proof, base64.b64decode(key))  # raises if it does not hold
    assert proved.startswith(f"event {event_id} ") and HOUSEHOLD in proved

    page.goto("/audit")
    page.get_by_label("人员账号").fill("cadre-li")
    page.locator("#h-activity + form").get_by_role("button", name="查询").click()
    expect(page.locator("#activity tbody tr").first).to_contain_text(HOUSEHOLD)
    expect(page.locator("#reads")).to_contain_text("核查登记是否被改动")
    shot(page, "audit")
