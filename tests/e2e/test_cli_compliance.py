"""The compliance commands on a real database: sweep a county as of a day, list the
problems with their evidence, walk one to close-out, export the ledgers and the report."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from support import ingest_village

from services.devtools.village import VILLAGE
from services.domain.compliance.findings import AREAS
from services.entrypoints.cli import main
from services.settings import Settings

pytestmark = pytest.mark.e2e
DAY = "2026-03-01"


@pytest.fixture
def village(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> str:
    ingest_village(settings, "K1")
    monkeypatch.setenv("DIXIAN_PG_URL", settings.pg_url or "")
    return VILLAGE[:9]


def out(capsys: pytest.CaptureFixture[str]) -> str:
    return capsys.readouterr().out


def err(capsys: pytest.CaptureFixture[str]) -> str:
    return capsys.readouterr().err


def test_sweep_list_show_rectify_close_and_export(
    village: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert main(["sweep", "--as-of", DAY]) == 0
    assert re.search(r"(\d+) suspected problems; \1 new", out(capsys))
    assert main(["sweep", "--as-of", DAY, "--by", "inspector-wang"]) == 0
    assert "; 0 new, " in out(capsys)
    assert main(["sweeps"]) == 0
    listed = out(capsys).splitlines()
    assert len(listed) == 4 and "inspector-wang" in listed[-1] and DAY in listed[-1]

    assert main(["problems", "list", "--as-of", DAY, "--rule", "R4.1", "--json"]) == 0
    rows = json.loads(out(capsys))
    short = next(r for r in rows if r["check"] == "notice_too_short")
    assert short["subject"] == f"household {VILLAGE}K1005" and short["evidence"]

    ref = short["problem"]
    assert main(["problems", "list", "--as-of", DAY, "--subject", f"{VILLAGE}K1005", "--json"]) == 0
    assert ref in [r["problem"] for r in json.loads(out(capsys))]
    assert main(["problems", "show", ref]) == 0
    shown = out(capsys)
    assert "notice_too_short" in shown and "risk_lead_registered" in shown  # the evidence
    # a household's months without a visit: one problem, its months listed and shown
    assert main(["problems", "list", "--as-of", DAY, "--rule", "R2.1", "--json"]) == 0
    visits = json.loads(out(capsys))
    assert len({r["subject"] for r in visits}) == len(visits) > 0
    many = max(visits, key=lambda r: r["count"])
    assert many["count"] == len(many["periods"]) > 1
    assert main(["problems", "show", many["problem"]]) == 0
    shown = out(capsys)
    assert f"occurrences  {many['count']}" in shown and f"{many['periods'][0]}  " in shown

    who = ["--by", "township-wu", "--role", "township_official", "--on", "2026-03-02"]
    assert (
        main(
            [
                "problems",
                "plan",
                ref,
                "--plan",
                "re-run the notice",
                "--deadline",
                "2026-03-20",
                "--responsible",
                "cadre-li",
                *who,
            ]
        )
        == 0
    )
    assert main(["problems", "close", ref, "--evidence", "x", *who]) == 1  # a refused step
    assert err(capsys).splitlines()[-1].startswith("RECTIFICATION_REQUIRED")
    assert (
        main(
            [
                "problems",
                "act",
                ref,
                "--action",
                "notice re-posted for 5 days",
                "--evidence",
                "photo-12",
                "notice-scan-3",
                *who,
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "problems",
                "close",
                ref,
                "--evidence",
                "check-1",
                "--by",
                "cadre-li",
                "--role",
                "village_cadre",
            ]
        )
        == 1
    )
    assert "ROLE_NOT_AUTHORISED" in err(capsys)
    assert main(["problems", "close", ref, "--evidence", "check-1", *who]) == 0
    assert out(capsys).strip().endswith("closed")
    assert main(["projections", "rebuild", "ledger_trail"]) == 0
    capsys.readouterr()
    assert main(["audit", "actor", "township-wu"]) == 0  # who closed out what, for inspectors
    acts = [(r["event_type"], r["rule_id"]) for r in json.loads(out(capsys))]
    assert ("Problem.ClosedOut", "R4.1") in acts and (
        "Problem.RectificationPlanned",
        "R4.1",
    ) in acts

    # the names: the registrations' (in household_state), the county's table over them
    assert main(["projections", "rebuild", "household_state"]) == 0
    places = tmp_path / "places.csv"
    places.write_text("code,name\n610326101,青山乡\n", encoding="utf-8")
    monkeypatch.setenv("DIXIAN_PLACES_FILE", str(places))
    xlsx, csv_dir = tmp_path / "ledgers.xlsx", tmp_path / "csv"
    assert (
        main(
            [
                "ledgers",
                "--township",
                village,
                "--as-of",
                "2026-03-02",  # the day of the close-out
                "--xlsx",
                str(xlsx),
                "--csv",
                str(csv_dir),
            ]
        )
        == 0
    )
    book = load_workbook(xlsx)
    assert book.sheetnames == ["排查任务台账", "疑似问题台账", "整改工作台账"]
    assert book["疑似问题台账"]["A1"].value == "示范县青山乡疑似问题台账（截至2026-03-02）"
    header, *acts = list(book["整改工作台账"].values)[1:]
    # problem ids shortened as far as they stay unique (what `problems show` takes)
    steps = [dict(zip(header, r, strict=True))["整改环节"] for r in acts if ref.startswith(r[-1])]
    assert steps == ["制定整改计划", "整改措施", "销号"]
    suspected = csv_dir / "疑似问题台账.csv"
    with suspected.open(encoding="utf-8-sig") as f:
        closed = [r for r in csv.DictReader(f) if ref.startswith(r["问题编号"])]
    assert closed[0]["状态"] == "已销号" and closed[0]["责任人"] == "cadre-li"
    # the head died and no new head was named: none, rather than the dead man's name
    assert (closed[0]["户主"], closed[0]["村"]) == ("", "柳湾村")
    assert "张*" in {
        r["户主"] for r in csv.DictReader(io.StringIO(suspected.read_text("utf-8-sig")))
    }

    def closed_r4_1(as_of: str) -> int:  # the report counts what stood on its day
        report = tmp_path / f"report-{as_of}.xlsx"
        assert main(["report", "--level", "village", "--as-of", as_of, "--xlsx", str(report)]) == 0
        by_rule = list(load_workbook(report)["问题统计"].values)[1:]  # below the title
        r41 = next(r for r in by_rule if r[3] == "R4.1")
        return int(dict(zip(by_rule[0], r41, strict=True))["已销号"])

    assert (closed_r4_1(DAY), closed_r4_1("2026-03-02")) == (0, 1)


def test_the_screening_task_ledger_of_every_township_is_areas_by_townships(
    village: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["sweep", "--as-of", DAY]) == 0
    assert main(["ledgers", "--as-of", DAY, "--csv", str(tmp_path)]) == 0
    with (tmp_path / "排查任务台账.csv").open(encoding="utf-8-sig") as f:
        tasks = list(csv.DictReader(f))
    # no household_state yet: the township reads as its code, never a blank
    assert [(t["乡镇"], t["排查内容"]) for t in tasks][:2] == [
        (village, "防返贫宣传"),
        (village, "日常走访和集中排查"),
    ]
    assert len(tasks) == len(AREAS) and tasks[1]["状态"] == "有问题未制定整改计划"


def test_an_unknown_problem_is_refused_with_its_reason(
    village: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["problems", "show", "00000000"]) == 1
    assert err(capsys).startswith("PROBLEM_NOT_FOUND")
