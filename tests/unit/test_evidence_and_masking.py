"""Evidence files known by their content, personal data masked, cursors that round-trip."""

from __future__ import annotations

import pytest

from services.adapters.scoped_queries import CursorInvalid, decode_cursor, encode_cursor
from services.domain.evidence import sniff, uploaded
from services.domain.masking import mask_name, masked


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"%PDF-1.7\n", "application/pdf"),
        (b"II*\x00\x08\x00", "image/tiff"),
        (b"\x00\x00\x00\x18ftypheic", "image/heic"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"<html><script>", None),
        (b"MZ\x90\x00", None),
        (b"PK\x03\x04", None),  # a zip (or a .docx): not a photo or a scan
    ],
)
def test_a_files_type_is_read_from_its_first_bytes(head: bytes, media_type: str | None) -> None:
    assert sniff(head) == media_type


def test_only_well_formed_sha256_references_name_uploaded_files() -> None:
    sha = "ab" * 32
    assert uploaded([f"sha256:{sha}", "minutes-2026-03-05", "sha256:abc", f" sha256:{sha} "]) == [
        sha,
        sha,
    ]


def test_names_ids_phones_banks_and_health_are_masked_all_the_way_down() -> None:
    facts = {
        "members": [
            {
                "name": "王建国",
                "id_number": "61032619680402001X",
                "phone": "13800000001",
                "bank_account": "6222020200112233",
                "health": "serious_illness",
                "labour_capacity": "weak",
            }
        ],
        "member": {"name": "张伟"},
    }
    out = masked(facts)
    m = out["members"][0]
    assert m["name"] == "王*国" and out["member"]["name"] == "张*"
    assert m["id_number"] == "610326**********1X"
    assert m["phone"].endswith("0001") and "138" not in m["phone"]
    assert m["bank_account"].endswith("2233") and m["health"] == "***"
    assert m["labour_capacity"] == "weak"
    assert mask_name("欧阳明月") == "欧**月" and mask_name("李") == "*"


def test_a_cursor_round_trips_and_a_forged_one_is_refused() -> None:
    key = ["610326101201", "R2.1", "5b0c0f4e-0000-0000-0000-000000000000"]
    assert decode_cursor(encode_cursor(key), 3) == key
    assert decode_cursor(None, 3) is None
    for bad in ("not-base64!", encode_cursor(["only one"]), encode_cursor({"a": 1})):  # type: ignore[list-item]
        with pytest.raises(CursorInvalid):
            decode_cursor(bad, 3)
