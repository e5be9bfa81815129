"""The witnesses' co-signatures, back on the county's side: each witness sends the notes it
co-signed to the co-signature topic; the running services collect those of registered
witnesses (WITNESS_KEYS_FILE) and the audit page shows, for each checkpoint, who witnessed
it. A co-signature is kept only if the witness's signature verifies and the note is one of
this log's own checkpoints, signed by the log's key: nothing the county did not sign, and
nothing a witness did not see, is shown as witnessed. What a witness holds stays its own
proof (`dixian audit verify --against`); this is what the county and everyone else can see
of it."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from services.adapters.eventstore import EventStore
from services.adapters.kafka_security import kafka_kwargs
from services.domain.audit.offline import parse_checkpoint, verify_note
from services.settings import Settings
from services.usecases.audit.witness import Witness

log = logging.getLogger("dixian.audit")

DDL = """
CREATE TABLE IF NOT EXISTS audit_cosignatures (
    witness text NOT NULL,
    tree_size bigint NOT NULL,
    root_hash text NOT NULL,
    note text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (witness, tree_size)
);
CREATE TABLE IF NOT EXISTS audit_cosignature_positions (
    partition integer PRIMARY KEY,
    next_offset bigint NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Cosignature:
    witness: str
    tree_size: int
    root_hash: str
    note: str


def cosignature_message(witness: str, note: str) -> bytes:
    """What a witness sends back: its name and the note with its signature under the log's."""
    return json.dumps({"witness": witness, "note": note}, ensure_ascii=False).encode()


def checked(raw: bytes, witness_keys: dict[str, bytes], signed: set[str]) -> Cosignature | str:
    """A co-signature message checked, or why it is not kept (a stable code). `signed`: the
    signed texts of the log's checkpoints (each checked against the log's trusted keys by
    `audit verify`)."""
    try:
        message = json.loads(raw)
        name, note = str(message["witness"]), str(message["note"])
    except (ValueError, KeyError, TypeError):
        return "UNREADABLE"
    key = witness_keys.get(name)
    if key is None:
        return "WITNESS_NOT_REGISTERED"
    try:
        text = verify_note(note, key, name)
        checkpoint = parse_checkpoint(text)
    except (ValueError, KeyError):
        return "SIGNATURE_INVALID"
    if text not in signed:
        return "NOT_THIS_LOG"
    return Cosignature(name, int(checkpoint["tree_size"]), checkpoint["root_hash"], note)


async def publish_cosignatures(settings: Settings, witness: str, notes: list[str]) -> int:
    """A witness sends back the notes it co-signed (each once; the county keeps one per
    witness and size, so sending again changes nothing)."""
    if not notes:
        return 0
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap, acks="all", **kafka_kwargs(settings)
    )
    await asyncio.wait_for(producer.start(), settings.kafka_timeout_seconds)
    try:
        for note in notes:
            await producer.send_and_wait(
                settings.cosignature_topic,
                cosignature_message(witness, note),
                key=witness.encode(),
            )
    finally:
        await producer.stop()
    return len(notes)


def send_back(settings: Settings, witness: Witness) -> int:
    """What the witness co-signed and has not sent yet, sent back; marked sent once the
    broker has it. Return how many."""
    unsent = witness.unsent()
    if unsent:
        asyncio.run(publish_cosignatures(settings, witness.signer.origin, [n for _, n in unsent]))
        witness.sent(unsent[-1][0])
    return len(unsent)


async def collect_cosignatures(settings: Settings, store: EventStore) -> int:
    """Read the co-signature topic from where the last collection ended, keep the valid
    co-signatures and the positions in one transaction; return how many were new."""
    keys = settings.witness_keys()
    if settings.kafka_bootstrap is None or not keys:
        return 0
    with store.connection() as conn:
        conn.execute(DDL)
        rows = conn.execute("SELECT partition, next_offset FROM audit_cosignature_positions")
        start = {r["partition"]: r["next_offset"] for r in rows.fetchall()}
    records = await _records_from(settings, start)
    if not records:
        return 0
    with store.connection() as conn:  # the log's checkpoints of the sizes the messages name
        notes = conn.execute(
            "SELECT note FROM audit_checkpoints WHERE tree_size = ANY(%s)",
            (sorted({_size_named(value) for _, _, value in records}),),
        ).fetchall()
    signed = {n["note"].partition("\n\n")[0] + "\n" for n in notes if n["note"]}
    kept: list[Cosignature] = []
    ends = dict(start)
    for partition, offset, value in records:
        found = checked(value, keys, signed)
        if isinstance(found, Cosignature):
            kept.append(found)
        else:
            log.warning("co-signature at %d:%d not kept: %s", partition, offset, found)
        ends[partition] = offset + 1
    with store.connection() as conn, conn.transaction():
        new = 0
        for c in kept:
            cur = conn.execute(
                "INSERT INTO audit_cosignatures (witness, tree_size, root_hash, note) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (c.witness, c.tree_size, c.root_hash, c.note),
            )
            new += cur.rowcount
        for partition, offset in ends.items():
            conn.execute(
                "INSERT INTO audit_cosignature_positions (partition, next_offset) "
                "VALUES (%s, %s) ON CONFLICT (partition) DO UPDATE SET next_offset = "
                "excluded.next_offset",
                (partition, offset),
            )
    return new


def _size_named(raw: bytes) -> int:
    """The tree size a co-signature message's note states, unchecked (-1 if none): which
    checkpoint `checked` compares it with."""
    try:
        return int(json.loads(raw)["note"].split("\n", 2)[1])
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return -1


async def _records_from(settings: Settings, start: dict[int, int]) -> list[tuple[int, int, bytes]]:
    """Every record of the topic after `start` (partition → next offset), read until the
    topic is quiet for a second (the broker's end offsets are not relied on)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **kafka_kwargs(settings),
    )
    await asyncio.wait_for(consumer.start(), settings.kafka_timeout_seconds)
    found: list[tuple[int, int, bytes]] = []
    try:
        partitions = consumer.partitions_for_topic(settings.cosignature_topic)
        if not partitions:
            await consumer._client.force_metadata_update()
            partitions = consumer.partitions_for_topic(settings.cosignature_topic) or set()
        assigned = [TopicPartition(settings.cosignature_topic, p) for p in sorted(partitions)]
        if not assigned:
            return []
        consumer.assign(assigned)
        for tp in assigned:
            if tp.partition in start:
                consumer.seek(tp, start[tp.partition])
            else:
                await consumer.seek_to_beginning(tp)
        idle = 0
        while idle < 2:
            batches = await consumer.getmany(timeout_ms=500)
            idle = 0 if batches else idle + 1
            for tp, batch in batches.items():
                found += [(tp.partition, r.offset, r.value) for r in batch if r.value]
    finally:
        await consumer.stop()
    return found


@dataclass(frozen=True, slots=True)
class Witnessed:
    """What the audit page shows: who co-signed each checkpoint, and how far each witness
    holds the log (every checkpoint up to there: each co-signed one extends the one before)."""

    by_size: dict[int, list[str]]
    latest: list[tuple[str, int, Any]]  # (witness, largest size co-signed, received at)


def kept(cur: Any) -> list[dict[str, Any]]:
    """The co-signatures kept, by size then witness (none before the first collection)."""
    cur.execute("SELECT to_regclass('audit_cosignatures') AS t")
    if cur.fetchone()["t"] is None:
        return []
    cur.execute(
        "SELECT witness, tree_size, root_hash, note, received_at FROM audit_cosignatures "
        "ORDER BY tree_size, witness"
    )
    return cur.fetchall()  # type: ignore[no-any-return]


def witnessed(store: EventStore, witness_keys: dict[str, bytes]) -> Witnessed:
    """Each kept co-signature checked again as it is shown (the registered witness's
    signature of the size and root the row says): a row put in the database by hand, with
    no witness's signature, is not shown as witnessed."""
    with store.connection() as conn, conn.cursor() as cur:
        rows = kept(cur)
    by_size: dict[int, list[str]] = {}
    latest: dict[str, tuple[str, int, Any]] = {}
    for r in rows:
        if not _signed_by(r, witness_keys):
            log.warning("co-signature of %s at %d does not verify", r["witness"], r["tree_size"])
            continue
        by_size.setdefault(r["tree_size"], []).append(r["witness"])
        latest[r["witness"]] = (r["witness"], r["tree_size"], r["received_at"])
    return Witnessed(by_size, sorted(latest.values()))


def _signed_by(row: dict[str, Any], witness_keys: dict[str, bytes]) -> bool:
    key = witness_keys.get(row["witness"])
    if key is None:
        return False
    try:
        stated = parse_checkpoint(verify_note(row["note"], key, row["witness"]))
    except (ValueError, KeyError):
        return False
    return (stated["tree_size"], stated["root_hash"]) == (row["tree_size"], row["root_hash"])
