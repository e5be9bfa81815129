"""The ledger's steps through the HTTP API, attributed to the logged-in account: a township
official closes out with an uploaded photo, a village cadre may not, an inspector reads and
cannot write; CSRF; evidence checked by content, size and scope."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from http_support import Api, a_problem, running

from services.settings import Settings
from services.usecases.compliance.sweep import today

pytestmark = pytest.mark.integration

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def plan_body() -> dict[str, Any]:
    deadline = (today() + timedelta(days=14)).isoformat()
    return {"plan": "补发明白纸并讲解政策", "deadline": deadline, "responsible_person": "李干部"}


def stored_steps(api: Api, problem_id: str) -> list[Any]:
    """The problem's events as the store holds them, oldest first."""
    stored = api.store.recorder.select_events(UUID(problem_id))
    return [api.store.mapper.to_domain_event(s) for s in stored]


async def upload(client: Any, problem_id: str, content: bytes, name: str) -> Any:
    return await client.post(
        f"/api/problems/{problem_id}/evidence", files={"file": (name, content, "image/png")}
    )


async def test_a_township_official_closes_out_with_an_uploaded_photo_and_the_event_names_them(
    api: Api,
) -> None:
    pid = a_problem(api.store, ongoing=False)
    township = await api.session("township")
    sent = await upload(township, pid, PNG, "现场照片.png")
    assert sent.status_code == 201, sent.text
    ref = sent.json()["ref"]
    assert ref == f"sha256:{hashlib.sha256(PNG).hexdigest()}"
    assert sent.json()["media_type"] == "image/png"
    assert (await township.post(f"/api/problems/{pid}/plan", json=plan_body())).status_code == 200
    acted = await township.post(
        f"/api/problems/{pid}/act", json={"action": "已补发明白纸", "evidence": [ref]}
    )
    assert acted.status_code == 200, acted.text
    closed = await township.post(
        f"/api/problems/{pid}/close", json={"evidence": [ref], "note": "现场核实"}
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"

    last = stored_steps(api, pid)[-1]
    assert type(last).__qualname__ == "Problem.ClosedOut"
    assert (last.by, last.role, last.evidence) == ("township", "township_official", [ref])
    assert last.on == today().isoformat()  # the system's day, not the request's

    shown = (await township.get(f"/api/problems/{pid}")).json()
    assert shown["history"][-1]["by"] == "township"
    assert [f["sha256"] for f in shown["evidence_files"]] == [ref.removeprefix("sha256:")]
    back = await township.get(f"/api/problems/{pid}/evidence/{ref.removeprefix('sha256:')}")
    assert back.content == PNG and back.headers["content-type"] == "image/png"
    outsider = await api.session("township-other")
    refused = await outsider.get(f"/api/problems/{pid}/evidence/{ref.removeprefix('sha256:')}")
    assert refused.status_code == 404

    reopened = await township.post(f"/api/problems/{pid}/reopen", json={"reason": "复查未整改到位"})
    assert reopened.json()["status"] == "rectifying"
    last = stored_steps(api, pid)[-1]
    assert (type(last).__qualname__, last.by, last.role) == (
        "Problem.Reopened",
        "township",
        "township_official",
    )


async def test_the_county_bureau_starts_a_sweep_recorded_as_run_by_its_account(api: Api) -> None:
    county = await api.session("county")
    before = len((await county.get("/api/sweeps")).json())
    started = await county.post("/api/sweeps", json={"as_of": "2026-03-02"})
    assert started.status_code == 202 and started.json()["by"] == "county"
    api.app.state.sweeps.thread.join(120)
    sweeps = (await county.get("/api/sweeps")).json()
    assert len(sweeps) == before + 1
    assert (sweeps[-1]["as_of"], sweeps[-1]["by"]) == ("2026-03-02", "county")
    township = await api.session("township")
    assert (await township.post("/api/sweeps", json={})).status_code == 403


async def test_a_village_cadre_plans_and_acts_but_their_close_out_is_refused(api: Api) -> None:
    pid = a_problem(api.store, ongoing=False)
    cadre = await api.session("cadre")
    assert (await cadre.post(f"/api/problems/{pid}/plan", json=plan_body())).status_code == 200
    acted = await cadre.post(
        f"/api/problems/{pid}/act", json={"action": "入户讲解", "evidence": ["记录-17"]}
    )
    assert acted.status_code == 200
    claimed = {"evidence": ["记录-17"], "note": "", "role": "county_official", "by": "boss"}
    refused = await cadre.post(f"/api/problems/{pid}/close", json=claimed)
    assert refused.status_code == 403 and refused.json()["code"] == "PERMISSION_DENIED"
    steps = stored_steps(api, pid)
    assert [type(e).__qualname__ for e in steps][-1] == "Problem.ActionRecorded"
    assert (steps[-1].by, steps[-1].role) == ("cadre", "village_cadre")


async def test_the_configured_closing_roles_bind_the_account_role_too(seeded: Settings) -> None:
    county_only = seeded.compliance.model_copy(
        update={"closing_roles": frozenset({"county_official"})}
    )
    async with running(seeded.model_copy(update={"compliance": county_only})) as api:
        pid = a_problem(api.store, ongoing=False)
        township = await api.bearer("township")
        await township.post(f"/api/problems/{pid}/plan", json=plan_body())
        await township.post(f"/api/problems/{pid}/act", json={"action": "a", "evidence": ["e"]})
        reply = await township.post(f"/api/problems/{pid}/close", json={"evidence": ["e"]})
        assert reply.status_code == 403 and reply.json()["code"] == "ROLE_NOT_AUTHORISED"
        county = await api.bearer("county")
        assert (await county.post(f"/api/problems/{pid}/close", json={"evidence": ["e"]})).json()[
            "status"
        ] == "closed"


async def test_an_inspector_reads_everything_in_scope_and_can_change_nothing(api: Api) -> None:
    pid = a_problem(api.store)
    inspector = await api.session("inspector")
    for path in (
        f"/api/problems/{pid}",
        "/api/problems",
        "/api/ledgers?with_favoritism=true",
        "/api/report",
        "/api/audit/verify",
        "/api/audit/checkpoints",
        "/api/audit/reads",
        "/api/audit/actors/cadre-li",
        "/api/sweeps",
    ):
        assert (await inspector.get(path)).status_code == 200, path
    verified = (await inspector.get("/api/audit/verify")).json()
    assert verified["ok"] is True, verified
    for path, body in (
        (f"/api/problems/{pid}/plan", plan_body()),
        (f"/api/problems/{pid}/act", {"action": "a", "evidence": ["e"]}),
        (f"/api/problems/{pid}/close", {"evidence": ["e"]}),
        (f"/api/problems/{pid}/reopen", {"reason": "r"}),
        ("/api/sweeps", {}),
        ("/api/accounts", {"name": "x1", "role": "operator", "scope": "610326", "password": "p"}),
    ):
        reply = await inspector.post(path, json=body)
        assert reply.status_code == 403 and reply.json()["code"] == "PERMISSION_DENIED", path
    photo = await upload(inspector, pid, PNG, "p.png")
    assert photo.status_code == 403


async def test_a_state_changing_request_of_a_session_without_its_csrf_token_is_refused(
    api: Api,
) -> None:
    pid = a_problem(api.store)
    township = await api.session("township")
    token = township.headers.pop("X-CSRF-Token")
    missing = await township.post(f"/api/problems/{pid}/plan", json=plan_body())
    assert missing.status_code == 403 and missing.json()["code"] == "CSRF_TOKEN_INVALID"
    township.headers["X-CSRF-Token"] = "not-the-token"
    wrong = await township.post(f"/api/problems/{pid}/plan", json=plan_body())
    assert wrong.status_code == 403 and wrong.json()["code"] == "CSRF_TOKEN_INVALID"
    assert stored_steps(api, pid)[-1].__class__.__qualname__ == "Problem.Raised"
    del township.headers["X-CSRF-Token"]
    assert (await township.get("/api/auth/me")).status_code == 200  # reads need none
    cookie = township.cookies.get(api.settings.session_cookie_name)
    form = await township.post("/api/auth/logout", data={"csrf_token": token})  # a plain form
    assert form.status_code == 200 and not township.cookies
    async with api.client() as replay:  # the old cookie, sent again, opens nothing
        replay.cookies.set(api.settings.session_cookie_name, cookie or "")
        assert (await replay.get("/api/auth/me")).json()["code"] == "SESSION_ENDED"
    script = await api.bearer("township")  # a bearer token: nothing ambient, no CSRF token
    assert (await script.post(f"/api/problems/{pid}/plan", json=plan_body())).status_code == 200


async def test_evidence_is_checked_by_its_content_its_size_and_its_problem(
    api: Api, seeded: Settings
) -> None:
    pid, other = a_problem(api.store, ongoing=False), a_problem(api.store, ongoing=True)
    cadre = await api.session("cadre")
    text = await upload(cadre, pid, b"=cmd|' /C calc'!A0 not an image", "photo.png")
    assert text.status_code == 415 and text.json()["code"] == "EVIDENCE_TYPE_NOT_ALLOWED"
    assert (await upload(cadre, pid, PDF, "scan.pdf")).json()["media_type"] == "application/pdf"
    empty = await upload(cadre, pid, b"", "empty.jpg")
    assert empty.json()["code"] == "EVIDENCE_EMPTY"
    ref = (await upload(cadre, other, PNG + b"other", "o.png")).json()["ref"]
    elsewhere = await cadre.post(
        f"/api/problems/{pid}/act", json={"action": "a", "evidence": [ref]}
    )
    assert elsewhere.status_code == 422 and elsewhere.json()["code"] == "EVIDENCE_NOT_UPLOADED"
    small = seeded.model_copy(update={"upload_max_bytes": 2048})
    async with running(small) as limited:
        client = await limited.session("cadre")
        big = await upload(client, pid, PNG + bytes(4096), "big.png")
        assert big.status_code == 413 and big.json()["code"] == "EVIDENCE_TOO_LARGE"
        huge = await upload(client, pid, PNG + bytes(200_000), "huge.png")
        assert huge.status_code == 413 and huge.json()["code"] == "BODY_TOO_LARGE"
