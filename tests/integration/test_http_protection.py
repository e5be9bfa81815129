"""Every route of the HTTP API is protected, read from the OpenAPI document itself, so a new
route cannot be added unprotected: without credentials 401; with a role that may not, 403;
on a household, problem, event or account outside the caller's scope, 404."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from http_support import (
    ACCOUNTS,
    HOUSEHOLD,
    IN_SCOPE,
    OUT_OF_SCOPE,
    Api,
    a_problem,
)

from services.domain.roles import PERMISSIONS

pytestmark = pytest.mark.integration

PUBLIC = {
    ("post", "/api/auth/login"),
    ("post", "/api/auth/token"),
    ("get", "/api/auth/oidc/login"),
    ("get", "/api/auth/oidc/callback"),
    ("get", "/health/live"),
    ("get", "/health/ready"),
    ("get", "/metrics"),
}
# Path parameters that name something within a scope: outside it, it does not exist.
SCOPED = {"household_id", "problem_id", "event_id", "name"}


@pytest.fixture(scope="module")
async def clients(api: Api) -> AsyncIterator[dict[str, Any]]:
    clients = {name: await api.bearer(name) for name in ACCOUNTS}
    yield clients
    for c in clients.values():
        await c.aclose()


@pytest.fixture(scope="module")
async def operations(api: Api) -> list[tuple[str, str, dict[str, Any]]]:
    async with api.client() as c:
        doc = (await c.get("/api/openapi.json")).json()
    return [(m, path, op) for path, ops in doc["paths"].items() for m, op in ops.items()]


@pytest.fixture(scope="module")
def values(api: Api) -> dict[str, str]:
    """A value for each path parameter: what lies within the village's scope."""
    with api.store.connection() as conn:
        event = conn.execute(
            "SELECT event_id FROM audit_trail WHERE household_id = %s LIMIT 1", (HOUSEHOLD,)
        ).fetchone()["event_id"]
    return {
        "household_id": HOUSEHOLD,
        "problem_id": a_problem(api.store),
        "event_id": str(event),
        "name": "cadre",
        "token_id": str(uuid.uuid4()),
        "sha256": "0" * 64,
        "table": "suspected_problems",
        "actor_id": "cadre-li",
        "source": "village_app",
        "rejection_id": "1",
        "job_id": str(uuid.uuid4()),
    }


PURPOSE = {"purpose": "the protection test", "known_on": "2026-03-01"}
BODIES = {
    ("post", "/api/accounts/{name}/grant"): {"role": "village_cadre", "scope": "610399101201"},
    ("post", "/api/accounts/{name}/disable"): {"reason": "left the post"},
    ("post", "/api/accounts/{name}/password"): {"password": "a long enough password"},
}


def url(values: dict[str, str], path: str) -> str:
    for name, value in values.items():
        table = "by_rule" if path.startswith("/api/report/") else value
        path = path.replace("{" + name + "}", table if name == "table" else value)
    assert "{" not in path, f"give a sample value for the parameter of {path}"
    return path


async def test_every_operation_is_public_by_name_or_requires_a_permission(
    operations: list[tuple[str, str, dict[str, Any]]],
) -> None:
    for method, path, op in operations:
        if (method, path) in PUBLIC:
            assert op.get("x-dixian-public") is True, (method, path)
        else:
            assert op.get("x-dixian-permissions"), f"{method} {path} requires no permission"
    assert len(operations) > 40


async def test_without_credentials_every_protected_operation_answers_401(
    api: Api, values: dict[str, str], operations: list[tuple[str, str, dict[str, Any]]]
) -> None:
    async with api.client() as anonymous:
        for method, path, _ in operations:
            if (method, path) in PUBLIC:
                continue
            reply = await anonymous.request(method, url(values, path))
            assert reply.status_code == 401, (method, path, reply.text)
            assert reply.headers["content-type"] == "application/problem+json"
            assert reply.json()["code"] == "AUTH_REQUIRED"


async def test_a_role_without_the_permission_gets_403_on_every_operation(
    values: dict[str, str],
    clients: dict[str, Any],
    operations: list[tuple[str, str, dict[str, Any]]],
) -> None:
    refused = 0
    for method, path, op in operations:
        needed = set(op.get("x-dixian-permissions", []))
        if not needed or "self" in needed:
            continue  # public, or every role's own account
        lacking = [r for r, ps in PERMISSIONS.items() if not needed & {str(p) for p in ps}]
        assert lacking, f"every role may {method} {path}"
        for role in lacking:
            reply = await clients[IN_SCOPE[role]].request(method, url(values, path))
            assert reply.status_code == 403, (method, path, role, reply.text)
            assert reply.json()["code"] == "PERMISSION_DENIED"
            refused += 1
    assert refused > 100


async def test_what_lies_outside_the_callers_scope_answers_404_on_every_operation(
    values: dict[str, str],
    clients: dict[str, Any],
    operations: list[tuple[str, str, dict[str, Any]]],
) -> None:
    checked = 0
    for method, path, op in operations:
        params = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
        if not params & SCOPED:
            continue
        needed = set(op["x-dixian-permissions"])
        role = next(r for r in OUT_OF_SCOPE if needed & {str(p) for p in PERMISSIONS[r]})
        outsider = clients[OUT_OF_SCOPE[role]]
        reply = await outsider.request(method, url(values, path), json=BODIES.get((method, path)))
        assert reply.status_code == 404, (method, path, role, reply.text)
        assert reply.json()["code"].endswith("NOT_FOUND"), reply.json()
        if method == "get" and "evidence" not in path:  # the same read within the scope works
            insider = await clients[IN_SCOPE[role]].get(url(values, path), params=PURPOSE)
            assert insider.status_code == 200, (method, path, insider.text)
        checked += 1
    assert checked >= 15


async def test_lists_outside_the_scope_are_empty_not_refused(clients: dict[str, Any]) -> None:
    mine = (await clients["township"].get("/api/problems")).json()
    theirs = (await clients["township-other"].get("/api/problems")).json()
    assert mine["items"] and theirs == {"items": [], "next_cursor": None}
    asked = await clients["township-other"].get("/api/problems", params={"township": "610326101"})
    assert asked.json()["items"] == []
    ledgers = (await clients["cadre-other"].get("/api/ledgers")).json()
    assert ledgers["suspected_problems"] == [] and ledgers["rectification"] == []
    found = (await clients["cadre-other"].get("/api/households", params={"number": ""})).json()
    assert found["items"] == []


async def test_the_docs_and_the_openapi_document_need_no_login_and_run_no_inline_script(
    api: Api,
) -> None:
    async with api.client() as anonymous:
        page = await anonymous.get("/api/docs")
        assert page.status_code == 200 and "<script>" not in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
        init = await anonymous.get("/api/docs/assets/docs.js")
        assert "supportedSubmitMethods: []" in init.text  # no "try it out"
        bundle = await anonymous.get("/api/docs/assets/swagger-ui-bundle.js")
        assert bundle.status_code == 200
        assert (await anonymous.get("/api/openapi.json")).status_code == 200
