"""`dixian producers keygen` and `sign`: a producer's key pair, the line for the
producer-keys file, and headers that the intake's check accepts."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest

from services.adapters.attestation import ProducerKeys
from services.entrypoints.cli import main


def keygen(tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str) -> dict[str, str]:
    assert main(["producers", "keygen", source, "--out", str(tmp_path)]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    return json.loads("{" + line + "}")


def test_keygen_writes_a_private_key_only_its_owner_reads_and_the_line_to_add(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = keygen(tmp_path, capsys, "medical_insurance")
    assert list(entry) == ["medical_insurance"]
    assert len(base64.b64decode(entry["medical_insurance"])) == 32
    private = tmp_path / "medical_insurance.key"
    assert private.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert (tmp_path / "medical_insurance.pub").read_text().strip() == entry["medical_insurance"]


def test_keygen_never_overwrites_a_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keygen(tmp_path, capsys, "water")
    assert main(["producers", "keygen", "water", "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err.startswith("KEY_EXISTS")


def test_sign_gives_headers_the_intake_verifies_for_exactly_those_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = ProducerKeys(keygen(tmp_path, capsys, "water"))
    message = tmp_path / "message.json"
    message.write_bytes(b'{"source_system":"water","household_id":"610326101201K1001"}')
    argv = ["producers", "sign", str(message), "--key", str(tmp_path / "water.key")]
    assert main(argv) == 0
    headers = json.loads(capsys.readouterr().out)["headers"]
    as_sent = tuple((k, v.encode()) for k, v in headers.items())
    assert keys.attest(message.read_bytes(), as_sent) == "water"
    with pytest.raises(Exception, match="SIGNATURE_INVALID"):
        keys.attest(message.read_bytes() + b" ", as_sent)


def test_sign_refuses_a_key_file_that_is_not_an_ed25519_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "m.json").write_text("{}")
    (tmp_path / "k.pem").write_text("not a key")
    argv = ["producers", "sign", str(tmp_path / "m.json"), "--key", str(tmp_path / "k.pem")]
    assert main(argv) == 1
    assert capsys.readouterr().err.startswith("KEY_INVALID")
