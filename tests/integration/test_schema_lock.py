"""Services starting together on a new database make its tables one at a time: each maker
waits for the schema lock (two at once failed with `tuple concurrently updated`)."""

from __future__ import annotations

import threading

import pytest

from services.adapters.account_store import AccountStore
from services.adapters.eventstore import EventStore
from services.adapters.schema_lock import schema_lock
from services.settings import Settings

pytestmark = pytest.mark.integration


def test_a_store_waits_for_the_schema_lock_and_then_makes_its_tables(settings: Settings) -> None:
    made: list[EventStore] = []
    maker = threading.Thread(target=lambda: made.append(EventStore(settings)), daemon=True)
    with schema_lock(settings):
        maker.start()
        maker.join(1.0)
        assert maker.is_alive() and not made  # waiting, nothing made behind the holder
    maker.join(60)
    assert made, "the store was not made once the lock was free"
    store = made[0]
    try:
        accounts = threading.Thread(target=AccountStore, args=(store,), daemon=True)
        with schema_lock(settings):
            accounts.start()
            accounts.join(1.0)
            assert accounts.is_alive()  # the accounts' tables wait for it too
        accounts.join(60)
        assert not accounts.is_alive()
        with store.connection() as conn:
            assert conn.execute("SELECT to_regclass('accounts') IS NOT NULL AS e").fetchone()["e"]
    finally:
        store.close()


def test_stores_made_at_once_on_a_new_database_all_succeed(settings: Settings) -> None:
    errors: list[BaseException] = []
    stores: list[EventStore] = []

    def make() -> None:
        try:
            stores.append(EventStore(settings))
        except BaseException as e:
            errors.append(e)

    makers = [threading.Thread(target=make) for _ in range(4)]
    for t in makers:
        t.start()
    for t in makers:
        t.join(120)
    assert not errors and len(stores) == 4
    for s in stores:
        s.close()
