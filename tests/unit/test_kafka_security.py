"""Secured Kafka: the settings become the same security for every client (configuration
mapping; no broker that speaks SASL or TLS runs here — see docs/operations.md)."""

from __future__ import annotations

import datetime
import ssl
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pydantic import ValidationError

from services.adapters.kafka_security import kafka_kwargs, kafka_security, ssl_context
from services.entrypoints.intake_consumer import IntakeService
from services.settings import Settings


def _certificate(subject: str, key: Any, issuer: Any = None, issuer_key: Any = None) -> Any:
    now = datetime.datetime.now(datetime.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=issuer is None, path_length=None), critical=True)
        .sign(issuer_key or key, hashes.SHA256())
    )


@pytest.fixture
def pki(tmp_path: Path) -> dict[str, Path]:
    """A CA, and a client certificate with its key, as PEM files."""
    ca_key, client_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca = _certificate("dixian test CA", ca_key)
    client = _certificate("dixian-intake", client_key, ca, ca_key)
    files = {"ca": tmp_path / "ca.pem", "cert": tmp_path / "client.pem", "key": tmp_path / "k.pem"}
    files["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files["cert"].write_bytes(client.public_bytes(serialization.Encoding.PEM))
    files["key"].write_bytes(
        client_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return files


def sasl(protocol: str, mechanism: str, **more: Any) -> Settings:
    """Settings of a SASL connection as user `intake`, password `s3cret`."""
    return Settings(
        kafka_security_protocol=protocol,
        kafka_sasl_mechanism=mechanism,
        kafka_sasl_username="intake",
        kafka_sasl_password="s3cret",
        **more,
    )


def test_plaintext_is_the_default_and_adds_only_the_timeout() -> None:
    assert kafka_security(Settings()) is None
    assert kafka_kwargs(Settings(kafka_timeout_seconds=7)) == {"request_timeout_ms": 7000}


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_sasl_over_plaintext_names_the_mechanism_and_the_credentials(mechanism: str) -> None:
    s = sasl("SASL_PLAINTEXT", mechanism)
    kw = kafka_kwargs(s)
    assert kw["security_protocol"] == "SASL_PLAINTEXT"
    assert (kw["sasl_mechanism"], kw["sasl_plain_username"], kw["sasl_plain_password"]) == (
        mechanism,
        "intake",
        "s3cret",
    )
    assert kw["ssl_context"] is None


def test_sasl_over_tls_trusts_the_configured_ca_and_checks_the_hostname(
    pki: dict[str, Path],
) -> None:
    s = sasl("SASL_SSL", "SCRAM-SHA-512", kafka_ssl_ca_file=pki["ca"])
    kw = kafka_kwargs(s)
    assert kw["security_protocol"] == "SASL_SSL"
    context: ssl.SSLContext = kw["ssl_context"]
    assert context.check_hostname and context.verify_mode == ssl.CERT_REQUIRED
    assert [c["subject"] for c in context.get_ca_certs()] == [
        ((("commonName", "dixian test CA"),),)
    ]


def test_tls_with_a_client_certificate_loads_it_and_the_hostname_check_can_be_off(
    pki: dict[str, Path],
) -> None:
    s = Settings(
        kafka_security_protocol="SSL",
        kafka_ssl_ca_file=pki["ca"],
        kafka_ssl_cert_file=pki["cert"],
        kafka_ssl_key_file=pki["key"],
        kafka_ssl_check_hostname=False,
    )
    context = ssl_context(s)
    assert context is not None and not context.check_hostname
    assert kafka_kwargs(s)["security_protocol"] == "SSL"


def test_a_client_key_that_does_not_match_its_certificate_is_refused(
    pki: dict[str, Path], tmp_path: Path
) -> None:
    other = tmp_path / "other.pem"
    other.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    s = Settings(
        kafka_security_protocol="SSL", kafka_ssl_cert_file=pki["cert"], kafka_ssl_key_file=other
    )
    with pytest.raises(ssl.SSLError):
        ssl_context(s)


@pytest.mark.parametrize(
    "settings",
    [
        {"kafka_security_protocol": "SASL_SSL"},
        {"kafka_security_protocol": "SASL_PLAINTEXT", "kafka_sasl_mechanism": "PLAIN"},
        {"kafka_sasl_mechanism": "PLAIN", "kafka_sasl_username": "u"},
        {"kafka_ssl_cert_file": "client.pem"},
    ],
    ids=["sasl without a mechanism", "sasl without a user", "a mechanism without sasl",
         "a certificate without its key"],
)  # fmt: skip
def test_incomplete_security_settings_are_refused_at_start(settings: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Settings(**settings)


async def test_every_client_accepts_the_mapped_arguments(pki: dict[str, Path]) -> None:
    s = sasl("SASL_SSL", "SCRAM-SHA-256", kafka_ssl_ca_file=pki["ca"])
    kw = kafka_kwargs(s)
    # Each refuses, when built, a protocol without its context or an unknown mechanism.
    consumer = AIOKafkaConsumer(bootstrap_servers="kafka:9093", **kw)
    producer = AIOKafkaProducer(bootstrap_servers="kafka:9093", **kw)
    admin = AIOKafkaAdminClient(bootstrap_servers="kafka:9093", **kw)
    await consumer.stop()
    await producer.stop()
    await admin.close()
    with pytest.raises(ValueError):
        AIOKafkaAdminClient(bootstrap_servers="kafka:9093", **(kw | {"ssl_context": None}))


def test_the_intake_consumer_and_its_publisher_connect_with_the_same_security() -> None:
    s = sasl("SASL_PLAINTEXT", "SCRAM-SHA-512", kafka_timeout_seconds=9)
    broker = IntakeService.declare(s).broker
    # faststream keeps what it builds its producer and its consumers with (no public view)
    producer = broker._connection_kwargs  # type: ignore[attr-defined]
    consumer = broker.config.configs[0].builder.keywords  # type: ignore[attr-defined]
    for kw in (producer, consumer):
        assert (kw["security_protocol"], kw["sasl_mechanism"], kw["sasl_plain_username"]) == (
            "SASL_PLAINTEXT",
            "SCRAM-SHA-512",
            "intake",
        )
        assert kw["request_timeout_ms"] == 9000
