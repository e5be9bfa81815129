"""How every Kafka client of the services connects (TLS, SASL): the part of the settings
(`services.settings.Settings`, which has these fields) that services.adapters.kafka_security
turns into the clients' arguments."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class KafkaConnection(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DIXIAN_", extra="ignore", frozen=True)

    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        default="PLAINTEXT",
        description="How every Kafka client connects: SSL and SASL_SSL use TLS; the SASL ones "
        "authenticate with KAFKA_SASL_MECHANISM.",
    )
    kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = Field(
        default=None, description="The SASL mechanism (required with SASL_PLAINTEXT/SASL_SSL)."
    )
    kafka_sasl_username: str | None = Field(default=None, description="The SASL user.")
    kafka_sasl_password: SecretStr | None = Field(
        default=None, description="The SASL password (never logged)."
    )
    kafka_ssl_ca_file: Path | None = Field(
        default=None,
        description="PEM file of the CA that signed the brokers' certificates "
        "(unset: the system's trusted CAs).",
    )
    kafka_ssl_cert_file: Path | None = Field(
        default=None, description="PEM client certificate, for brokers that ask for one (mTLS)."
    )
    kafka_ssl_key_file: Path | None = Field(
        default=None, description="PEM private key of the client certificate."
    )
    kafka_ssl_key_password: SecretStr | None = Field(
        default=None, description="Password of the client key, if it is encrypted."
    )
    kafka_ssl_check_hostname: bool = Field(
        default=True, description="Check that a broker's certificate names the host dialled."
    )
