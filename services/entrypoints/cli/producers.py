"""`dixian producers keygen|sign` and the producer contract: what a department's developers
need — a key pair and the line for the producer-keys file, a signed message to test with,
and the AsyncAPI document (`dixian schemas write`)."""

from __future__ import annotations

import argparse
import base64
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from events.asyncapi import asyncapi_document
from events.catalog import CONTRACT_REASONS, EVENT_TYPES
from events.schema import Sources
from services.adapters.attestation import PRODUCER_HEADER, SIGNATURE_HEADER, public_key_b64, sign
from services.domain.errors import LIFECYCLE_REASONS
from services.entrypoints.cli.common import CommandError, print_json
from services.settings import Settings

_SCHEMES = {"PLAIN": "plain", "SCRAM-SHA-256": "scramSha256", "SCRAM-SHA-512": "scramSha512"}


def sources_by_type(settings: Settings) -> Sources:
    """event type → the sources the permissions let send it."""
    matrix = settings.permissions().matrix
    return {t: sorted(s for s, types in matrix.items() if t in types) for t in EVENT_TYPES}


def server_of(settings: Settings) -> dict[str, Any]:
    """The cluster as producers reach it, with its security scheme (no secrets)."""
    protocol = settings.kafka_security_protocol
    server: dict[str, Any] = {
        "host": (settings.kafka_bootstrap or "kafka:9092").split(",")[0],
        "protocol": "kafka-secure" if protocol.endswith("SSL") else "kafka",
        "description": f"Kafka ({protocol}); ask the operators for the bootstrap address and "
        "your credentials.",
    }
    if settings.kafka_sasl_mechanism:
        server["security"] = {
            "type": _SCHEMES[settings.kafka_sasl_mechanism],
            "description": f"SASL {settings.kafka_sasl_mechanism}, one user per producer.",
        }
    elif settings.kafka_ssl_cert_file:
        server["security"] = {"type": "X509", "description": "TLS client certificates."}
    return server


def demo_key(source: str) -> Ed25519PrivateKey:
    """A fixed key per source for the document's examples (never a real one)."""
    seed = (source.encode() * 32)[:32]
    return Ed25519PrivateKey.from_private_bytes(seed)


def examples() -> dict[str, dict[str, Any]]:
    """One accepted message of each event type, from the demo village as a live message (no
    import_batch), signed with a demo key over its compact serialization (a development
    tool, imported only here)."""
    from services.devtools.village import village_messages

    found: dict[str, dict[str, Any]] = {}
    for m in village_messages("EXAMPLE"):
        if m.expect != "accepted":
            continue
        body = json.loads(m.value)
        if body["event_type"] in found:
            continue
        body.pop("import_batch", None)  # the village is a declared import; a producer sends live
        value = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        source = body["source_system"]
        headers = dict(sign(demo_key(source), source, value))
        found[body["event_type"]] = {
            "payload": body,
            "headers": {k: v.decode() for k, v in headers.items()},
        }
    return found


def contract_document(settings: Settings) -> dict[str, Any]:
    """The AsyncAPI 3 document of the intake as these settings run it."""
    return asyncapi_document(
        sources_by_type(settings),
        intake_topic=settings.intake_topic,
        rejected_topics=settings.rejected_topics(),
        intake_group=settings.intake_group,
        partitions=settings.intake_partitions,
        replicas=settings.replication_factor,
        reason_codes=[*CONTRACT_REASONS, *LIFECYCLE_REASONS],
        server=server_of(settings),
        examples=examples(),
    )


def keygen(source: str, directory: Path) -> tuple[Path, str]:
    """Write SOURCE.key (PEM, PKCS#8, kept by the producer) and SOURCE.pub (base64, raw);
    return the private key's path and the producer-keys file's line."""
    directory.mkdir(parents=True, exist_ok=True)
    private = directory / f"{source}.key"
    if private.exists():
        raise CommandError("KEY_EXISTS", f"{private} exists; remove it or choose --out")
    key = Ed25519PrivateKey.generate()
    private.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    private.chmod(0o600)
    public = public_key_b64(key)
    (directory / f"{source}.pub").write_text(public + "\n")
    return private, json.dumps({source: public})[1:-1]


def load_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise CommandError("FILE_NOT_FOUND", f"no key file {path}") from None
    except (ValueError, TypeError) as e:
        raise CommandError("KEY_INVALID", f"{path} is not a PEM private key: {e}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise CommandError("KEY_INVALID", f"{path} is not an Ed25519 key")
    return key


def cmd_producers(settings: Settings, args: argparse.Namespace) -> int:
    if args.what == "keygen":
        private, line = keygen(args.source, args.out)
        print(f"private key (keep it with the producer, never share it): {private}")
        print(f"public key: {private.with_suffix('.pub')}")
        print("add this entry to the producer-keys file (DIXIAN_PRODUCER_KEYS_FILE):")
        print(f"  {line}")
        return 0
    try:
        value = args.file.read_bytes()
    except FileNotFoundError:
        raise CommandError("FILE_NOT_FOUND", f"no message file {args.file}") from None
    key = load_key(args.key)
    try:
        source = args.source or json.loads(value)["source_system"]
    except (ValueError, KeyError, TypeError):
        raise CommandError(
            "SOURCE_MISSING", "the file has no source_system; give --source"
        ) from None
    headers = dict(sign(key, source, value))
    print_json(
        {
            "key": args.message_key,
            "headers": {
                PRODUCER_HEADER: headers[PRODUCER_HEADER].decode(),
                SIGNATURE_HEADER: headers[SIGNATURE_HEADER].decode(),
            },
            "value_bytes": len(value),
            "value_base64": base64.b64encode(value).decode() if args.with_value else None,
        }
    )
    return 0


def add_producers_parser(sub: Any) -> None:
    producers = sub.add_parser("producers", help="a producer's key pair; sign a test message")
    steps = producers.add_subparsers(dest="what", required=True)
    keygen_ = steps.add_parser("keygen", help="make a producer's Ed25519 key pair")
    keygen_.add_argument("source", help="the source system, e.g. medical_insurance")
    keygen_.add_argument("--out", type=Path, default=Path("."), help="where to write the keys")
    sign_ = steps.add_parser("sign", help="the signature headers of a message file")
    sign_.add_argument("file", type=Path, help="the message value, exactly the bytes to send")
    sign_.add_argument("--key", type=Path, required=True, help="the producer's private key")
    sign_.add_argument("--source", help="the producer (default: the file's source_system)")
    sign_.add_argument("--message-key", help="the Kafka key to show with it (household_id)")
    sign_.add_argument("--with-value", action="store_true", help="also the value, base64")
    producers.set_defaults(func=cmd_producers)
