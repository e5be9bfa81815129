"""How every Kafka client of dixian connects: the settings' SASL and TLS as faststream's
security object and as aiokafka's keyword arguments — one mapping for the intake's broker,
its publisher, the topics' admin client, the lag reader and the development tools."""

from __future__ import annotations

import ssl
from typing import Any

from faststream.kafka.security import parse_security
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512

from services.settings import Settings

_SASL = {"PLAIN": SASLPlaintext, "SCRAM-SHA-256": SASLScram256, "SCRAM-SHA-512": SASLScram512}


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """The TLS context of SSL and SASL_SSL: the configured CA (or the system's), the
    client certificate if one is given, and the hostname check as configured."""
    if not settings.kafka_security_protocol.endswith("SSL"):
        return None
    ca = settings.kafka_ssl_ca_file
    context = ssl.create_default_context(cafile=str(ca) if ca else None)
    context.check_hostname = settings.kafka_ssl_check_hostname
    if settings.kafka_ssl_cert_file and settings.kafka_ssl_key_file:
        password = settings.kafka_ssl_key_password
        context.load_cert_chain(
            str(settings.kafka_ssl_cert_file),
            str(settings.kafka_ssl_key_file),
            password.get_secret_value() if password else None,
        )
    return context


def kafka_security(settings: Settings) -> BaseSecurity | None:
    """The settings as faststream's security (which also documents it in AsyncAPI)."""
    protocol = settings.kafka_security_protocol
    if protocol == "PLAINTEXT":
        return None
    context = ssl_context(settings)
    if protocol == "SSL":
        return BaseSecurity(ssl_context=context, use_ssl=True)
    password = settings.kafka_sasl_password
    return _SASL[settings.kafka_sasl_mechanism or "PLAIN"](
        username=settings.kafka_sasl_username or "",
        password=password.get_secret_value() if password else "",
        ssl_context=context,
        use_ssl=protocol == "SASL_SSL",
    )


def kafka_kwargs(settings: Settings) -> dict[str, Any]:
    """What every aiokafka client is built with: security and the request timeout."""
    return {
        "request_timeout_ms": int(settings.kafka_timeout_seconds * 1000),
        **parse_security(kafka_security(settings)),
    }
