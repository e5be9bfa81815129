"""审计 in a real browser: an inspector sees the log verified (or, while a thread computes
it, that it is pending), downloads a household event's inclusion proof that verifies
offline, sees which witnesses co-signed the checkpoints, looks up what a person did, and
finds the proof's read recorded."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import psycopg
import pytest
from browser_support import log_in, shot
from http_support import HOUSEHOLD
from playwright.sync_api import Page, expect

from services.adapters.audit_log import Signer
from services.domain.audit import offline
from services.settings import Settings
from services.usecases.audit.cosignatures import DDL

pytestmark = pytest.mark.e2e


def test_an_inspector_verifies_the_log_and_downloads_a_proof_that_verifies_offline(
    page: Page, seeded: Settings, witness: Signer
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
    expect(page.locator("#witnessed")).to_contain_text("尚未收到登记的见证方的联署")

    # The witness co-signs the latest checkpoint; the county keeps it (as the collector
    # does); the page shows it, checked again. A row without its signature is not shown.
    latest = page.request.get("/api/audit/checkpoints").json()[-1]
    text = latest["note"].partition("\n\n")[0] + "\n"
    with psycopg.connect(seeded.pg_url or "", autocommit=True) as conn:
        conn.execute(DDL)
        add = "INSERT INTO audit_cosignatures (witness, tree_size, root_hash, note) "
        add += "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING"
        cosigned = latest["note"] + witness.signature_line(text)
        conn.execute(add, ("县纪委", latest["tree_size"], latest["root_hash"], cosigned))
        conn.execute(add, ("市纪委", latest["tree_size"], latest["root_hash"], latest["note"]))
    page.reload()
    expect(page.locator("#witnessed")).to_contain_text(
        f"县纪委 已联署至第 {latest['tree_size']} 条事件"
    )
    expect(page.locator("#checkpoints tbody tr").first).to_contain_text("县纪委")
    expect(page.locator("#checkpoints")).not_to_contain_text("市纪委")

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
