"""The compose file (no container engine here, so its settings are checked as data)."""

from pathlib import Path
from typing import Any

import yaml

COMPOSE = Path(__file__).parents[2] / "deploy" / "compose.yaml"


def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


def test_kafka_runs_in_kraft_mode_without_auto_creation_or_retention_limits() -> None:
    env = compose()["services"]["kafka"]["environment"]
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert env["KAFKA_LOG_RETENTION_MS"] == env["KAFKA_LOG_RETENTION_BYTES"] == "-1"


def test_the_topics_are_provisioned_by_the_project_before_the_intake_starts() -> None:
    services = compose()["services"]
    assert services["topics"]["command"] == ["topics", "create"]
    assert services["topics"]["depends_on"]["kafka"]["condition"] == "service_healthy"
    needs = services["intake"]["depends_on"]
    assert needs["topics"]["condition"] == "service_completed_successfully"
    assert needs["postgres"]["condition"] == "service_healthy"


def test_every_dixian_service_is_configured_for_the_real_servers() -> None:
    services = compose()["services"]
    for name in ("topics", "intake", "projections"):
        env = services[name]["environment"]
        assert env["DIXIAN_KAFKA_BOOTSTRAP"] == "kafka:9092", name
        assert env["DIXIAN_PG_URL"].startswith("postgresql://"), name
    assert services["projections"]["command"] == ["run", "--no-intake"]
    assert services["intake"]["command"] == ["run", "--no-projections"]
