"""Attribution from the system, not the payload: a producer signs each message's bytes with
its Ed25519 key, and the intake records as the source the producer whose key verifies —
so a producer cannot claim to be another.

Headers: `dixian-producer` (the source system's name) and `dixian-signature` (base64 of the
Ed25519 signature over the message value). The public keys are configuration
(DIXIAN_PRODUCER_KEYS_FILE: a JSON object source → base64 public key). Without it, nothing
is checked and every stored event says `attestation: "unverified"`.
"""

from __future__ import annotations

import base64
import binascii
import json
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from events.catalog import ContractViolation

PRODUCER_HEADER = "dixian-producer"
SIGNATURE_HEADER = "dixian-signature"
UNVERIFIED = "unverified"


class ProducerKeys:
    """The public key of every producing system."""

    def __init__(self, keys: dict[str, str]) -> None:
        self.keys = {
            s: Ed25519PublicKey.from_public_bytes(base64.b64decode(k)) for s, k in keys.items()
        }

    @classmethod
    def from_file(cls, path: Path) -> ProducerKeys:
        return cls(json.loads(path.read_text()))

    def attest(self, value: bytes, headers: tuple[tuple[str, bytes], ...]) -> str:
        """The producer whose signature covers `value`, or ContractViolation."""
        found = dict(headers)
        producer, signature = found.get(PRODUCER_HEADER), found.get(SIGNATURE_HEADER)
        if producer is None or signature is None:
            raise ContractViolation(
                "SIGNATURE_MISSING", f"sign the message: {PRODUCER_HEADER}, {SIGNATURE_HEADER}"
            )
        name = producer.decode("utf-8", "replace")
        key = self.keys.get(name)
        if key is None:
            raise ContractViolation("SOURCE_UNKNOWN", f"no key for producer {name!r}")
        try:
            key.verify(base64.b64decode(signature, validate=True), value)
        except (InvalidSignature, binascii.Error, ValueError):
            raise ContractViolation(
                "SIGNATURE_INVALID", f"the signature is not {name}'s over these bytes"
            ) from None
        return name


def sign(key: Ed25519PrivateKey, producer: str, value: bytes) -> list[tuple[str, bytes]]:
    """The headers a producer adds to a message (what its client library does)."""
    return [
        (PRODUCER_HEADER, producer.encode()),
        (SIGNATURE_HEADER, base64.b64encode(key.sign(value))),
    ]


def public_key_b64(key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


class ProducerKeyring:
    """Producer-side keys (what each department's client holds), for the demo and tests:
    signs each message as the system its envelope names."""

    def __init__(self, sources: list[str]) -> None:
        self.private = {s: Ed25519PrivateKey.generate() for s in sources}

    def public_keys(self) -> dict[str, str]:
        return {s: public_key_b64(k) for s, k in self.private.items()}

    def write_public_keys(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.public_keys(), indent=2))
        return path

    def headers(self, value: bytes, producer: str | None = None) -> list[tuple[str, bytes]]:
        """Sign as `producer`, or as the source the envelope names (village_app if none)."""
        if producer is None:
            try:
                producer = str(json.loads(value).get("source_system", "village_app"))
            except (ValueError, AttributeError):
                producer = "village_app"
        return sign(self.private[producer], producer, value)
