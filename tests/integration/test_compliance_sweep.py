"""The sweep on a real PostgreSQL: a simulated county through the intake, the engine over
the store, the ledger's events in the same log, and a problem walked to close-out."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from support import intake

from projections.audit_log import AuditLogProjection
from projections.household_state import HouseholdState
from projections.ledger_trail import LedgerTrail
from projections.runner import ProjectionRunner
from services.adapters.audit_log import Signer
from services.adapters.compliance_store import load_problems, load_sweeps
from services.adapters.eventstore import EventStore
from services.adapters.places import load_places
from services.adapters.queries import household_heads
from services.adapters.workbooks import write_csvs, write_workbook
from services.devtools.simulate.county import build_county
from services.devtools.simulate.generator import generate
from services.domain.compliance import reports
from services.domain.compliance.findings import RULES
from services.domain.compliance.ledger import LedgerViolation
from services.settings import Settings
from services.usecases.audit.verify import verify
from services.usecases.compliance.ledger import apply
from services.usecases.compliance.sweep import run_sweep, today
from services.usecases.compliance.workbooks import (
    Names,
    households_of,
    ledger_sheets,
    report_sheets,
)
from services.usecases.intake.unit_of_work import RawMessage

pytestmark = pytest.mark.integration

AS_OF = date(2026, 3, 1)  # two months after the simulated two years end
# Rules whose every planted lapse the engine must find (the others' plants can be
# overtaken by the simulation's end or by a later step that changes the facts).
EXACT = ("R1.1", "R2.2", "R3.1", "R3.2", "R4.1", "R5.1", "R8.1")


def ingest(store: EventStore, events: list[tuple[str, dict[str, Any]]], first: int = 0) -> None:
    processor = intake(store, 10_000)
    for i in range(0, len(events), 1000):
        raw = [
            RawMessage("sim", 0, first + i + j, key.encode(), json.dumps(env).encode())
            for j, (key, env) in enumerate(events[i : i + 1000])
        ]
        assert processor.process(raw).rejected == {}


@pytest.fixture
def county(store: EventStore) -> Iterator[tuple[EventStore, list[dict[str, Any]], int]]:
    truth: list[dict[str, Any]] = []
    events = list(generate(build_county("small", 5), 5, 0.15, truth))
    ingest(store, events)
    yield store, truth, len(events)


def test_the_sweep_finds_what_the_simulation_planted(
    county: tuple[EventStore, list[dict[str, Any]], int], settings: Settings
) -> None:
    store, truth, _ = county
    found = run_sweep(store, AS_OF, settings.compliance_params()).evaluation.findings
    keys = {(f.rule_id, f.subject) for f in found}
    recalled = Counter(t["rule"] for t in truth if (t["rule"], t["subject"]) in keys)
    planted = Counter(t["rule"] for t in truth)
    assert {r: planted[r] for r in EXACT if planted[r]} == {
        r: recalled[r] for r in EXACT if planted[r]
    }
    assert sum(recalled.values()) >= 0.85 * sum(planted.values())


def test_a_second_sweep_of_the_same_day_raises_nothing_new_and_finds_the_same(
    county: tuple[EventStore, list[dict[str, Any]], int], settings: Settings
) -> None:
    store, _, n = county
    first = run_sweep(store, AS_OF, settings.compliance_params())
    again = run_sweep(store, AS_OF, settings.compliance_params())
    assert first.raised == len(first.evaluation.findings) > 0
    assert (again.raised, again.resolved) == (0, 0)
    assert again.evaluation.findings == first.evaluation.findings
    assert first.evaluation.events == n and len(load_sweeps(store)) == 2
    assert len(load_problems(store)) == first.raised


def test_a_problem_walks_through_rectification_to_close_out_and_can_be_reopened(
    county: tuple[EventStore, list[dict[str, Any]], int], settings: Settings
) -> None:
    store, _, _ = county
    run_sweep(store, AS_OF, settings.compliance_params())
    p = next(p for p in load_problems(store).values() if p.rule_id == "R2.2")
    ref, on = str(p.id)[:8], date(2026, 3, 2)
    apply(
        store,
        ref,
        lambda p: p.plan_rectification(
            "screen the household", date(2026, 3, 20), "cadre-li", "cadre-li", "village_cadre", on
        ),
    )
    apply(
        store,
        ref,
        lambda p: p.record_action(
            "screened on 2026-03-05", ["form-117"], "cadre-li", "village_cadre", on
        ),
    )
    with pytest.raises(LedgerViolation) as refused:
        apply(store, ref, lambda p: p.close_out(["r"], "", "cadre-li", "village_cadre", on))
    assert refused.value.code == "ROLE_NOT_AUTHORISED"
    closed = apply(
        store,
        ref,
        lambda p: p.close_out(["inspection-9"], "checked", "zhou", "township_official", on),
    )
    assert closed.status == "closed"
    assert load_problems(store)[p.id].status == "closed"  # as stored, replayed
    ledger = reports.rectification_ledger(load_problems(store).values(), p.township)
    assert [r["step"] for r in ledger if r["problem"] == str(p.id)] == [
        "planned",
        "action",
        "closed out",
    ]
    reopened = apply(store, ref, lambda p: p.reopen("photo reused", "wu", "county_official", on))
    assert reopened.status == "rectifying"  # back to work: the close-out did not hold


def test_a_correction_of_the_evidence_is_recorded_as_resolved_by_the_facts(
    county: tuple[EventStore, list[dict[str, Any]], int], settings: Settings
) -> None:
    store, _, n = county
    run_sweep(store, AS_OF, settings.compliance_params())
    p = next(p for p in load_problems(store).values() if p.check == "income_inconsistent")
    retraction = {
        "event_id": "00000000-0000-4000-8000-000000000001",
        "event_type": "event_retracted",
        "schema_version": 1,
        "household_id": p.subject,
        "occurred_at": "2026-02-10T09:00:00+08:00",
        "recorded_at": "2026-02-10T09:00:00+08:00",
        "source_system": "village_app",
        "actor": {"person_id": "cadre-li", "role": "village_cadre"},
        "payload": {"target_event_id": p.evidence[0], "reason": "income entered twice"},
    }
    ingest(store, [(p.subject, retraction)], first=n)
    # A live correction counts from the day the system received it (today), not before:
    again = run_sweep(store, AS_OF, settings.compliance_params())
    assert again.resolved == 0 and load_problems(store)[p.id].facts_resolved_on is None
    received = today()
    run_sweep(store, received, settings.compliance_params())
    assert load_problems(store)[p.id].facts_resolved_on == received.isoformat()


def test_the_ledgers_events_are_in_the_audit_log_and_projections_skip_them(
    county: tuple[EventStore, list[dict[str, Any]], int], settings: Settings, tmp_path: Path
) -> None:
    from psycopg_pool import ConnectionPool

    store, _, n = county
    out = run_sweep(store, AS_OF, settings.compliance_params())
    with ConnectionPool(settings.pg_url or "", min_size=1, max_size=2) as pool:
        for projection in (HouseholdState(), AuditLogProjection()):
            runner = ProjectionRunner(store, pool, projection, 500)
            runner.setup()
            assert runner.catch_up() == n + out.raised + 1  # the sweep's own record too
        trail = ProjectionRunner(store, pool, LedgerTrail(), 500)
        trail.setup()
        assert trail.catch_up() == n + out.raised + 1  # it reads the whole log …
        with pool.connection() as conn:  # … and keeps the ledger's events
            steps = dict(conn.execute("SELECT step, count(*) FROM ledger_trail GROUP BY 1"))
            first = conn.execute("SELECT rule_id, actor_id FROM ledger_trail LIMIT 1").fetchone()
    assert steps == {"Problem.Raised": out.raised, "Sweep.Completed": 1}
    assert first is not None and first[0] in RULES and first[1] in ("sweep", "t")
    report = verify(store, Signer(tmp_path / "key").public_key)  # no checkpoint to trust yet
    assert report.logged == n + out.raised + 1 and report.findings == []


def test_the_ledgers_and_report_of_a_simulated_county_export_in_chinese_with_names(
    county: tuple[EventStore, list[dict[str, Any]], int], settings: Settings, tmp_path: Path
) -> None:
    from projections.runner import projection_pool

    store, _, _ = county
    params = settings.compliance_params()
    run_sweep(store, AS_OF, params)
    with projection_pool(settings) as pool:  # the heads' masked names, the carried names
        runner = ProjectionRunner(store, pool, HouseholdState(), 500)
        runner.setup()
        runner.catch_up()
    problems = list(load_problems(store).values())
    sweep = load_sweeps(store)[-1]
    township = problems[0].township
    names = Names(load_places(None, store), household_heads(store, households_of(problems)))
    sheets = ledger_sheets(problems, sweep, AS_OF, township, names)
    book = load_workbook(write_workbook(tmp_path / "ledgers.xlsx", sheets))
    assert book.sheetnames == ["排查任务台账", "疑似问题台账", "整改工作台账"]
    assert book["疑似问题台账"]["A1"].value == "模拟县青山镇疑似问题台账（截至2026-03-01）"
    header, *found = list(book["疑似问题台账"].values)[1:]
    found = [dict(zip(header, r, strict=True)) for r in found]
    mine = [p for p in problems if p.township == township and p.concern != "favoritism"]
    # a row per problem to rectify; a household's months without a visit in one, listed
    assert len(found) == len(mine)
    months = [r for r in found if r["规则"] == "R2.1" and r["次数"] > 1]
    assert months and all("年" in r["涉及期间"] for r in months)
    assert {r["村"] for r in found} == {"王家村"}
    households = [r for r in found if r["户编号/对象"].startswith(township)]
    assert households and all(re.fullmatch(r".\*+.?", r["户主"]) for r in households)
    tasks = [r[2] for r in book["排查任务台账"].values][2:]
    assert tasks == ["防返贫宣传", "日常走访和集中排查", "风险预警推送", "监测对象纳入",
                     "帮扶及时精准", "风险消除", "兜底保障标注", "系统数据"]  # fmt: skip

    report = report_sheets(problems, sweep, AS_OF, "county", None, params.phases_on(AS_OF), names)
    paths = write_csvs(tmp_path / "csv", report)
    assert [p.name for p in paths] == ["问题统计.csv", "走访排查覆盖.csv", "阶段进展.csv"]
    with paths[0].open(encoding="utf-8-sig") as f:
        by_rule = list(csv.DictReader(f))
    assert sum(int(r["发现问题"]) for r in by_rule) == len(problems)
    assert {r["单位"] for r in by_rule} == {"模拟县"}
    with paths[2].open(encoding="utf-8-sig") as f:
        stages = list(csv.DictReader(f))
    # the phases of the report's year (2026): the first under way, every problem that fell
    # due by the report's day counted in it (a retrospective sweep fills the phase)
    assert [r["状态"] for r in stages] == ["进行中", "未开始", "未开始"]
    due = sum(p.due_on <= AS_OF.isoformat() for p in problems)
    assert int(stages[0]["发现问题"]) == due > 0


def test_the_running_services_sweep_as_of_the_day_before_at_the_configured_time(
    county: tuple[EventStore, list[dict[str, Any]], int], settings: Settings, tmp_path: Path
) -> None:
    import time as clock
    from datetime import datetime, timedelta

    from projections.runner import projection_pool
    from services.entrypoints.scheduler import Scheduler
    from services.usecases.compliance.sweep import CHINA

    store, _, _ = county
    soon = datetime.now(CHINA) + timedelta(seconds=2)
    s = settings.model_copy(
        update={"sweep_daily_at": soon.time(), "audit_key_file": tmp_path / "key"}
    )
    with projection_pool(s) as pool:
        running = Scheduler(s, store, pool)
        running.start()
        try:
            deadline = clock.monotonic() + 30
            while not load_sweeps(store) and clock.monotonic() < deadline:
                clock.sleep(0.2)
        finally:
            running.stop()
    [sweep] = load_sweeps(store)
    assert sweep.ran_by == "daily sweep"
    assert sweep.as_of == (soon.date() - timedelta(days=1)).isoformat()


def test_two_people_changing_one_problem_at_once_cannot_both_write(
    county: tuple[EventStore, list[dict[str, Any]], int], settings: Settings
) -> None:
    from services.adapters.compliance_store import save

    store, _, _ = county
    run_sweep(store, AS_OF, settings.compliance_params())
    pid = next(iter(load_problems(store)))
    mine, theirs = load_problems(store)[pid], load_problems(store)[pid]
    day = date(2026, 3, 2)
    mine.record_action("visited", ["photo-1"], "li", "village_cadre", day)
    theirs.record_action("called", ["call-log-2"], "wu", "village_cadre", day)
    save(store, [mine])
    with pytest.raises(LedgerViolation) as lost:
        save(store, [theirs])
    assert lost.value.code == "LEDGER_CHANGED_MEANWHILE"
    assert [a["action"] for a in load_problems(store)[pid].actions] == ["visited"]


def test_worker_processes_find_what_one_process_finds(
    county: tuple[EventStore, list[dict[str, Any]], int], settings: Settings
) -> None:
    from services.usecases.compliance.parallel import evaluate_store

    store, _, _ = county
    params = settings.compliance_params()
    alone = evaluate_store(store, AS_OF, params, workers=1)
    together = evaluate_store(store, AS_OF, params, workers=2, share=7)  # 40 households
    assert together == alone and len(alone.findings) > 0


def test_the_problem_ledger_table_follows_the_ledger_and_rebuilds_the_same(
    county: tuple[EventStore, list[dict[str, Any]], int], settings: Settings
) -> None:
    from psycopg_pool import ConnectionPool

    from projections.problem_ledger import ProblemLedger

    store, _, _ = county
    out = run_sweep(store, AS_OF, settings.compliance_params())
    pid = next(iter(load_problems(store)))
    on = date(2026, 3, 2)

    def table(pool: ConnectionPool) -> list[tuple[Any, ...]]:
        with pool.connection() as conn:
            return conn.execute("SELECT * FROM problem_ledger ORDER BY problem_id").fetchall()

    with ConnectionPool(settings.pg_url or "", min_size=1, max_size=2) as pool:
        runner = ProjectionRunner(store, pool, ProblemLedger(), 100)  # batches split problems
        runner.setup()
        runner.catch_up()  # the sweep's problems, then the rectification: incrementally
        apply(
            store,
            str(pid),
            lambda p: p.plan_rectification(
                "fix it", date(2026, 3, 3), "li", "li", "village_cadre", on
            ),
        )
        apply(
            store, str(pid), lambda p: p.record_action("done", ["photo"], "li", "village_cadre", on)
        )
        runner.catch_up()
        live = table(pool)
        runner.rebuild()
        assert table(pool) == live and len(live) == out.raised
        with pool.connection() as conn:
            row = conn.execute(
                "SELECT status, deadline::text, actions, responsible_person FROM problem_ledger "
                "WHERE problem_id = %s",
                (pid,),
            ).fetchone()
    assert row == ("rectified", "2026-03-03", 1, "li")
