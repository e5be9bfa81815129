"""The audit page's verification line says, in Chinese, which of the states the log is in:
being verified, verified with a tail on its way, or failed — and a tail left out for long."""

from __future__ import annotations

from typing import Any

from services.entrypoints.web.render import ENV
from services.usecases.audit.cosignatures import Witnessed


def verification_block(verification: dict[str, Any]) -> str:
    html = ENV.get_template("audit.html").render(
        request=None, who=None, role_label="", csrf="", menu=[], path="/audit",
        places=None, verification=verification, checkpoints=[], published={},
        witnessed=Witnessed({}, []), inspector=False, event="", actor="", source="",
        household="", done=[], reads=[],
    )  # fmt: skip
    start = html.index('<div id="verification">')
    return html[start : html.index("</section>", start)]


def test_each_state_of_the_log_is_said_in_chinese() -> None:
    pending = verification_block({"ok": None, "pending": True, "verified_at": None})
    assert "正在后台校验" in pending
    base = {"events": 10, "logged": 8, "signed_size": 8, "checkpoints": 1, "verified_at": 1.0}
    moving = verification_block(base | {"ok": True, "unlogged": 2, "unlogged_stuck": False})
    assert "校验通过" in moving and "另有 2 条新事件即将收录" in moving
    tail = {"code": "UNLOGGED_TAIL", "position": 8}
    stuck = verification_block(
        base | {"ok": False, "unlogged": 2, "unlogged_stuck": True, "findings": [tail]}
    )
    assert "校验未通过" in stuck and "有 2 条事件十分钟以上仍未进入审计日志" in stuck
    assert "校验通过" not in stuck and "UNLOGGED_TAIL" in stuck


def test_each_read_says_in_chinese_what_was_read() -> None:
    """The reads' table shows what a record says was read in Chinese (the record keeps its
    words): a proof's export names its event, an unknown kind is shown as recorded."""
    rows = [
        {"read_at": 1.0, "reader": "审计员", "household_id": "H1", "what": what, "purpose": "核查"}
        for what in ("audit prove 0f3c", "household history", "public notice", "别的查阅")
    ]
    html = ENV.get_template("audit.html").render(
        request=None, who=None, role_label="", csrf="", menu=[], path="/audit",
        places=None, verification={"ok": None, "pending": True, "verified_at": None},
        checkpoints=[], published={}, witnessed=Witnessed({}, []), inspector=True, event="",
        actor="", source="", household="", done=[], reads=rows,
    )  # fmt: skip
    table = html[html.index('<table class="striped" id="reads">') :]
    table = table[: table.index("</table>")]
    for shown in ("导出收录证明 0f3c", "查看农户档案", "打印村内公示", "别的查阅"):
        assert f"<td>{shown}</td>" in table
    assert "audit prove" not in table and "household history" not in table
