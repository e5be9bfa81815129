"""The command line on a real database: history, state, rejections, rebuild, schemas."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from support import ingest_village

from services.devtools.village import VILLAGE
from services.entrypoints.cli import main
from services.settings import Settings

pytestmark = pytest.mark.e2e


@pytest.fixture
def loaded(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> str:
    ingest_village(settings, "C1")
    monkeypatch.setenv("DIXIAN_PG_URL", settings.pg_url or "")
    monkeypatch.setenv("DIXIAN_READER", "inspector-wang")
    monkeypatch.setenv("DIXIAN_READ_PURPOSE", "case 2026-17")
    assert main(["projections", "rebuild", "household_state"]) == 0
    return f"{VILLAGE}C1001"


def test_history_shows_every_step_with_who_when_and_whence_and_masks_id_numbers(
    loaded: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DIXIAN_READER")  # nobody named: masked
    monkeypatch.delenv("DIXIAN_READ_PURPOSE")
    assert main(["household", "history", loaded, "--json"]) == 0
    history = json.loads(capsys.readouterr().out)
    steps = [h["event"] for h in history]
    lifecycle = [
        "RiskLeadRegistered",
        "HouseholdConsentSigned",
        "Identified",
        "AssistanceMeasureVerified",
        "RiskEliminationProposed",
        "RiskEliminated",
        "RiskEliminationReverted",
    ]
    assert [s for s in steps if s in lifecycle] == lifecycle
    by_event = {h["event"]: h for h in history}
    assert by_event["DepartmentRiskAlertPushed"]["source_system"] == "medical_insurance"
    assert by_event["Identified"]["actor"] == "county-zhao (county_official)"
    assert [h["position"] for h in history] == sorted(h["position"] for h in history)
    head = history[0]["facts"]["members"][0]["id_number"]
    assert "*" in head and len(head) == 18


def test_show_gives_the_current_state_and_a_clear_error_for_an_unknown_household(
    loaded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["household", "show", loaded]) == 0
    assert json.loads(capsys.readouterr().out)["monitoring_status"] == "monitored"  # reverted
    assert main(["household", "show", "NOSUCH0001"]) == 1
    assert "HOUSEHOLD_NOT_FOUND" in capsys.readouterr().err


def test_rejected_lists_each_reason_code(loaded: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rejected"]) == 0
    out = capsys.readouterr().out
    for code in ("NOT_JSON", "KEY_MISMATCH", "NOT_MONITORED", "NEVER_IDENTIFIED"):
        assert code in out


def test_one_rejection_in_full_gives_back_the_bytes_that_were_sent(
    loaded: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["rejected", "--show", "1", "--value-to", str(tmp_path / "value.bin")]) == 0
    out = capsys.readouterr().out
    shown = json.loads(out[out.index("{") :])
    assert shown["rejection_id"] == 1 and shown["reason_code"]
    assert (tmp_path / "value.bin").stat().st_size == shown["value_bytes"] > 0
    assert main(["rejected", "--show", "99999"]) == 1
    assert "REJECTION_NOT_FOUND" in capsys.readouterr().err


def test_an_unknown_projection_is_refused_with_its_reason(
    loaded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["projections", "rebuild", "nonsense"]) == 2
    assert "UNKNOWN_PROJECTION" in capsys.readouterr().err


def test_schemas_write_every_event_type_and_an_asyncapi_document_of_both_topics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schemas", "write", str(tmp_path)]) == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert {
        "household_registered.v1.json",
        "risk_eliminated.v1.json",
        "asyncapi.json",
        "code-tables.json",
    } <= names
    spec = json.loads((tmp_path / "asyncapi.json").read_text())
    addresses = {c["address"] for c in spec["channels"].values()}
    assert addresses == {Settings().intake_topic, *Settings().rejected_topics().values()}
    assert "dixian.rejected.civil_affairs" in addresses  # each producer reads its own


def test_as_of_shows_the_state_as_it_was_and_as_it_was_known(
    loaded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["household", "as-of", loaded, "--occurred-on", "2025-12-01"]) == 0
    assert json.loads(capsys.readouterr().out)["monitoring_status"] == "risk_eliminated"
    assert main(["household", "as-of", loaded, "--occurred-on", "2026-02-01"]) == 0
    assert json.loads(capsys.readouterr().out)["monitoring_status"] == "monitored"  # reverted
    h3 = loaded[:-1] + "3"
    assert main(["household", "as-of", h3, "--known-on", "2025-05-31"]) == 0
    assert json.loads(capsys.readouterr().out)["last_visit_on"] == "2025-05-15"
    assert main(["household", "as-of", h3, "--known-on", "2025-06-02"]) == 0
    assert json.loads(capsys.readouterr().out)["last_visit_on"] == "2025-05-16"  # amended
    assert main(["household", "as-of", h3]) == 2
    assert "DATE_MISSING" in capsys.readouterr().err


def test_notice_render_shows_the_notice_without_personal_information(
    loaded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["notice", "render", loaded, "N-C1-1"]) == 0
    out = capsys.readouterr().out
    notice = json.loads(out)
    assert notice["household_head"] == "王建国" and notice["household_size"] == 2
    assert "13800000001" not in out and "id_number" not in out and "illness" not in out
    assert main(["notice", "render", loaded, "N-C1-9"]) == 1
    assert "NOTICE_NOT_FOUND" in capsys.readouterr().err


def test_every_read_of_personal_information_is_recorded_and_needs_a_reader(
    loaded: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["household", "history", loaded, "--json"]) == 0  # DIXIAN_READER and purpose
    assert json.loads(capsys.readouterr().out)[0]["facts"]["members"][0]["name"] == "王建国"
    monkeypatch.delenv("DIXIAN_READER")
    assert main(["household", "history", loaded]) == 2  # a purpose, but nobody named
    assert "READER_REQUIRED" in capsys.readouterr().err
    monkeypatch.delenv("DIXIAN_READ_PURPOSE")
    assert main(["household", "history", loaded, "--json"]) == 0  # masked: nothing to record
    masked = json.loads(capsys.readouterr().out)[0]["facts"]["members"][0]
    assert masked["name"] == "王*国" and masked["health"] == "***" and "*" in masked["phone"]
    assert main(["household", "show", loaded]) == 0  # the state holds no personal data
    capsys.readouterr()
    argv = ["household", "history", loaded, "--reader", "auditor-li", "--purpose", "spot check"]
    assert main(argv) == 0
    capsys.readouterr()
    assert main(["audit", "reads", loaded]) == 0
    seen = [(r["reader"], r["purpose"], r["what"]) for r in json.loads(capsys.readouterr().out)]
    assert seen == [
        ("inspector-wang", "case 2026-17", "household history"),
        ("auditor-li", "spot check", "household history"),
    ]


def test_the_inspectors_audit_commands_work_on_the_demo_village(
    loaded: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settings: Settings,
) -> None:
    monkeypatch.setenv("DIXIAN_AUDIT_KEY_FILE", str(tmp_path / "key"))
    assert main(["projections", "rebuild", "audit_trail"]) == 0
    assert main(["audit", "checkpoint"]) == 0
    assert main(["audit", "verify"]) == 0
    assert "VERIFIED" in capsys.readouterr().out
    assert main(["audit", "source", "medical_insurance"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert {d["event_type"] for d in done} >= {"department_risk_alert_pushed"}
    assert main(["audit", "actor", "county-zhao"]) == 0
    assert {d["event_type"] for d in json.loads(capsys.readouterr().out)} >= {
        "identification_decided",
        "risk_eliminated",
        "risk_elimination_reverted",
    }
    event_id = done[0]["event_id"]
    proof = tmp_path / "proof.json"
    assert main(["audit", "prove", str(event_id), "-o", str(proof)]) == 0
    assert main(["audit", "verify-proof", str(proof)]) == 0
    assert "VERIFIED" in capsys.readouterr().out
    with psycopg.connect(settings.pg_url or "", autocommit=True) as conn:
        conn.execute("DELETE FROM dixian_events WHERE notification_id = 3")
    assert main(["audit", "verify"]) == 1
    assert "TAMPERED: first bad position: REORDERED: leaf 2" in capsys.readouterr().out


def test_the_projections_service_runs_without_a_broker_and_stops_cleanly_on_sigterm(
    settings: Settings,
) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    env = {k: v for k, v in os.environ.items() if not k.startswith("DIXIAN_")}
    env |= {"DIXIAN_PG_URL": settings.pg_url or "", "DIXIAN_SWEEP_DAILY": "false"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "services.entrypoints.cli", "run", "--no-intake"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 30
    with psycopg.connect(settings.pg_url or "", autocommit=True) as conn:  # it sets itself up
        while time.monotonic() < deadline:
            if conn.execute("SELECT to_regclass('projection_positions')").fetchone()[0]:
                break
            time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert "Traceback" not in out
