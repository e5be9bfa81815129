"""Accounts in PostgreSQL: their events in the event store (so they enter the audit log),
with, in the same transaction, the `accounts` row every request reads and whatever the
caller adds — a password's hash, the revocation of a disabled account's sessions. Also the
sessions and bearer tokens (only their SHA-256 is kept), the login attempts, and the OpenID
Connect logins under way."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, StoredEvent
from psycopg import Cursor

from services.adapters.eventstore import EventStore
from services.adapters.schema_lock import make_schema
from services.domain.accounts import (
    ACCOUNT_TOPIC_PREFIX,
    Account,
    AccountViolation,
    account_uuid,
)

ACCOUNTS_DDL = """
CREATE TABLE IF NOT EXISTS accounts (
    account_id uuid PRIMARY KEY,
    name text NOT NULL UNIQUE,
    role text NOT NULL,
    scope text NOT NULL,
    department text,
    disabled boolean NOT NULL,
    version integer NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS account_credentials (
    account_id uuid PRIMARY KEY REFERENCES accounts,
    password_hash text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS account_sessions (
    token_sha256 bytea PRIMARY KEY,
    token_id uuid NOT NULL UNIQUE,
    account_id uuid NOT NULL REFERENCES accounts,
    kind text NOT NULL,  -- cookie | bearer
    csrf_token text,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX IF NOT EXISTS account_sessions_account ON account_sessions (account_id);
CREATE TABLE IF NOT EXISTS login_attempts (
    attempt_id bigserial PRIMARY KEY,
    name text NOT NULL,
    client text NOT NULL,
    ok boolean NOT NULL,
    reason text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS login_attempts_name ON login_attempts (name, at);
CREATE INDEX IF NOT EXISTS login_attempts_client ON login_attempts (client, at);
CREATE TABLE IF NOT EXISTS oidc_pending (
    state text PRIMARY KEY,
    nonce text NOT NULL,
    code_verifier text NOT NULL,
    next_path text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
"""

Also = Callable[[Cursor[Any]], None]


def token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


class AccountStore:
    """The accounts' reads and writes on the event store's database."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        with store.connection() as conn:
            # The account events share the events table: a partial index finds them
            # without reading the households' millions (as the ledger's does).
            make_schema(
                conn,
                ACCOUNTS_DDL,
                f"CREATE INDEX IF NOT EXISTS {store.events_table}_accounts ON "
                f"{store.events_table} (originator_id, originator_version) "
                f"WHERE topic LIKE '{ACCOUNT_TOPIC_PREFIX}%'",
            )

    # --- the aggregate --------------------------------------------------------------------
    def load(self, name: str) -> Account | None:
        return self.load_id(account_uuid(name))

    def load_id(self, account_id: UUID) -> Account | None:
        with self.store.connection() as conn:
            rows = conn.execute(
                f"SELECT originator_id, originator_version, topic, state "
                f"FROM {self.store.events_table} WHERE originator_id = %s "
                f"AND topic LIKE '{ACCOUNT_TOPIC_PREFIX}%%' ORDER BY originator_version",
                (account_id,),
            ).fetchall()
        account = None
        for r in rows:
            event = self.store.mapper.to_domain_event(
                StoredEvent(
                    r["originator_id"], r["originator_version"], r["topic"], bytes(r["state"])
                )
            )
            account = event.mutate(account)
        return account  # type: ignore[return-value]

    def save(self, account: Account, also: Also | None = None) -> None:
        """The account's new events, its row, and what `also` writes, in one transaction;
        a concurrent change to the same account fails the whole write."""
        stored = [self.store.mapper.to_stored_event(e) for e in account.collect_events()]

        def write(cur: Cursor[Any]) -> None:
            cur.execute(
                "INSERT INTO accounts (account_id, name, role, scope, department, disabled, "
                "version) VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (account_id) DO "
                "UPDATE SET role = EXCLUDED.role, scope = EXCLUDED.scope, "
                "department = EXCLUDED.department, disabled = EXCLUDED.disabled, "
                "version = EXCLUDED.version, updated_at = now()",
                (
                    account.id,
                    account.name,
                    account.role,
                    account.scope,
                    account.department,
                    account.disabled,
                    account.version,
                ),
            )
            if account.disabled:  # its sessions and tokens end with the same commit
                cur.execute(
                    "UPDATE account_sessions SET revoked_at = now() "
                    "WHERE account_id = %s AND revoked_at IS NULL",
                    (account.id,),
                )
            if also is not None:
                also(cur)

        try:
            self.store.recorder.insert_events(stored, also=write)  # type: ignore[call-arg]
        except IntegrityError:
            code = "ACCOUNT_EXISTS" if account.version == len(stored) else None
            raise AccountViolation(
                code or "ACCOUNTS_CHANGED_MEANWHILE", f"{account.name}: nothing saved"
            ) from None

    def rows(self, scope: str = "") -> list[dict[str, Any]]:
        """Every account whose scope lies within `scope`, by name."""
        with self.store.connection() as conn:
            return conn.execute(  # type: ignore[no-any-return]
                "SELECT account_id, name, role, scope, department, disabled, version, "
                "updated_at FROM accounts WHERE starts_with(scope, %s) ORDER BY name",
                (scope,),
            ).fetchall()

    def events(self) -> list[Any]:
        """Every account event, oldest first (what `audit actor` adds for administrators)."""
        with self.store.connection() as conn:
            rows = conn.execute(
                f"SELECT notification_id, originator_id, originator_version, topic, state "
                f"FROM {self.store.events_table} WHERE topic LIKE '{ACCOUNT_TOPIC_PREFIX}%%' "
                "ORDER BY notification_id"
            ).fetchall()
        return [
            (
                r["notification_id"],
                self.store.mapper.to_domain_event(
                    StoredEvent(
                        r["originator_id"], r["originator_version"], r["topic"], bytes(r["state"])
                    )
                ),
            )
            for r in rows
        ]

    # --- credentials ----------------------------------------------------------------------
    @staticmethod
    def writes_password(account_id: UUID, password_hash: str, keep: UUID | None = None) -> Also:
        """The new password's hash; every session and token of the account but `keep` ends
        with it (a reset locks out whoever knew the old one)."""

        def write(cur: Cursor[Any]) -> None:
            cur.execute(
                "INSERT INTO account_credentials (account_id, password_hash) VALUES (%s, %s) "
                "ON CONFLICT (account_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, "
                "updated_at = now()",
                (account_id, password_hash),
            )
            cur.execute(
                "UPDATE account_sessions SET revoked_at = now() WHERE account_id = %s "
                "AND revoked_at IS NULL AND token_id IS DISTINCT FROM %s",
                (account_id, keep),
            )

        return write

    def password_hash(self, account_id: UUID) -> str | None:
        with self.store.connection() as conn:
            row = conn.execute(
                "SELECT password_hash FROM account_credentials WHERE account_id = %s",
                (account_id,),
            ).fetchone()
        return row["password_hash"] if row else None

    def replace_hash(self, account_id: UUID, password_hash: str) -> None:
        """A rehash with stronger parameters after a login: the same password, no event."""
        with self.store.connection() as conn:
            conn.execute(
                "UPDATE account_credentials SET password_hash = %s WHERE account_id = %s",
                (password_hash, account_id),
            )

    # --- sessions and tokens --------------------------------------------------------------
    def add_session(
        self,
        token: str,
        token_id: UUID,
        account_id: UUID,
        kind: str,
        csrf_token: str | None,
        expires_at: datetime,
    ) -> None:
        with self.store.connection() as conn:
            conn.execute(
                "INSERT INTO account_sessions (token_sha256, token_id, account_id, kind, "
                "csrf_token, expires_at) VALUES (%s, %s, %s, %s, %s, %s)",
                (token_digest(token), token_id, account_id, kind, csrf_token, expires_at),
            )

    def session(self, token: str, kind: str) -> dict[str, Any] | None:
        """The live session (or token) and its account, if neither has ended."""
        with self.store.connection() as conn:
            return conn.execute(  # type: ignore[no-any-return]
                "SELECT s.token_id, s.kind, s.csrf_token, s.expires_at, a.account_id, a.name, "
                "a.role, a.scope, a.department FROM account_sessions s "
                "JOIN accounts a USING (account_id) WHERE s.token_sha256 = %s AND s.kind = %s "
                "AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT a.disabled",
                (token_digest(token), kind),
            ).fetchone()

    def revoke(self, account_id: UUID, token_id: UUID | None = None) -> int:
        """End one session or token of the account (or all of them)."""
        with self.store.connection() as conn:
            cur = conn.execute(
                "UPDATE account_sessions SET revoked_at = now() WHERE account_id = %s "
                "AND revoked_at IS NULL AND (%s::uuid IS NULL OR token_id = %s::uuid)",
                (account_id, token_id, token_id),
            )
            return int(cur.rowcount)

    def tokens(self, account_id: UUID) -> list[dict[str, Any]]:
        with self.store.connection() as conn:
            return conn.execute(  # type: ignore[no-any-return]
                "SELECT token_id, kind, created_at, expires_at FROM account_sessions "
                "WHERE account_id = %s AND revoked_at IS NULL AND expires_at > now() "
                "ORDER BY created_at",
                (account_id,),
            ).fetchall()

    # --- login attempts -------------------------------------------------------------------
    def begin_attempt(self, name: str, client: str, seconds: float) -> tuple[int, int, int]:
        """Note an attempt as failed until settled, then count the failures within the
        window — this one included, so a burst of guesses at once is counted as a burst:
        (the attempt's id, failures for this name, failures from this client)."""
        with self.store.connection() as conn:
            attempt = conn.execute(
                "INSERT INTO login_attempts (name, client, ok, reason) "
                "VALUES (%s, %s, false, 'PENDING') RETURNING attempt_id",
                (name[:64], client[:64]),
            ).fetchone()["attempt_id"]
            row = conn.execute(
                "SELECT count(*) FILTER (WHERE name = %s) AS by_name, "
                "count(*) FILTER (WHERE client = %s) AS by_client FROM login_attempts "
                "WHERE NOT ok AND at > now() - make_interval(secs => %s) "
                "AND (name = %s OR client = %s)",
                (name[:64], client[:64], seconds, name[:64], client[:64]),
            ).fetchone()
        return int(attempt), int(row["by_name"]), int(row["by_client"])

    def settle_attempt(self, attempt_id: int, ok: bool, reason: str) -> None:
        with self.store.connection() as conn:
            conn.execute(
                "UPDATE login_attempts SET ok = %s, reason = %s WHERE attempt_id = %s",
                (ok, reason, attempt_id),
            )

    # --- OpenID Connect -------------------------------------------------------------------
    def add_pending(self, state: str, nonce: str, code_verifier: str, next_path: str) -> None:
        with self.store.connection() as conn:
            conn.execute(
                "DELETE FROM oidc_pending WHERE created_at < now() - interval '10 minutes'"
            )
            conn.execute(
                "INSERT INTO oidc_pending (state, nonce, code_verifier, next_path) "
                "VALUES (%s, %s, %s, %s)",
                (state, nonce, code_verifier, next_path),
            )

    def take_pending(self, state: str) -> dict[str, Any] | None:
        """The login under way with this state, once (a replayed callback finds nothing)."""
        with self.store.connection() as conn:
            return conn.execute(  # type: ignore[no-any-return]
                "DELETE FROM oidc_pending WHERE state = %s "
                "AND created_at > now() - interval '10 minutes' "
                "RETURNING nonce, code_verifier, next_path",
                (state,),
            ).fetchone()
