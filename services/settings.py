"""The one typed settings object of dixian, read from DIXIAN_* environment variables."""

from __future__ import annotations

import base64
import json
from datetime import time, timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from psycopg.conninfo import conninfo_to_dict
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from events.monitoring_lines import MonitoringLines
from events.rejection import UNATTRIBUTED
from services.adapters.attestation import ProducerKeys
from services.adapters.audit_log import Signer, public_key_of, read_private_key
from services.domain.compliance.params import ComplianceParams
from services.domain.permissions import Permissions
from services.domain.rules import LifecycleRules
from services.kafka_connection import KafkaConnection
from services.usecases.intake.edge import EdgeLimits

__all__ = ["UNATTRIBUTED", "Settings"]  # UNATTRIBUTED: the contract's, named here too


class Settings(KafkaConnection):
    """Every knob of the services. Defaults are the seed's numbers or safe local values."""

    model_config = SettingsConfigDict(
        env_prefix="DIXIAN_", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    pg_url: str | None = Field(
        default=None,
        description="PostgreSQL connection URL; unset means the embedded server (demo only).",
    )
    pg_pool_size: int = Field(
        default=4,
        ge=1,
        description="Connections of a process's event-store pool (as many again on demand).",
    )
    kafka_bootstrap: str | None = Field(
        default=None,
        description="Kafka bootstrap servers; unset means the embedded Tansu broker (demo only).",
    )
    kafka_timeout_seconds: float = Field(
        default=15,
        gt=0,
        description="How long a Kafka request (and a command's connection) may take before it "
        "fails with KAFKA_UNREACHABLE.",
    )
    pg_connect_timeout_seconds: int = Field(
        default=10,
        ge=1,
        description="How long a PostgreSQL connection may take before it fails "
        "(DATABASE_UNREACHABLE on the command line).",
    )
    intake_topic: str = Field(default="dixian.household-events", description="Intake topic.")
    rejected_topic: str = Field(
        default="dixian.rejected",
        description="Prefix of the rejections' topics: each producer's go to PREFIX.SOURCE, "
        "so Kafka's ACLs can give a department its own only; PREFIX.unattributed holds what "
        "no producer can be told of (unsigned and unreadable) for the operators.",
    )
    intake_partitions: int = Field(default=6, ge=1, description="Partitions of both topics.")
    replication_factor: int = Field(default=1, ge=1, description="Replicas of each topic.")
    intake_group: str = Field(default="dixian-intake", description="Intake consumer group.")
    batch_max_records: int = Field(default=5000, ge=1, description="Most messages per batch.")
    batch_timeout_ms: int = Field(default=200, ge=1, description="Longest wait to fill a batch.")
    max_message_bytes: int = Field(
        default=1024 * 1024, ge=1024, description="Largest message the intake reads (bytes)."
    )
    max_json_depth: int = Field(default=64, ge=8, description="Deepest JSON nesting accepted.")
    max_text_chars: int = Field(
        default=10_000, ge=100, description="Longest text (a note, a name) in a message."
    )
    max_members: int = Field(default=100, ge=1, description="Most members in a registration.")
    future_skew_seconds: float = Field(
        default=600,
        ge=0,
        description="How far ahead of the intake's clock a producer's clock may run; a time "
        "or date later than that is OCCURRED_IN_FUTURE.",
    )
    rejected_max_bytes: int = Field(
        default=900_000,
        ge=1024,
        description="Largest rejection published whole on the rejected topic; a larger one is "
        "published as a notice (id, code, size, SHA-256) and read with "
        "`dixian rejected --show ID --value-to FILE`.",
    )
    historical_imports: frozenset[str] = Field(
        default=frozenset(),
        description="The declared historical imports the intake accepts, by batch id (the "
        "envelope's import_batch; '*': any — for the demo and the simulator only).",
    )
    intake_instance_id: str | None = Field(
        default=None,
        description="Static group membership (e.g. the pod's name): a restarted worker takes "
        "its partitions back at once, without a rebalance.",
    )
    intake_session_timeout_ms: int = Field(
        default=10_000,
        ge=1000,
        description="How soon the group gives a dead worker's partitions away.",
    )
    aggregate_cache_size: int = Field(  # ~2.5 KB each: a county of 100,000 fits
        default=150_000, ge=0, description="Household aggregates kept in memory per worker."
    )
    min_notice_days: int = Field(
        default=5, ge=0, description="R4.1: the fewest days a village public notice runs."
    )
    monitoring_lines_file: Path | None = Field(
        default=None, description="JSON list of monitoring lines; unset: the seed's 7,300 yuan."
    )
    permissions_file: Path | None = Field(
        default=None, description="JSON producer permissions; unset: the default matrix."
    )
    places_file: Path | None = Field(
        default=None,
        description="The county's place names: JSON {code: name} or CSV code,name (county 6 "
        "digits, township 9, village 12); unset: the names registrations carry, else codes.",
    )
    producer_keys_file: Path | None = Field(
        default=None,
        description="JSON source → Ed25519 public key; set, every message must be signed.",
    )
    snapshot_interval: int = Field(
        default=10, ge=1, description="A household snapshot every this many of its events."
    )
    projection_batch_size: int = Field(default=5000, ge=1, description="Events per batch.")
    projection_poll_ms: int = Field(default=100, ge=1, description="Idle wait of projections.")
    audit_key_file: Path | None = Field(
        default=None,
        description="The audit log's Ed25519 key (base64 seed); unset: DATA_DIR/audit-signing.key,"
        " created on first use.",
    )
    audit_origin: str = Field(
        default="dixian/local",
        description="The log's name in its signed checkpoints, e.g. dixian/610326 (a county).",
    )
    audit_public_key: str | None = Field(
        default=None,
        description="The key (base64) `audit verify` trusts; unset: the public half of "
        "AUDIT_KEY_FILE. Give inspectors this key, not the database's word for it.",
    )
    checkpoint_topic: str = Field(
        default="dixian.audit-checkpoints",
        description="Where each signed checkpoint goes for the witnesses (kept forever).",
    )
    cosignature_topic: str = Field(
        default="dixian.audit-cosignatures",
        description="Where the witnesses send back their co-signatures of the checkpoints.",
    )
    witness_keys_file: Path | None = Field(
        default=None,
        description="JSON {witness name: Ed25519 public key (base64)}: the witnesses whose "
        "co-signatures are collected and shown; unset: none is trusted.",
    )
    audit_checkpoint_seconds: float = Field(
        default=300, gt=0, description="How often the running services sign a checkpoint."
    )
    reader: str | None = Field(
        default=None, description="Who reads personal information through the CLI (recorded)."
    )
    read_purpose: str | None = Field(
        default=None, description="Why they read it (recorded with every read)."
    )
    compliance: ComplianceParams = Field(
        default_factory=ComplianceParams,
        description="The campaign rules' parameters: DIXIAN_COMPLIANCE__<NAME>, e.g. "
        "DIXIAN_COMPLIANCE__PLAN_WITHIN_DAYS=10 (see services/domain/compliance/params.py).",
    )
    sweep_workers: int = Field(
        default=0, ge=0, description="Processes a sweep checks households in (0: one per core)."
    )
    sweep_daily: bool = Field(
        default=True, description="`dixian run` sweeps every day (`dixian sweep`: any day)."
    )
    sweep_daily_at: time = Field(
        default=time(2, 0), description="When, UTC+8: as of the day that ended before."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO",
        description="The services' log level (the command line logs WARNING and above).",
    )
    log_format: Literal["json", "text"] = Field(
        default="json",
        description="json: one JSON object per line; text: time, level, logger, message, and "
        "the line's fields as key=value.",
    )
    metrics_port: int | None = Field(
        default=None,
        ge=0,
        le=65535,
        description="Port of the process's HTTP server: /metrics (Prometheus), /health/live, "
        "/health/ready; unset: none (0: any free port).",
    )
    metrics_host: str = Field(
        default="0.0.0.0", description="Address the metrics and health server listens on."
    )
    display_timezone: str = Field(
        default="Asia/Shanghai",
        description="The time zone of every time the command line shows (ISO 8601 with its "
        "offset in JSON).",
    )
    data_dir: Path = Field(
        default=Path(".dixian"), description="Where the embedded servers keep their files."
    )
    http_host: str = Field(default="127.0.0.1", description="`dixian serve` listens here.")
    http_port: int = Field(default=8000, ge=1, le=65535, description="… on this port.")
    http_forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="Proxies trusted for X-Forwarded-Proto/For (TLS ends there: HSTS is sent).",
    )
    http_max_body_bytes: int = Field(
        default=1024 * 1024, ge=1024, description="Largest request body but an evidence upload."
    )
    http_request_timeout_seconds: float = Field(
        default=30, gt=0, description="A request not answered by then gets 504."
    )
    http_projections: bool = Field(
        default=True,
        description="`dixian serve` keeps the projections up to date in its own threads too "
        "(so a close-out shows in the problem list at once); off where `dixian run` does it.",
    )
    http_workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="`dixian serve`'s worker processes (with more than one, the projections "
        "are left to `dixian run`).",
    )
    http_in_run: bool = Field(
        default=False, description="`dixian run` serves the HTTP API too (on HTTP_HOST:PORT)."
    )
    session_cookie_name: str = Field(default="dixian_session", description="Session cookie.")
    session_cookie_secure: bool = Field(
        default=True, description="Secure cookies (browsers send them to 127.0.0.1 as well)."
    )
    session_ttl_seconds: int = Field(
        default=8 * 3600, ge=60, description="How long a browser session lasts."
    )
    token_ttl_seconds: int = Field(
        default=3600, ge=60, le=7 * 86400, description="How long a bearer token lasts."
    )
    login_max_failures: int = Field(
        default=5, ge=1, description="Failed logins (per name, and ×4 per client) in the window."
    )
    login_window_seconds: float = Field(
        default=300, gt=0, description="The window over which failed logins are counted."
    )
    upload_dir: Path | None = Field(
        default=None, description="Where evidence files are kept; unset: DATA_DIR/evidence."
    )
    upload_max_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1024, description="Largest evidence file (photo, scan, PDF)."
    )
    projection_stall_seconds: float = Field(
        default=300, gt=0, description="/health/ready: a projection behind and idle this long."
    )
    oidc_issuer: str | None = Field(
        default=None, description="OpenID Connect provider (e.g. a Keycloak realm's URL)."
    )
    oidc_client_id: str | None = Field(default=None, description="This app's client id there.")
    oidc_client_secret: str | None = Field(default=None, description="… and its secret.")
    oidc_redirect_uri: str | None = Field(
        default=None, description="…/api/auth/oidc/callback as the provider knows it."
    )
    oidc_name_claim: str = Field(
        default="preferred_username", description="The claim that names the account."
    )
    oidc_role_claim: str = Field(default="dixian_role", description="The claim with the role.")
    oidc_scope_claim: str = Field(
        default="dixian_scope", description="The claim with the scope (a region code)."
    )
    oidc_roles: dict[str, str] = Field(
        default_factory=dict,
        description="The provider's role names → dixian's roles (JSON); unmapped: as they are.",
    )

    @field_validator("pg_url", "kafka_bootstrap", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("display_timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {name!r} (e.g. Asia/Shanghai)") from None
        return name

    @model_validator(mode="after")
    def _kafka_security_is_complete(self) -> Settings:
        sasl = self.kafka_security_protocol.startswith("SASL_")
        if sasl and not (self.kafka_sasl_mechanism and self.kafka_sasl_username):
            raise ValueError(
                f"KAFKA_SECURITY_PROTOCOL={self.kafka_security_protocol} needs "
                "KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD"
            )
        if not sasl and self.kafka_sasl_mechanism:
            raise ValueError("KAFKA_SASL_MECHANISM needs KAFKA_SECURITY_PROTOCOL SASL_*")
        if bool(self.kafka_ssl_cert_file) != bool(self.kafka_ssl_key_file):
            raise ValueError("KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together")
        return self

    def zone(self) -> ZoneInfo:
        """The time zone of what the command line shows."""
        return ZoneInfo(self.display_timezone)

    def effective(self) -> dict[str, Any]:
        """The settings as the services run with them, secrets left out (logged at start)."""
        values = self.model_dump(mode="json", exclude={"compliance"})
        if self.pg_url:
            params = self.pg_params()
            params.pop("password", None)
            values["pg_url"] = " ".join(f"{k}={v}" for k, v in sorted(params.items()))
        for name, value in values.items():
            if isinstance(getattr(self, name), SecretStr):
                values[name] = "**********" if value else None
        return values

    def lifecycle_rules(self) -> LifecycleRules:
        lines = (
            MonitoringLines.from_file(self.monitoring_lines_file)
            if self.monitoring_lines_file
            else MonitoringLines()
        )
        return LifecycleRules(min_notice_days=self.min_notice_days, lines=lines)

    def edge_limits(self) -> EdgeLimits:
        return EdgeLimits(
            max_message_bytes=self.max_message_bytes,
            max_depth=self.max_json_depth,
            max_text_chars=self.max_text_chars,
            max_members=self.max_members,
            future_skew=timedelta(seconds=self.future_skew_seconds),
        )

    def compliance_params(self) -> ComplianceParams:
        """The rules' parameters with the monitoring lines and notice minimum the intake uses."""
        rules = self.lifecycle_rules()
        return self.compliance.model_copy(
            update={"lines": rules.lines, "min_notice_days": rules.min_notice_days}
        )

    def rejected_topics(self) -> dict[str, str]:
        """source → its rejected topic, and `unattributed` → the operators'."""
        sources = [*sorted(self.permissions().matrix), UNATTRIBUTED]
        return {source: f"{self.rejected_topic}.{source}" for source in sources}

    def permissions(self) -> Permissions:
        if self.permissions_file:
            return Permissions.from_file(self.permissions_file)
        return Permissions()

    def producer_keys(self) -> ProducerKeys | None:
        return ProducerKeys.from_file(self.producer_keys_file) if self.producer_keys_file else None

    def evidence_dir(self) -> Path:
        return self.upload_dir or self.data_dir / "evidence"

    def witness_keys(self) -> dict[str, bytes]:
        """The registered witnesses' keys (name → raw Ed25519 public key)."""
        if self.witness_keys_file is None:
            return {}
        keys = json.loads(self.witness_keys_file.read_text())
        return {str(name): base64.b64decode(key) for name, key in keys.items()}

    def signing_key_file(self) -> Path:
        return self.audit_key_file or self.data_dir / "audit-signing.key"

    def signer(self) -> Signer:
        return Signer(self.signing_key_file(), self.audit_origin)

    def verifying_key(self) -> str | None:
        """The key verification trusts: configured, or the signing key's (never a row's)."""
        if self.audit_public_key:
            return self.audit_public_key
        key_file = self.signing_key_file()
        return public_key_of(read_private_key(key_file)) if key_file.exists() else None

    def pg_params(self) -> dict[str, str]:
        """The connection parameters of pg_url as a dict (host may be a socket directory)."""
        if self.pg_url is None:
            raise RuntimeError("DIXIAN_PG_URL is not set and no embedded server was started")
        return {k: str(v) for k, v in conninfo_to_dict(self.pg_url).items()}

    def eventsourcing_env(self) -> dict[str, str]:
        """The environment the eventsourcing library reads to reach PostgreSQL."""
        p = self.pg_params()
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": p.get("dbname", "postgres"),
            "POSTGRES_HOST": p.get("host", "127.0.0.1"),
            "POSTGRES_PORT": p.get("port", "5432"),
            "POSTGRES_USER": p.get("user", "postgres"),
            "POSTGRES_PASSWORD": p.get("password", ""),
            "POSTGRES_CONNECT_TIMEOUT": str(self.pg_connect_timeout_seconds),
            "POSTGRES_POOL_SIZE": str(self.pg_pool_size),
            "POSTGRES_MAX_OVERFLOW": str(self.pg_pool_size),
            # Left off on purpose: with it, tailing readers can skip events under
            # concurrent writers (see DEVELOPERS.md, known traps).
            "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
        }
