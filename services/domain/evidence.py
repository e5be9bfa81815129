"""Evidence files for a close-out (销号) — photos, scans, PDFs — known by their content:
the type is read from the first bytes (magic numbers), never from the name or the header
the client sends, and the file is named by its SHA-256, which the ledger's event carries."""

from __future__ import annotations

import re

EVIDENCE_PREFIX = "sha256:"  # an evidence reference to an uploaded file: sha256:<64 hex>
_REF = re.compile(r"sha256:([0-9a-f]{64})")

# (offset, bytes) that open a file of each accepted type
_MAGIC: tuple[tuple[str, int, bytes], ...] = (
    ("image/jpeg", 0, b"\xff\xd8\xff"),
    ("image/png", 0, b"\x89PNG\r\n\x1a\n"),
    ("application/pdf", 0, b"%PDF-"),
    ("image/tiff", 0, b"II*\x00"),
    ("image/tiff", 0, b"MM\x00*"),
    ("image/heic", 4, b"ftypheic"),
    ("image/heic", 4, b"ftypheix"),
    ("image/heif", 4, b"ftypmif1"),
)
SUFFIXES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/pdf": ".pdf",
    "image/tiff": ".tif",
    "image/heic": ".heic",
    "image/heif": ".heif",
    "image/webp": ".webp",
}


def sniff(head: bytes) -> str | None:
    """The media type the file's first bytes show, or None when it is none we accept."""
    for media_type, offset, magic in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def evidence_ref(sha256_hex: str) -> str:
    return f"{EVIDENCE_PREFIX}{sha256_hex}"


def uploaded(refs: list[str]) -> list[str]:
    """The SHA-256s of the references that name uploaded files."""
    return [m.group(1) for r in refs if (m := _REF.fullmatch(r.strip()))]


EVIDENCE_REASONS: dict[str, str] = {
    "EVIDENCE_TOO_LARGE": "Upload a smaller file (a photo, a scan or a PDF within the limit).",
    "EVIDENCE_TYPE_NOT_ALLOWED": "Upload a JPEG, PNG, HEIC, WebP or TIFF photo or a PDF: the "
    "content, not the file's name, decides.",
    "EVIDENCE_EMPTY": "The file is empty: choose the file again.",
    "EVIDENCE_NOT_UPLOADED": "A sha256: reference names a file uploaded for this problem: "
    "upload it first.",
    "EVIDENCE_NOT_FOUND": "No such evidence file for this problem.",
}


class EvidenceRefused(Exception):
    def __init__(self, code: str, detail: str) -> None:
        assert code in EVIDENCE_REASONS, code
        super().__init__(f"{code}: {detail}")
        self.code, self.detail = code, detail
