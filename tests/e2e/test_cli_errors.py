"""The command line never shows a traceback: every error is one line on stderr, `CODE: what
to do`, with exit status 1 (not found, a failed check) or 2 (usage); 0 means done."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import ingest_village

from services.adapters.audit_log import Signer
from services.devtools.embedded import free_port
from services.entrypoints.cli import main
from services.settings import Settings

pytestmark = pytest.mark.e2e

HID = "610326101201E1001"


@pytest.fixture
def loaded(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    ingest_village(settings, "E1")
    monkeypatch.setenv("DIXIAN_PG_URL", settings.pg_url or "")
    monkeypatch.setenv("DIXIAN_READER", "inspector-wang")
    monkeypatch.setenv("DIXIAN_READ_PURPOSE", "case 2026-17")
    monkeypatch.delenv("DIXIAN_KAFKA_BOOTSTRAP", raising=False)
    for projection in ("household_state", "audit_trail", "audit_log"):
        assert main(["projections", "rebuild", projection]) == 0
    return settings


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines, "nothing said on stderr"
    return lines[-1]


WRONG = [
    (["household", "show", "NOSUCH0001"], 1, "HOUSEHOLD_NOT_FOUND"),
    (["household", "history", "NOSUCH0001"], 1, "HOUSEHOLD_NOT_FOUND"),
    (["household", "as-of", HID, "--occurred-on", "2025-13-01"], 2, "not a day"),
    (["household", "as-of", HID], 2, "DATE_MISSING"),
    (["notice", "render", HID, "N-NONE"], 1, "NOTICE_NOT_FOUND"),
    (["audit", "prove", "not-a-uuid"], 2, "EVENT_ID_INVALID"),
    (["audit", "prove", "00000000-0000-0000-0000-000000000000"], 1, "EVENT_NOT_LOGGED"),
    (["audit", "consistency", "foo"], 2, "SIZES_INVALID"),
    (["audit", "consistency", "1:99"], 1, "NO_CHECKPOINT"),
    (["audit", "verify-proof", "missing.json"], 1, "FILE_NOT_FOUND"),
    (["audit", "actor"], 2, "TARGET_MISSING"),
    (["audit", "verify-proof", "x.json", "--public-key", "not base64!"], 2, "PUBLIC_KEY_INVALID"),
    (["problems", "show", "zz"], 1, "PROBLEM_NOT_FOUND"),
    (["problems", "show", "12345678"], 1, "PROBLEM_NOT_FOUND"),
    (["sweep", "--as-of", "yesterday"], 2, "not a day"),
    (["rejected", "--show", "99999"], 1, "REJECTION_NOT_FOUND"),
    (["rejected", "--limit", "-3"], 2, "must be at least 1"),
    (["projections", "rebuild", "nonsense"], 2, "UNKNOWN_PROJECTION"),
    (["projections", "verify", "nonsense"], 2, "UNKNOWN_PROJECTION"),
    (["audit", "verify", "--public-key", "AAAA"], 2, "PUBLIC_KEY_INVALID"),
    (["audit", "rotate-key"], 2, "KEY_FILE_MISSING"),
    (["audit", "witness"], 2, "STATE_DIR_MISSING"),
    (["producers", "sign", "missing.json", "--key", "k.pem"], 1, "FILE_NOT_FOUND"),
    (["topics", "create"], 2, "KAFKA_NOT_CONFIGURED"),
    (["run"], 2, "KAFKA_NOT_CONFIGURED"),
    (["no-such-command"], 2, "invalid choice"),
]


@pytest.mark.parametrize(("argv", "status", "said"), WRONG, ids=[" ".join(a) for a, _, _ in WRONG])
def test_a_wrong_id_date_or_file_gets_one_line_and_its_exit_status(
    loaded: Settings, capsys: pytest.CaptureFixture[str], argv: list[str], status: int, said: str
) -> None:
    assert main(argv) == status
    assert said in one_line(capsys)


def test_a_verify_proof_of_a_file_that_is_no_proof_fails_the_check(
    loaded: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "p.json").write_text("not json")
    assert main(["audit", "verify-proof", str(tmp_path / "p.json")]) == 1
    assert one_line(capsys).startswith("PROOF_UNREADABLE")


def test_verification_without_a_key_to_trust_or_with_unreadable_checkpoints_is_refused(
    loaded: Settings,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DIXIAN_AUDIT_KEY_FILE", str(tmp_path / "none.key"))
    monkeypatch.delenv("DIXIAN_AUDIT_PUBLIC_KEY", raising=False)
    assert main(["audit", "verify"]) == 2
    assert one_line(capsys).startswith("AUDIT_KEY_UNKNOWN")
    witness = ["audit", "witness", "--state-dir", str(tmp_path / "w")]
    assert main([*witness, "--from-dir", str(tmp_path)]) == 2
    assert one_line(capsys).startswith("AUDIT_KEY_UNKNOWN")
    assert not (tmp_path / "none.key").exists()  # a key to trust is given, never made
    monkeypatch.setenv("DIXIAN_AUDIT_PUBLIC_KEY", Signer(tmp_path / "log.key").public_key)
    assert main(["audit", "verify", "--against", str(tmp_path / "missing.json")]) == 1
    assert one_line(capsys).startswith("FILE_NOT_FOUND")
    (tmp_path / "bad.json").write_text("[1, 2]")
    assert main(["audit", "verify", "--against", str(tmp_path / "bad.json")]) == 2
    assert one_line(capsys).startswith("CHECKPOINTS_UNREADABLE")
    assert main(witness) == 2  # no broker to follow, no exports to read
    assert one_line(capsys).startswith("KAFKA_NOT_CONFIGURED")


def test_an_unreachable_database_is_one_line_within_the_connect_timeout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DIXIAN_PG_URL", f"postgresql://postgres@127.0.0.1:{free_port()}/none")
    monkeypatch.setenv("DIXIAN_PG_CONNECT_TIMEOUT_SECONDS", "1")
    for argv in (["rejected"], ["projections", "status"], ["sweeps", "--json"]):
        assert main(argv) == 1
        assert one_line(capsys).startswith("DATABASE_UNREACHABLE: PostgreSQL does not answer")


def test_an_unreachable_broker_is_one_line(
    loaded: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DIXIAN_KAFKA_BOOTSTRAP", f"127.0.0.1:{free_port()}")
    monkeypatch.setenv("DIXIAN_KAFKA_TIMEOUT_SECONDS", "3")
    assert main(["topics", "create"]) == 1
    assert one_line(capsys).startswith("KAFKA_UNREACHABLE")
    assert main(["projections", "status", "--json"]) == 1  # the projections, and the error
    out = capsys.readouterr().out
    status = json.loads(out)
    assert status["intake"]["error"].startswith("KAFKA_UNREACHABLE")
    assert {p["projection"] for p in status["projections"]} >= {"household_state"}


def test_invalid_settings_are_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DIXIAN_DISPLAY_TIMEZONE", "Mars/Olympus")
    assert main(["sweeps"]) == 2
    line = one_line(capsys)
    assert line.startswith("SETTINGS_INVALID: DIXIAN_DISPLAY_TIMEZONE")


READS = [
    ["rejected", "--json", "--limit", "2"],
    ["household", "history", HID, "--json", "--limit", "3"],
    ["household", "show", HID, "--json"],
    ["projections", "status", "--json"],
    ["sweeps", "--json"],
    ["problems", "list", "--json", "--limit", "5"],
    ["ledgers", "--json"],
    ["report", "--json"],
    ["audit", "reads", "--json", "--limit", "2"],
    ["audit", "checkpoints", "--json"],
    ["audit", "verify", "--json"],
    ["projections", "verify", "household_state", "--json"],
]


TABLES = {"sweeps", "problems", "ledgers", "report", "projections"}


@pytest.mark.parametrize("argv", READS, ids=[" ".join(a) for a in READS])
def test_every_read_command_gives_valid_json_with_nulls_and_its_limit(
    loaded: Settings, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    capsys.readouterr()
    assert main(argv) == 0
    value = json.loads(capsys.readouterr().out)
    if "--limit" in argv:
        assert isinstance(value, list) and len(value) <= int(argv[argv.index("--limit") + 1])
    if argv[0] in TABLES:  # an empty cell of a table is null, not an empty string
        assert '""' not in json.dumps(value)


def test_json_times_carry_their_offset_and_human_views_use_the_configured_zone(
    loaded: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["rejected", "--json", "--limit", "1"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["rejected_at"].endswith("+08:00")
    monkeypatch.setenv("DIXIAN_DISPLAY_TIMEZONE", "UTC")
    assert main(["rejected", "--limit", "1"]) == 0
    assert "+00:00" in capsys.readouterr().out


def test_a_reader_that_goes_away_is_no_error(loaded: Settings) -> None:
    env = {**os.environ, "DIXIAN_PG_URL": loaded.pg_url or ""}
    command = [sys.executable, "-m", "services.entrypoints.cli", "household", "history", HID]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()  # like `| head -c 10`
        err = proc.stderr.read().decode()
        assert proc.wait(60) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err
