"""A department's producer for dixian, in Python with confluent-kafka (librdkafka).

    pip install confluent-kafka cryptography
    python producer.py --bootstrap kafka:9092 --key medical_insurance.key \
        --source medical_insurance --household 610326101201K1001

It sends one signed department_risk_alert_pushed event, then reads this producer's own
rejected topic (dixian.rejected.SOURCE: only its own messages, and only it may read them)
for what the intake refused. The test suite runs it
(tests/e2e/test_second_client.py). Only the standard library, confluent-kafka and
cryptography: copy it as it is.
"""

from __future__ import annotations

import argparse
import base64
import json
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaException, Producer, TopicPartition
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

CHINA = timezone(timedelta(hours=8))


def risk_alert(household_id: str, source: str, alert_id: str, day: str) -> dict[str, Any]:
    """One event: the envelope (asyncapi.json, components.schemas) and its payload."""
    now = datetime.now(CHINA).isoformat(timespec="seconds")
    return {
        # A new id per event; resend an event only with the very same bytes.
        "event_id": str(uuid.uuid4()),
        "event_type": "department_risk_alert_pushed",
        "schema_version": 1,
        "household_id": household_id,
        "occurred_at": f"{day}T09:00:00+08:00",  # when it happened in the world
        "recorded_at": now,  # when your system recorded it
        "source_system": source,
        "actor": {"person_id": f"{source}-system", "role": "department_system"},
        "payload": {
            "alert_id": alert_id,
            "department": source,  # a department reports only as itself
            "risk_type": "illness",
            "risk_arose_on": day,
            "pushed_on": day,
            "details": "hospital costs above the threshold",
        },
    }


def load_key(path: str) -> Ed25519PrivateKey:
    with open(path, "rb") as f:
        key = load_pem_private_key(f.read(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SystemExit(f"{path} is not an Ed25519 key")
    return key


def signed(key: Ed25519PrivateKey, source: str, value: bytes) -> list[tuple[str, bytes]]:
    """The two headers: who signs, and the Ed25519 signature over the value's bytes."""
    return [
        ("dixian-producer", source.encode()),
        ("dixian-signature", base64.b64encode(key.sign(value))),
    ]


def send(
    config: dict[str, Any], topic: str, key: Ed25519PrivateKey, source: str, events: list[Any]
) -> list[tuple[int, int]]:
    """Produce each event (a dict, or raw bytes to send as they are), keyed by its household,
    signed; wait until the cluster has them all; return (partition, offset) of each."""
    producer = Producer({**config, "acks": "all", "enable.idempotence": True})
    delivered: list[tuple[int, int]] = []
    errors: list[str] = []

    def done(err: Any, msg: Any) -> None:
        if err is not None:
            errors.append(str(err))
        else:
            delivered.append((msg.partition(), msg.offset()))

    for event in events:
        if isinstance(event, bytes):
            value, household = event, json.loads(event)["household_id"]
        else:
            # Serialize once, sign those bytes, send those bytes.
            value = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
            household = event["household_id"]
        producer.produce(
            topic,
            value=value,
            key=household.encode(),
            headers=signed(key, source, value),
            on_delivery=done,
        )
    producer.flush(30)
    if errors or len(delivered) != len(events):
        raise KafkaException(f"not delivered: {errors or 'timeout'}")
    return delivered


def rejections(
    config: dict[str, Any], topic: str, want: int, timeout: float = 60.0
) -> list[dict[str, Any]]:
    """The rejections on this producer's own rejected topic (read from the start, with
    assigned partitions: no group rebalance, nothing committed). Every one is of a message
    this producer sent: signed with its key (or, on a cluster without producer keys,
    naming it as source_system)."""
    consumer = Consumer({**config, "group.id": f"{topic}-reader", "enable.auto.commit": False})
    try:
        metadata = consumer.list_topics(topic, timeout=10)
        partitions = metadata.topics[topic].partitions
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
        found: list[dict[str, Any]] = []
        deadline = datetime.now().timestamp() + timeout
        while len(found) < want and datetime.now().timestamp() < deadline:
            msg = consumer.poll(1.0)
            if msg is None or msg.error():
                continue
            found.append(json.loads(msg.value()))
        return found
    finally:
        consumer.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bootstrap", required=True)
    p.add_argument("--key", required=True, help="the private key from `dixian producers keygen`")
    p.add_argument("--source", required=True)
    p.add_argument("--household", required=True)
    p.add_argument("--topic", default="dixian.household-events")
    p.add_argument(
        "--rejected-prefix", default="dixian.rejected", help="your rejections: PREFIX.SOURCE"
    )
    args = p.parse_args()
    config = {"bootstrap.servers": args.bootstrap}
    # Secured cluster: add e.g. "security.protocol": "SASL_SSL", "sasl.mechanism":
    # "SCRAM-SHA-512", "sasl.username", "sasl.password", "ssl.ca.location".
    event = risk_alert(
        args.household,
        args.source,
        f"ALERT-{uuid.uuid4().hex[:8]}",
        datetime.now(CHINA).date().isoformat(),
    )
    [(partition, offset)] = send(config, args.topic, load_key(args.key), args.source, [event])
    print(f"sent {event['event_id']} to {args.topic}[{partition}]@{offset}")
    for r in rejections(config, f"{args.rejected_prefix}.{args.source}", want=0, timeout=5):
        print(f"rejected {r['event_id']}: {r['reason_code']}: {r['reason']}")


if __name__ == "__main__":
    main()
