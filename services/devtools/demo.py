"""`make demo`: one synthetic village through Kafka, the intake and the projections."""

from __future__ import annotations

import asyncio
import base64
import re
import time
from collections import Counter
from datetime import date, timedelta
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from events.rejection import RejectedMessage
from services.adapters.attestation import ProducerKeyring
from services.adapters.compliance_store import load_problems, load_sweeps
from services.adapters.eventstore import EventStore
from services.adapters.intake_store import stored_positions
from services.adapters.kafka_security import kafka_kwargs
from services.adapters.kafka_topics import ensure_topics
from services.adapters.places import load_places
from services.adapters.queries import household_heads, household_history
from services.adapters.workbooks import write_workbook
from services.devtools.demo_accounts import create_demo_accounts, login_lines
from services.devtools.demo_web import serve_web
from services.devtools.demo_witness import registered, witness_the_log
from services.devtools.embedded import servers
from services.devtools.village import PLACES_FILE, VILLAGE, village_messages
from services.domain.audit import offline
from services.domain.compliance.findings import township_of
from services.domain.compliance.ledger import LedgerViolation
from services.domain.permissions import DEFAULT_PERMISSIONS
from services.entrypoints.runtime import serve
from services.settings import Settings
from services.usecases.audit.checkpoint import checkpoint_now
from services.usecases.audit.proofs import inclusion_proof
from services.usecases.audit.reads import record_read
from services.usecases.audit.verify import verify
from services.usecases.compliance.ledger import apply
from services.usecases.compliance.sweep import run_sweep
from services.usecases.compliance.workbooks import Names, households_of, ledger_sheets


async def publish(
    bootstrap: str,
    topic: str,
    messages: list[Any],
    keyring: ProducerKeyring | None = None,
    max_request_size: int = 1024 * 1024,
    client: dict[str, Any] | None = None,
) -> dict[int, int]:
    """Produce with a real producer (each message signed by its source when a keyring is
    given; `client`: security and timeouts, services.adapters.kafka_security); return
    partition → offset after the last message."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        max_request_size=max_request_size,
        **(client or {}),
    )
    try:
        await producer.start()
        ends: dict[int, int] = {}
        futures = [
            await producer.send(
                topic, m.value, key=m.key, headers=keyring.headers(m.value) if keyring else None
            )
            for m in messages
        ]
        for f in futures:
            meta = await f
            ends[meta.partition] = max(ends.get(meta.partition, 0), meta.offset + 1)
        return ends
    finally:
        await producer.stop()


async def read_rejections(
    bootstrap: str, prefix: str, after: int, client: dict[str, Any] | None = None
) -> dict[int, str]:
    """rejection_id → reason code of the rejections newer than `after`, on every producer's
    rejected topic (PREFIX.SOURCE)."""
    records = await rejected_records(bootstrap, prefix, client=client)
    return {r.rejection_id: r.reason_code for r in records if r.rejection_id > after}


async def rejected_records(
    bootstrap: str, prefix: str, rounds: int = 5, client: dict[str, Any] | None = None
) -> list[RejectedMessage]:
    """Every record of every rejected topic of this prefix, as read within a few rounds
    (`client`: security and timeouts, services.adapters.kafka_security)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=4 * 1024 * 1024,
        metadata_max_age_ms=1000,
        **(client or {}),
    )
    consumer.subscribe(pattern=f"^{re.escape(prefix)}\\..+")
    await consumer.start()
    try:
        found: list[RejectedMessage] = []
        idle = 0
        while idle < rounds:
            batches = await consumer.getmany(timeout_ms=1000)
            idle = 0 if batches else idle + 1
            for records in batches.values():
                found += [RejectedMessage.model_validate_json(r.value) for r in records]
        return found
    finally:
        await consumer.stop()


def caught_up(store: EventStore, topic: str, ends: dict[int, int]) -> bool:
    stored = stored_positions(store, topic)
    if any(stored.get(p, 0) < end for p, end in ends.items()):
        return False
    with store.connection() as conn:
        head = store.recorder.max_notification_id() or 0
        rows = conn.execute("SELECT name, position FROM projection_positions").fetchall()
    return bool(rows) and all(r["position"] >= head for r in rows)


async def run_demo(settings: Settings, timeout: float = 120.0, web: bool = False) -> int:
    """The demo; `web`: then the web app on its data (services.devtools.demo_web)."""
    run = "D" + format(int(time.time()), "x")[-6:].upper()
    with servers(settings, kafka=True, fresh=settings.pg_url is None) as s:
        assert s.kafka_bootstrap is not None
        if settings.kafka_bootstrap is None and settings.pg_url is not None:
            # A memory broker restarts at offset 0: new topics, so stored positions still hold.
            s = s.model_copy(
                update={
                    "intake_topic": f"{s.intake_topic}.{run.lower()}",
                    "rejected_topic": f"{s.rejected_topic}.{run.lower()}",
                }
            )
        # Each producing system signs its messages; the intake records the verified source.
        keyring = ProducerKeyring(sorted(DEFAULT_PERMISSIONS))
        keys_file = keyring.write_public_keys(s.data_dir / f"producer-keys-{run}.json")
        # The village's year is loaded today: a declared historical import, permitted here.
        s = s.model_copy(
            update={"producer_keys_file": keys_file, "historical_imports": frozenset({"*"})}
        )
        s = registered(s, run)  # the inspectors' witness, whose co-signatures the county shows
        await ensure_topics(s, s.kafka_bootstrap)  # before producing: never auto-created
        stop = asyncio.Event()
        task = asyncio.create_task(serve(s, s.kafka_bootstrap, stop))
        store = EventStore(s)
        try:
            before = _max_rejection(store)
            messages = village_messages(run)
            started = time.monotonic()
            ends = await publish(
                s.kafka_bootstrap, s.intake_topic, messages, keyring, client=kafka_kwargs(s)
            )
            print(
                f"published {len(messages)} messages for village {VILLAGE} (run {run}) "
                f"to {s.intake_topic}"
            )
            while not await asyncio.to_thread(caught_up, store, s.intake_topic, ends):
                if task.done():
                    task.result()
                if time.monotonic() - started > timeout:
                    print("the services did not catch up in time")
                    return 1
                await asyncio.sleep(0.2)
            print(f"caught up in {time.monotonic() - started:.1f}s\n")
            ok = report(store, run, messages, before)
            on_topic = await read_rejections(
                s.kafka_bootstrap, s.rejected_topic, before, kafka_kwargs(s)
            )
            want = sum(1 for m in messages if m.expect not in ("accepted", "duplicate"))
            print(f"rejected topics {s.rejected_topic}.*: {len(on_topic)} of this run's rejections")
            ok = ok and len(on_topic) == want
            ok = await asyncio.to_thread(audit, s, store, f"{VILLAGE}{run}001") and ok
            ok = await asyncio.to_thread(witness_the_log, s, store, run) and ok
            ok = await asyncio.to_thread(compliance, s, store, run) and ok
            logins = await asyncio.to_thread(create_demo_accounts, store)
        finally:
            stop.set()
            await task
            store.close()
        print(next_steps(f"{VILLAGE}{run}001"))
        print("\n".join(login_lines(logins, settings.http_host, settings.http_port)))
        if web and ok:
            # the web app on the demo's data and accounts, until Ctrl-C
            await serve_web(s.model_copy(update={"places_file": s.places_file or PLACES_FILE}))
    return 0 if ok else 1


def next_steps(hid: str) -> str:
    return (
        "\nnext, with the embedded servers (each read of personal data is recorded):\n"
        f"  .venv/bin/dixian household history {hid} --reader YOU --purpose WHY\n"
        f"  .venv/bin/dixian household as-of {hid} --occurred-on 2025-12-01 --reader YOU "
        "--purpose WHY\n"
        "  .venv/bin/dixian audit verify\n"
        f"  .venv/bin/dixian problems list --as-of {DEMO_DAY}   # then: problems show ID\n"
        f"  .venv/bin/dixian report --level village --as-of {DEMO_DAY}\n"
        f"  .venv/bin/dixian audit prove EVENT_ID -o proof.json && "
        ".venv/bin/dixian audit verify-proof proof.json"
    )


def audit(s: Settings, store: EventStore, hid: str) -> bool:
    """Sign a checkpoint, verify the whole log, and prove one event offline."""
    checkpoint = checkpoint_now(s, store)
    report = verify(store, str(s.verifying_key()), origin=s.audit_origin)
    print(
        f"\naudit log: checkpoint of {checkpoint['tree_size']} events signed, root "
        f"{checkpoint['root_hash'][:16]}…; verify: "
        f"{'nothing changed, removed, reordered or inserted' if report.ok else 'TAMPERED'}"
    )
    event_id = household_history(store, hid)[-1]["event_id"]
    proof = inclusion_proof(store, event_id, "dixian-demo", "show an inspector a proof")
    verdict = offline.verify_proof(proof, base64.b64decode(checkpoint["public_key"]))
    print(f"inclusion proof of event {event_id}, checked offline: {verdict}")
    return report.ok


DEMO_DAY = date(2026, 3, 1)  # after the village script's last step


def compliance(s: Settings, store: EventStore, run: str) -> bool:
    """Sweep as of a day, show what was found, walk one problem to close-out, export."""
    out = run_sweep(store, DEMO_DAY, s.compliance_params(), ran_by="dixian-demo")
    mine = [f for f in out.evaluation.findings if run in f.subject or run in f.summary]
    print(
        f"\ncompliance sweep as of {DEMO_DAY}: {len(mine)} suspected problems in this run's "
        f"village ({out.raised} new in the ledger)"
    )
    by_check = Counter((f.rule_id, f.check) for f in mine)
    for (rule, check), n in sorted(by_check.items()):
        f = next(f for f in mine if (f.rule_id, f.check) == (rule, check))
        print(f"  {rule:<5} {check:<30} {n:>3}  e.g. {f.subject}: {f.summary[:50]}")
    if not mine:
        return False
    target = next((f for f in mine if not f.ongoing), mine[0])
    ref, day = str(target.problem_id)[:8], DEMO_DAY
    apply(
        store,
        ref,
        lambda p: p.plan_rectification(
            "说明未走访原因，规范每月走访",
            day + timedelta(days=14),
            "cadre-li",
            "township-wu",
            "township_official",
            day,
        ),
    )
    apply(
        store,
        ref,
        lambda p: p.record_action(
            "组织村两委培训，补齐走访记录",
            ["minutes-2026-03-05"],
            "cadre-li",
            "village_cadre",
            day + timedelta(days=4),
        ),
    )
    try:
        apply(
            store,
            ref,
            lambda p: p.close_out(
                ["check-2026-03-09"], "", "cadre-li", "village_cadre", day + timedelta(days=8)
            ),
        )
    except LedgerViolation as e:
        print(f"  close-out by the village cadre refused: {e.code}")
    p = apply(
        store,
        ref,
        lambda p: p.close_out(
            ["check-2026-03-09"],
            "乡镇现场核实",
            "township-wu",
            "township_official",
            day + timedelta(days=8),
        ),
    )
    print(f"problem {ref} ({p.rule_id}): " + " → ".join(h[0] for h in p.history))
    # Two more planned with a fortnight's deadline: overdue by now, for the web app's ledger.
    others = {str(f.problem_id) for f in mine if f.problem_id and f.problem_id != target.problem_id}
    for other in sorted(others)[:2]:
        apply(
            store,
            other,
            lambda q: q.plan_rectification(
                "入户核实，补齐记录", day + timedelta(days=14), "cadre-li", "township-wu",
                "township_official", day,
            ),
        )  # fmt: skip
    problems = list(load_problems(store).values())
    township = township_of(VILLAGE)
    names = Names(
        load_places(s.places_file or PLACES_FILE, store),
        household_heads(store, households_of(problems)),
    )
    closed_on = day + timedelta(days=8)  # the ledgers as of the close-out's day
    sheets = ledger_sheets(problems, load_sweeps(store)[-1], closed_on, township, names)
    path = write_workbook(s.data_dir / "demo" / f"ledgers-{run}.xlsx", sheets)
    print(f"the township's three ledgers: {path}")
    return p.status == "closed"


def _max_rejection(store: EventStore) -> int:
    with store.connection() as conn:
        row = conn.execute("SELECT coalesce(max(rejection_id), 0) AS m FROM intake_rejected")
        return int(row.fetchone()["m"])


def report(store: EventStore, run: str, messages: list[Any], before: int) -> bool:
    """Print the summary; return whether every message ended as the script expected."""
    prefix = f"{VILLAGE}{run}%"
    with store.connection() as conn:
        accepted = conn.execute(
            "SELECT count(*) AS n FROM intake_accepted WHERE household_id LIKE %s", (prefix,)
        ).fetchone()["n"]
        rejected = conn.execute(
            "SELECT reason_code, count(*) AS n, min(reason) AS example FROM intake_rejected "
            "WHERE rejection_id > %s GROUP BY reason_code ORDER BY reason_code",
            (before,),
        ).fetchall()
        statuses = conn.execute(
            "SELECT monitoring_status, count(*) AS n FROM household_state "
            "WHERE household_id LIKE %s GROUP BY 1 ORDER BY 1",
            (prefix,),
        ).fetchall()
        audit = conn.execute(
            "SELECT count(*) AS n FROM audit_trail WHERE household_id LIKE %s", (prefix,)
        ).fetchone()["n"]
    expected = Counter(m.expect for m in messages)
    got = Counter({r["reason_code"]: r["n"] for r in rejected})
    print(f"events accepted:            {accepted}  (audit trail rows: {audit})")
    print(f"repeats absorbed:           {expected['duplicate']}")
    print(f"messages rejected:          {sum(got.values())}")
    for r in rejected:
        print(f"  {r['reason_code']:<26} {r['n']}  e.g. {r['example'][:70]}")
    print("households by status:")
    for r in statuses:
        print(f"  {r['monitoring_status']:<26} {r['n']}")
    want_rejected = {k: v for k, v in expected.items() if k not in ("accepted", "duplicate")}
    ok = accepted == expected["accepted"] == audit and got == Counter(want_rejected)
    if not ok:
        print(
            f"\nMISMATCH: expected {dict(expected)}, got accepted={accepted} "
            f"audit={audit} rejected={dict(got)}"
        )
    else:
        print(
            "\nevery message ended as expected; the rejected topic and table hold each "
            "invalid one with its reason"
        )
    hid = f"{VILLAGE}{run}001"
    record_read(store, "dixian-demo", "演示运行的摘要", hid, "household history")
    print(f"\nhistory of household {hid}:")
    for h in household_history(store, hid):
        print(
            f"  #{h['position']:<5} {h['occurred_at'][:10]}  {h['event']:<26} "
            f"{h['actor']:<44} via {h['source_system']}"
        )
    return ok
