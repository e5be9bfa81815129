"""The national system's export end to end: `dixian import national` publishes through the
real broker to the intake and PostgreSQL (a second run adds nothing), `dixian compare
national` finds every planted difference of a later export as an R8.1 problem in the ledger,
and importing the later export leaves only the differences no event can make."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from support import count, stored_event_count, wait_until

from services.adapters.compliance_store import load_national_runs, load_problems
from services.adapters.eventstore import EventStore
from services.adapters.kafka_topics import ensure_topics
from services.domain.events import TOPIC_PREFIX
from services.entrypoints.cli import main
from services.entrypoints.runtime import serve
from services.settings import Settings
from services.usecases.audit.activity import activity

pytestmark = pytest.mark.e2e
BATCH = "national-system"


@pytest.fixture
async def kafka_settings(
    settings: Settings, kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    s = settings.model_copy(
        update={"kafka_bootstrap": kafka_bootstrap, "historical_imports": frozenset({BATCH})}
    )
    await ensure_topics(s, kafka_bootstrap)
    for name, value in {
        "DIXIAN_PG_URL": s.pg_url or "",
        "DIXIAN_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "DIXIAN_INTAKE_TOPIC": s.intake_topic,
        "DIXIAN_HISTORICAL_IMPORTS": f'["{BATCH}"]',
    }.items():
        monkeypatch.setenv(name, value)
    return s


async def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert await asyncio.to_thread(main, list(argv)) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def published(output: str) -> int:
    match = re.search(r"published (\d+) events", output)
    assert match, output
    return int(match[1])


def household_events(store: EventStore) -> int:
    sql = f"SELECT count(*) FROM {store.events_table} WHERE topic LIKE %s"
    return count(store, sql, f"{TOPIC_PREFIX}%")


def problems(store: EventStore) -> set[tuple[str, str, str]]:
    return {
        (p.subject, p.check.removeprefix("national_"), p.key.rsplit("/", 1)[1])
        for p in load_problems(store).values()
        if p.rule_id == "R8.1" and p.check.startswith("national_") and p.facts_resolved_on is None
    }


async def test_import_twice_compare_a_later_export_then_import_it(
    kafka_settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s = kafka_settings
    shares = ["--bad-row-share", "0.05", "--difference-share", "0.3"]
    await cli(capsys, "simulate", "--size", "small", "--seed", "5", "--out", str(tmp_path), *shares)
    truth: dict[str, Any] = json.loads((tmp_path / "national-truth.json").read_text())
    export, later = tmp_path / truth["export"], tmp_path / truth["later_export"]
    store = EventStore(s)
    stop = asyncio.Event()
    services = asyncio.create_task(serve(s, s.kafka_bootstrap or "", stop))
    try:
        dry = await cli(capsys, "import", "national", str(export), "--dry-run")
        assert "would publish" in dry and stored_event_count(store) == 0
        first = published(await cli(capsys, "import", "national", str(export), "--by", "王管理"))
        assert first > 0
        await wait_until(lambda: household_events(store) == first, timeout=120)
        run = load_national_runs(store)[-1]  # who imported: the system's word, not the events'
        assert (run.kind, run.by, run.counts["published"]) == ("import", "王管理", first)
        await wait_until(
            lambda: any(
                r["event_type"] == "NationalRun.Completed"
                for r in activity(store, "actor", "王管理")
            ),
            timeout=60,
        )  # on the audit trail of what a person did
        assert published(await cli(capsys, "import", "national", str(export))) == 0
        await cli(capsys, "sweep", "--as-of", "2026-01-05")  # a wrong check digit: R8.1's
        wrong = {
            (p.subject, p.key.rsplit("/", 1)[1])
            for p in load_problems(store).values()
            if p.check == "id_number_invalid"
        }
        assert wrong == {
            (b["household_id"], f"id_number:{b['person_id']}") for b in truth["check_digit_wrong"]
        }

        compared = await cli(capsys, "compare", "national", str(later), "--as-of", "2026-01-05")
        assert f"{len(truth['differences'])} differences (R8.1)" in compared
        assert problems(store) == {
            (d["household_id"], d["field"], d["person_id"]) for d in truth["differences"]
        }

        changes = published(await cli(capsys, "import", "national", str(later)))
        await wait_until(lambda: household_events(store) == first + changes, timeout=120)
        again = await cli(capsys, "compare", "national", str(later), "--as-of", "2026-01-05")
    finally:
        stop.set()
        await services
    planted = {(d["household_id"], d["field"], d["person_id"]) for d in truth["differences"]}
    still = problems(store)  # what no event can make: a household type, a category changed…
    assert still < planted
    assert not {field for _, field, _ in still} & {"income", "status", "member", "id_number"}
    assert f"ledger: 0 raised, 0 found again, {len(planted) - len(still)} resolved" in again

    book = load_workbook(tmp_path / "national-export_校验报告.xlsx")
    rows = list(book["无法导入的行"].iter_rows(min_row=3, values_only=True))
    assert sorted(r[1] for r in rows) == sorted(b["row"] for b in truth["bad_rows"])
    store.close()
