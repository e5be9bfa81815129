"""Errors as RFC 9457 problem details (application/problem+json): every refusal carries its
stable reason code (`code`, and in `type`), the HTTP status, and a sentence in Chinese that
says what to do (`title`); `detail` says what exactly. Never the request's input: it may
hold personal data."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.adapters.scoped_queries import CursorInvalid
from services.domain.accounts import AccountViolation
from services.domain.compliance.ledger import LedgerViolation
from services.domain.evidence import EvidenceRefused
from services.usecases.accounts import LoginRefused
from services.usecases.audit.proofs import ProofError
from services.usecases.audit.reads import ReaderRequired
from services.usecases.errors import NotFound, Refused

log = logging.getLogger("dixian.http")
MEDIA_TYPE = "application/problem+json"

# code → (status, what to do)
REASONS: dict[str, tuple[int, str]] = {
    "AUTH_REQUIRED": (401, "请先登录：浏览器会话（Cookie）或 Bearer 令牌。"),
    "SESSION_ENDED": (401, "会话或令牌已结束（过期、退出或账号停用），请重新登录。"),
    "LOGIN_FAILED": (401, "用户名或密码不正确，请重试。"),
    "LOGIN_RATE_LIMITED": (429, "登录失败次数过多，请稍后再试。"),
    "OIDC_FAILED": (401, "统一身份认证登录未完成，请重新登录。"),
    "OIDC_NOT_CONFIGURED": (404, "本系统未配置统一身份认证，请使用账号密码登录。"),
    "PERMISSION_DENIED": (403, "您的角色无权进行此操作。"),
    "CSRF_TOKEN_INVALID": (
        403,
        "请求缺少正确的 CSRF 令牌（X-CSRF-Token 请求头或 csrf_token 表单字段），请刷新页面后重试。",
    ),
    "PURPOSE_REQUIRED": (
        400,
        "查看未脱敏的个人信息须说明目的（purpose 参数或 X-Read-Purpose 请求头），"
        "每次查阅都会被记录。",
    ),
    "HOUSEHOLD_NOT_FOUND": (404, "您的管辖范围内没有这个农户。"),
    "PROBLEM_NOT_FOUND": (404, "您的管辖范围内没有这个问题。"),
    "EVENT_NOT_FOUND": (404, "您的管辖范围内没有这个事件。"),
    "NOTICE_NOT_FOUND": (404, "您的管辖范围内没有这份公示。"),
    "REJECTION_NOT_FOUND": (404, "没有这条被拒消息（或不属于您的部门）。"),
    "TABLE_NOT_FOUND": (404, "没有这张表，请从返回的表名中选择。"),
    "NOT_FOUND": (404, "没有这个地址，请查看 /api/docs。"),
    "METHOD_NOT_ALLOWED": (405, "这个地址不接受此方法，请查看 /api/docs。"),
    "VALIDATION_FAILED": (422, "请求的参数不符合要求，请按 errors 中所列逐项改正。"),
    "CURSOR_INVALID": (422, "分页游标无效，请从第一页重新开始。"),
    "DATE_MISSING": (422, "请给出 occurred_on（按发生时间）或 known_on（按记录时间），或两者。"),
    "BODY_TOO_LARGE": (413, "请求内容过大，请缩小后重试。"),
    "REQUEST_TIMEOUT": (504, "请求处理超时，请稍后重试或缩小查询范围。"),
    "SWEEP_RUNNING": (409, "已有一次排查正在运行，请等它结束后再试。"),
    "INTERNAL_ERROR": (500, "系统内部错误，已记录，请稍后重试或联系运维人员。"),
    # the ledger's (services.domain.compliance.ledger.LEDGER_REASONS)
    "ROLE_NOT_AUTHORISED": (403, "只有配置中指定的角色才能销号或重新打开问题。"),
    "EVIDENCE_REQUIRED": (422, "请至少提供一项佐证材料（文件、照片或记录编号）。"),
    "RECTIFICATION_REQUIRED": (409, "销号前请先登记整改措施及其佐证材料。"),
    "FACTS_STILL_SHOW_PROBLEM": (
        409,
        "持续存在的问题须在排查不再发现时销号：先更正事实（新事件），重新排查，再销号。",
    ),
    "PROBLEM_CLOSED": (409, "问题已销号，请先重新打开。"),
    "PROBLEM_NOT_CLOSED": (409, "只有已销号的问题才能重新打开。"),
    "PROBLEM_MERGED": (409, "该问题已按户归并到同一规则、同一原因的问题中，请处理该问题。"),
    "DEADLINE_BEFORE_PLAN": (422, "整改期限不能早于制定计划的日期。"),
    "LEDGER_CHANGED_MEANWHILE": (
        409,
        "他人同时修改了该问题（或正在排查），未保存任何内容，请重试。",
    ),
    # the accounts' (services.domain.accounts.ACCOUNT_REASONS)
    "ACCOUNT_NAME_INVALID": (422, "账号名为 2 至 64 个字母、数字或 . _ @ - 字符。"),
    "ACCOUNT_EXISTS": (409, "该账号已存在，请改为授予角色或重新启用。"),
    "ACCOUNT_NOT_FOUND": (404, "您的管辖范围内没有这个账号。"),
    "ROLE_SCOPE_INVALID": (
        422,
        "请给出角色及其对应层级的管辖范围（村 12 位、乡镇 9 位、县 6 位）。",
    ),
    "PASSWORD_TOO_SHORT": (422, "密码至少 12 个字符。"),
    "ACCOUNT_DISABLED": (403, "账号已停用，请联系县级账号管理员。"),
    "ACCOUNT_ALREADY_DISABLED": (409, "账号已经停用。"),
    "ACCOUNT_NOT_DISABLED": (409, "只有已停用的账号才能重新启用。"),
    "ACCOUNT_SELF": (409, "管理员不能停用或调整自己的账号，请由另一位管理员操作。"),
    "ACCOUNT_OF_ANOTHER_ORIGIN": (
        403,
        "已有同名的本地账号，统一身份认证不能登录该账号，请联系管理员更名。",
    ),
    "INSPECTOR_INDEPENDENT": (
        403,
        "纪检监察账号由服务器运维人员（dixian users）管理，县级管理员不能开设、授权或修改。",
    ),
    "ACCOUNTS_CHANGED_MEANWHILE": (409, "他人同时修改了该账号，未保存任何内容，请重试。"),
    # evidence files (services.domain.evidence.EVIDENCE_REASONS)
    "EVIDENCE_TOO_LARGE": (413, "文件过大，请上传限额以内的照片、扫描件或 PDF。"),
    "EVIDENCE_TYPE_NOT_ALLOWED": (
        415,
        "请上传 JPEG、PNG、HEIC、WebP、TIFF 照片或 PDF：以文件内容而非文件名判断。",
    ),
    "EVIDENCE_EMPTY": (422, "文件为空，请重新选择文件。"),
    "EVIDENCE_NOT_UPLOADED": (422, "sha256: 引用须指向为本问题上传的文件，请先上传。"),
    "EVIDENCE_NOT_FOUND": (404, "本问题没有这份佐证文件。"),
    # proofs (services.usecases.audit.proofs)
    "NO_CHECKPOINT": (409, "还没有覆盖它的签名检查点，请稍后（检查点定期生成）再试。"),
    "EVENT_NOT_LOGGED": (409, "审计日志尚未收录该事件，请稍后再试。"),
    "BAD_SIZES": (422, "旧检查点的大小须为正数且不大于新检查点。"),
    # the national system's exports (services.usecases.national.jobs)
    "JOB_NOT_FOUND": (404, "您的管辖范围内没有这个导入或比对任务。"),
    "REPORT_NOT_READY": (409, "任务尚未完成，报告还没有生成，请稍后再试。"),
    "JOB_KIND_UNKNOWN": (422, "任务类型为 import（导入）、dry_run（试导入）或 compare（比对）。"),
    "EXPORT_NOT_XLSX": (415, "请上传全国系统导出的 .xlsx 文件。"),
    "KAFKA_NOT_CONFIGURED": (503, "本服务未配置 Kafka，无法导入；可先比对或试导入。"),
}


class ApiProblem(Exception):
    """A refusal the HTTP layer itself makes (authentication, CSRF, permissions, limits)."""

    def __init__(self, code: str, detail: str = "", headers: dict[str, str] | None = None):
        assert code in REASONS, code
        super().__init__(f"{code}: {detail}")
        self.code, self.detail, self.headers = code, detail, headers or {}


def problem_body(code: str, detail: str = "", instance: str | None = None) -> dict[str, Any]:
    status, title = REASONS.get(code, REASONS["INTERNAL_ERROR"])
    body: dict[str, Any] = {
        "type": f"urn:dixian:problem:{code}",
        "title": title,
        "status": status,
        "code": code,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    return body


def problem_response(
    code: str,
    detail: str = "",
    request: Request | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = problem_body(code, detail, request.url.path if request else None) | extra
    return JSONResponse(body, status_code=body["status"], media_type=MEDIA_TYPE, headers=headers)


def install(app: FastAPI) -> None:
    """Every error the services raise, answered as problem details."""

    async def api_problem(request: Request, e: Exception) -> JSONResponse:
        assert isinstance(e, ApiProblem)
        return problem_response(e.code, e.detail, request, headers=e.headers or None)

    async def coded(request: Request, e: Exception) -> JSONResponse:
        code = getattr(e, "code", "INTERNAL_ERROR")
        headers = None
        if isinstance(e, LoginRefused) and e.retry_after:
            headers = {"Retry-After": str(e.retry_after)}
        detail = getattr(e, "detail", None)
        if detail is None:
            detail = str(e).removeprefix(f"{code}: ")
        return problem_response(code, detail, request, headers=headers)

    async def reader(request: Request, e: Exception) -> JSONResponse:
        return problem_response("PURPOSE_REQUIRED", "", request)

    async def cursor(request: Request, e: Exception) -> JSONResponse:
        return problem_response("CURSOR_INVALID", "", request)

    async def invalid(request: Request, e: Exception) -> JSONResponse:
        assert isinstance(e, RequestValidationError)
        errors = [
            {"loc": list(err.get("loc", ())), "msg": err.get("msg", ""), "type": err.get("type")}
            for err in e.errors()
        ]
        return problem_response("VALIDATION_FAILED", "", request, errors=errors)

    async def http(request: Request, e: Exception) -> JSONResponse:
        assert isinstance(e, StarletteHTTPException)
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "BODY_TOO_LARGE"}.get(
            e.status_code, "VALIDATION_FAILED" if e.status_code < 500 else "INTERNAL_ERROR"
        )
        return problem_response(code, str(e.detail) if e.status_code != 404 else "", request)

    async def unexpected(request: Request, e: Exception) -> JSONResponse:
        log.error("%s %s failed: %s", request.method, _route(request), type(e).__name__)
        return problem_response("INTERNAL_ERROR", type(e).__name__, request)

    app.add_exception_handler(ApiProblem, api_problem)
    for kind in (
        Refused,
        NotFound,
        LedgerViolation,
        AccountViolation,
        EvidenceRefused,
        LoginRefused,
        ProofError,
    ):
        app.add_exception_handler(kind, coded)
    app.add_exception_handler(ReaderRequired, reader)
    app.add_exception_handler(CursorInvalid, cursor)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http)
    app.add_exception_handler(Exception, unexpected)


def _route(request: Request) -> str:
    route = request.scope.get("route")
    return getattr(route, "path", "(no route)")
