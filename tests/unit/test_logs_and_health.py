"""The processes' log lines and their health answers."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterator

import pytest

from services.entrypoints import logs
from services.entrypoints.ops_server import Health
from services.settings import Settings


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    yield stream
    logs.configure("WARNING", "text")


def test_a_json_line_carries_the_time_with_its_offset_the_level_and_the_fields(
    captured: io.StringIO,
) -> None:
    logs.configure("INFO", "json", "Asia/Shanghai", captured)
    logging.getLogger("dixian.test").info("batch stored", extra={"records": 3, "rejected": {}})
    line = json.loads(captured.getvalue())
    assert (line["level"], line["logger"], line["message"]) == (
        "INFO",
        "dixian.test",
        "batch stored",
    )
    assert (line["records"], line["rejected"]) == (3, {})
    assert line["time"].endswith("+08:00")


def test_a_text_line_gives_its_fields_as_key_value(captured: io.StringIO) -> None:
    logs.configure("INFO", "text", "UTC", captured)
    logging.getLogger("dixian.test").info("swept", extra={"findings": 12, "as_of": "a day"})
    assert captured.getvalue().rstrip().endswith('INFO dixian.test swept findings=12 as_of="a day"')


def test_below_the_level_nothing_is_written(captured: io.StringIO) -> None:
    logs.configure("INFO", "json", "UTC", captured)
    logging.getLogger("dixian.test").debug("per message")
    logging.getLogger("aiokafka").info("library chatter")
    assert captured.getvalue() == ""


def test_the_effective_settings_logged_at_start_leave_the_secrets_out() -> None:
    s = Settings(
        pg_url="postgresql://dixian:hunter2@db:5432/dixian",
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism="SCRAM-SHA-512",
        kafka_sasl_username="intake",
        kafka_sasl_password="s3cret",
    )
    text = json.dumps(s.effective())
    assert "hunter2" not in text and "s3cret" not in text
    assert s.effective()["kafka_sasl_username"] == "intake"
    assert "host=db" in s.effective()["pg_url"]


def test_readiness_fails_with_the_reason_when_a_check_fails() -> None:
    health = Health()
    health.checks["database"] = lambda: "the database does not answer"
    health.checks["kafka"] = lambda: None
    ok, detail = health.ready()
    assert not ok and detail["problems"] == {"database": "the database does not answer"}


def test_a_check_that_raises_is_a_problem_not_a_crash() -> None:
    health = Health()

    def broken() -> str | None:
        raise ConnectionError("refused")

    health.checks["database"] = broken
    assert health.ready()[1]["problems"] == {"database": "ConnectionError: refused"}


def test_a_process_whose_loop_stopped_beating_is_not_live() -> None:
    health = Health(stale_after=60)
    assert health.live()[0]
    health._beat = time.monotonic() - 61  # a minute without a beat
    assert not health.live()[0]
    health.beat()
    assert health.live()[0]
