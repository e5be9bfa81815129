"""deploy/: the compose file and the Kubernetes manifests, checked as data (no container
engine or cluster runs here): Kubernetes' own resources against their JSON Schemas
(kubernetes-validate), Strimzi's and the compose file by what they must say."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from services.adapters import metrics
from services.settings import Settings

DEPLOY = Path(__file__).parents[2] / "deploy"
K8S = DEPLOY / "kubernetes"
DIXIAN = ("topics", "setup", "intake", "projections", "web")


def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def manifests() -> list[dict[str, Any]]:
    return [d for f in sorted(K8S.glob("*.yaml")) for d in yaml.safe_load_all(f.read_text())]


def kind(name: str) -> list[dict[str, Any]]:
    return [d for d in manifests() if d["kind"] == name]


# --- compose -------------------------------------------------------------------------------


def test_kafka_is_three_kraft_nodes_replicating_three_times_with_two_in_sync() -> None:
    services = compose()["services"]
    brokers = [services[f"kafka-{i}"] for i in (1, 2, 3)]
    voters = {b["environment"]["KAFKA_CONTROLLER_QUORUM_VOTERS"] for b in brokers}
    assert voters == {"1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093"}
    assert sorted(b["environment"]["KAFKA_NODE_ID"] for b in brokers) == ["1", "2", "3"]
    for b in brokers:
        env = b["environment"]
        assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
        assert env["KAFKA_DEFAULT_REPLICATION_FACTOR"] == "3"
        assert env["KAFKA_MIN_INSYNC_REPLICAS"] == "2"
        assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "3"
        assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
        assert env["KAFKA_LOG_RETENTION_MS"] == env["KAFKA_LOG_RETENTION_BYTES"] == "-1"
        assert env["KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE"] == "false"


def test_every_long_running_service_has_a_health_check() -> None:
    for name, service in compose()["services"].items():
        if name in ("topics", "setup"):  # one-shots: their exit status is their health
            assert service["restart"] == "no"
            continue
        check = service["healthcheck"]
        assert check.get("disable") is not True and check["test"], name


def test_the_dixian_services_probe_their_own_ready_endpoint_on_the_metrics_port() -> None:
    services = compose()["services"]
    port = services["intake"]["environment"]["DIXIAN_METRICS_PORT"]
    for name in ("intake", "projections"):
        probe = " ".join(services[name]["healthcheck"]["test"])
        assert f"127.0.0.1:{port}/health/ready" in probe, name


def test_the_services_run_signed_on_the_three_brokers_with_replication_three() -> None:
    services = compose()["services"]
    for name in DIXIAN:
        env = services[name]["environment"]
        assert env["DIXIAN_PG_URL"].startswith("postgresql://"), name
        assert env["DIXIAN_PRODUCER_KEYS_FILE"] == "/run/secrets/producer-keys", name
        assert "producer-keys" in services[name]["secrets"], name
        assert env["DIXIAN_REPLICATION_FACTOR"] == "3"
    assert services["intake"]["environment"]["DIXIAN_KAFKA_BOOTSTRAP"].count("kafka-") == 3
    assert compose()["secrets"]["producer-keys"]["file"] == "./producer-keys.json"
    assert json.loads((DEPLOY / "producer-keys.json").read_text()) == {}  # fill before start


def test_two_intake_workers_one_projections_process_and_the_web_app() -> None:
    services = compose()["services"]
    assert services["intake"]["deploy"]["replicas"] == 2
    assert services["intake"]["command"] == ["run", "--no-projections"]
    assert services["projections"]["deploy"]["replicas"] == 1
    assert services["projections"]["command"] == ["run", "--no-intake"]
    assert services["web"]["command"][0] == "serve"
    needs = services["intake"]["depends_on"]
    assert needs["topics"]["condition"] == "service_completed_successfully"
    assert needs["setup"]["condition"] == "service_completed_successfully"
    assert services["topics"]["depends_on"]["kafka-3"]["condition"] == "service_healthy"


def test_postgresql_archives_its_wal_for_point_in_time_recovery() -> None:
    command = " ".join(compose()["services"]["postgres"]["command"])
    assert "archive_mode=on" in command and "wal_level=replica" in command


def test_the_compose_environment_is_a_valid_settings_object() -> None:
    env = compose()["services"]["intake"]["environment"]
    values = {k.removeprefix("DIXIAN_").lower(): v for k, v in env.items()}
    s = Settings(**values)
    assert s.metrics_port == 9400 and s.replication_factor == 3


# --- Kubernetes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc",
    [d for d in manifests() if not d["apiVersion"].startswith(("kafka.", "monitoring."))],
    ids=lambda d: f"{d['kind']}/{d['metadata']['name']}",
)
def test_every_kubernetes_resource_is_valid_against_its_schema(doc: dict[str, Any]) -> None:
    kubernetes_validate.validate(doc, "1.30.0", strict=True)


def test_every_deployment_has_readiness_and_liveness_probes_on_its_health_endpoints() -> None:
    deployments = kind("Deployment")
    assert {d["metadata"]["name"] for d in deployments} == {
        "dixian-intake",
        "dixian-projections",
        "dixian-web",
    }
    for d in deployments:
        [c] = d["spec"]["template"]["spec"]["containers"]
        assert c["readinessProbe"]["httpGet"]["path"] == "/health/ready"
        assert c["livenessProbe"]["httpGet"]["path"] == "/health/live"


def test_the_projections_never_run_twice_and_the_intake_runs_two_workers() -> None:
    by_name = {d["metadata"]["name"]: d for d in kind("Deployment")}
    assert by_name["dixian-projections"]["spec"]["replicas"] == 1
    assert by_name["dixian-projections"]["spec"]["strategy"]["type"] == "Recreate"
    assert by_name["dixian-intake"]["spec"]["replicas"] == 2


def test_the_signing_key_is_a_secret_mounted_where_the_settings_read_it() -> None:
    [config] = [c for c in kind("ConfigMap") if c["metadata"]["name"] == "dixian-config"]
    key_file = Path(config["data"]["DIXIAN_AUDIT_KEY_FILE"])
    assert any(s["metadata"]["name"] == "dixian-audit-signing-key" for s in kind("Secret"))
    for d in kind("Deployment"):
        pod = d["spec"]["template"]["spec"]
        volume = next(v for v in pod["volumes"] if v["name"] == "audit-key")
        assert volume["secret"]["secretName"] == "dixian-audit-signing-key"
        [mount] = [m for m in pod["containers"][0]["volumeMounts"] if m["name"] == "audit-key"]
        assert mount["mountPath"] == str(key_file.parent) and mount["readOnly"]


def test_the_services_connect_with_sasl_over_tls_as_the_strimzi_listener_asks() -> None:
    [config] = [c for c in kind("ConfigMap") if c["metadata"]["name"] == "dixian-config"]
    env = config["data"]
    [cluster] = kind("Kafka")
    [listener] = cluster["spec"]["kafka"]["listeners"]
    assert listener["tls"] and listener["authentication"]["type"] == "scram-sha-512"
    assert env["DIXIAN_KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
    assert env["DIXIAN_KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
    assert env["DIXIAN_KAFKA_BOOTSTRAP"] == f"dixian-kafka-bootstrap:{listener['port']}"
    users = {u["metadata"]["name"] for u in kind("KafkaUser")}
    assert env["DIXIAN_KAFKA_SASL_USERNAME"] in users
    s = Settings(**{k.removeprefix("DIXIAN_").lower(): v for k, v in env.items()}
                 | {"kafka_sasl_password": "from the KafkaUser secret"})  # fmt: skip
    assert s.kafka_security_protocol == "SASL_SSL"


def test_strimzi_runs_three_kraft_nodes_and_the_topics_are_kept_forever_in_three_copies() -> None:
    [pool] = kind("KafkaNodePool")
    assert pool["spec"]["replicas"] == 3 and set(pool["spec"]["roles"]) == {"controller", "broker"}
    [cluster] = kind("Kafka")
    assert cluster["metadata"]["annotations"]["strimzi.io/kraft"] == "enabled"
    config = cluster["spec"]["kafka"]["config"]
    assert config["min.insync.replicas"] == 2 and config["default.replication.factor"] == 3
    assert config["auto.create.topics.enable"] is False
    topics = {
        t["spec"].get("topicName", t["metadata"]["name"]): t["spec"] for t in kind("KafkaTopic")
    }
    s = Settings()
    # as `dixian topics create` makes them: the intake's, each producer's rejected topic and
    # the operators' unattributed one, the witnesses' checkpoint topic
    assert set(topics) == {s.intake_topic, *s.rejected_topics().values(), s.checkpoint_topic}
    for name, spec in topics.items():
        partitions = s.intake_partitions if name == s.intake_topic else 1
        assert spec["replicas"] == 3 and spec["partitions"] == partitions, name
        assert spec["config"]["retention.ms"] == -1 and spec["config"]["min.insync.replicas"] == 2


def test_a_producer_reads_its_own_rejected_topic_and_no_other() -> None:
    users = {u["metadata"]["name"]: u["spec"]["authorization"]["acls"] for u in kind("KafkaUser")}
    readable = {
        (acl["resource"]["name"], acl["resource"]["patternType"])
        for acl in users["medical-insurance"]
        if acl["resource"]["type"] == "topic" and "Read" in acl["operations"]
    }
    assert readable == {(Settings().rejected_topics()["medical_insurance"], "literal")}
    witness = {acl["resource"]["name"] for acl in users["audit-witness"]}
    assert witness == {Settings().checkpoint_topic}


def test_every_alert_names_a_metric_the_processes_export() -> None:
    [rule] = kind("PrometheusRule")
    exported = {m.name for m in metrics.REGISTRY.collect()} | {"up"}
    for group in rule["spec"]["groups"]:
        for alert in group["rules"]:
            names = {
                n.removesuffix("_total").removesuffix("_count")
                for n in _metric_names(alert["expr"])
            }
            assert names and names <= exported, (alert["alert"], names - exported)


def _metric_names(expr: str) -> set[str]:
    import re

    return set(re.findall(r"\b(dixian_[a-z_]+|up)\b", expr))
