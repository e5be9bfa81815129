"""Evidence files on disk, content-addressed (DIR/ab/abcdef…: the SHA-256 of the bytes), and
which problem each was uploaded for, by whom (the `evidence_files` table): a file is served
back only through a problem, so only to those whose scope holds the problem."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, BinaryIO
from uuid import UUID

from services.adapters.eventstore import EventStore
from services.adapters.schema_lock import make_schema
from services.domain.evidence import EvidenceRefused, sniff

EVIDENCE_DDL = """
CREATE TABLE IF NOT EXISTS evidence_files (
    problem_id uuid NOT NULL,
    sha256 text NOT NULL,
    media_type text NOT NULL,
    size bigint NOT NULL,
    uploaded_by text NOT NULL,
    uploaded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (problem_id, sha256)
);
"""
CHUNK = 1 << 16


class EvidenceStore:
    def __init__(self, store: EventStore, directory: Path, max_bytes: int) -> None:
        self.store, self.directory, self.max_bytes = store, directory, max_bytes
        with store.connection() as conn:
            make_schema(conn, EVIDENCE_DDL)

    def path(self, sha256: str) -> Path:
        return self.directory / sha256[:2] / sha256

    def put(self, problem_id: UUID, source: BinaryIO, uploaded_by: str) -> dict[str, Any]:
        """Store the file (once, whoever uploads the same bytes again) for the problem."""
        self.directory.mkdir(parents=True, exist_ok=True)
        digest, size, head = hashlib.sha256(), 0, b""
        with tempfile.NamedTemporaryFile(dir=self.directory, delete=False) as tmp:
            try:
                while chunk := source.read(CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise EvidenceRefused(
                            "EVIDENCE_TOO_LARGE", f"more than {self.max_bytes} bytes"
                        )
                    if len(head) < 16:
                        head = (head + chunk)[:16]
                    digest.update(chunk)
                    tmp.write(chunk)
                if size == 0:
                    raise EvidenceRefused("EVIDENCE_EMPTY", "no bytes")
                media_type = sniff(head)
                if media_type is None:
                    raise EvidenceRefused("EVIDENCE_TYPE_NOT_ALLOWED", "not a photo, scan or PDF")
            except BaseException:
                os.unlink(tmp.name)
                raise
        sha = digest.hexdigest()
        target = self.path(sha)
        target.parent.mkdir(exist_ok=True)
        os.replace(tmp.name, target)  # the same bytes have the same name: nothing to undo
        with self.store.connection() as conn:
            conn.execute(
                "INSERT INTO evidence_files (problem_id, sha256, media_type, size, uploaded_by) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (problem_id, sha, media_type, size, uploaded_by),
            )
        return {"sha256": sha, "media_type": media_type, "size": size}

    def files(self, problem_id: UUID) -> list[dict[str, Any]]:
        with self.store.connection() as conn:
            return conn.execute(  # type: ignore[no-any-return]
                "SELECT sha256, media_type, size, uploaded_by, uploaded_at FROM evidence_files "
                "WHERE problem_id = %s ORDER BY uploaded_at",
                (problem_id,),
            ).fetchall()

    def file(self, problem_id: UUID, sha256: str) -> dict[str, Any] | None:
        with self.store.connection() as conn:
            return conn.execute(  # type: ignore[no-any-return]
                "SELECT sha256, media_type, size FROM evidence_files "
                "WHERE problem_id = %s AND sha256 = %s",
                (problem_id, sha256),
            ).fetchone()
