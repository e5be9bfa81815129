"""Place names from where they are kept: the county's code table (DIXIAN_PLACES_FILE, JSON or
CSV) and the names household registrations carried (the household_state projection)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from services.adapters.eventstore import EventStore
from services.adapters.queries import projected
from services.domain.places import Places, is_region_code

# The CSV's header, in English or as a county's own export writes it.
CODE_HEADERS = ("code", "区划代码", "代码")
NAME_HEADERS = ("name", "名称", "区划名称")


class PlacesFileInvalid(ValueError):
    """The county's code table cannot be read; the message says where and what to fix."""


def read_places_file(path: Path) -> Places:
    """A JSON object {code: name}, a JSON list of {"code", "name"}, or a CSV with a header
    (code,name or 区划代码,名称), UTF-8 with or without a byte-order mark."""
    text = path.read_text(encoding="utf-8-sig")
    pairs = _csv_pairs(path, text) if path.suffix.lower() == ".csv" else _json_pairs(path, text)
    for where, code, name in pairs:
        if not is_region_code(code):
            raise PlacesFileInvalid(
                f"{path}, {where}: {code!r} is not a region code (6, 9 or 12 ASCII digits)"
            )
        if not name:
            raise PlacesFileInvalid(f"{path}, {where}: the name of {code} is empty")
    return Places({code: name for _, code, name in pairs})


def _json_pairs(path: Path, text: str) -> list[tuple[str, str, str]]:
    try:
        doc: Any = json.loads(text)
    except json.JSONDecodeError as e:
        raise PlacesFileInvalid(f"{path}: not JSON ({e})") from None
    if isinstance(doc, dict):
        return [(f"key {k}", str(k).strip(), str(v).strip()) for k, v in doc.items()]
    if isinstance(doc, list) and all(isinstance(r, dict) for r in doc):
        return [
            (f"item {i}", str(r.get("code", "")).strip(), str(r.get("name", "")).strip())
            for i, r in enumerate(doc, start=1)
        ]
    raise PlacesFileInvalid(
        f'{path}: give an object {{code: name}} or a list of {{"code", "name"}}'
    )


def _csv_pairs(path: Path, text: str) -> list[tuple[str, str, str]]:
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        return []
    header = [h.strip() for h in rows[0]]
    try:
        code_at = next(header.index(h) for h in CODE_HEADERS if h in header)
        name_at = next(header.index(h) for h in NAME_HEADERS if h in header)
    except StopIteration:
        raise PlacesFileInvalid(
            f"{path}: the first line names the columns: code,name (or 区划代码,名称)"
        ) from None
    return [
        (f"line {n}", row[code_at].strip(), row[name_at].strip() if len(row) > name_at else "")
        for n, row in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in row)
    ]


def registered_names(store: EventStore) -> Places:
    """The names the registrations carried, one per place: that of the household whose
    events were stored last (a village renamed in the producing system reads as renamed)."""
    names: dict[str, str] = {}
    with store.connection() as conn:
        if not projected(conn, "household_state"):
            return Places()
        rows = conn.execute(
            "SELECT DISTINCT ON (village_code) village_code, county_name, township_name, "
            "village_name FROM household_state "
            "WHERE coalesce(county_name, township_name, village_name) IS NOT NULL "
            "ORDER BY village_code, last_position DESC"
        ).fetchall()
    for r in sorted(rows, key=lambda r: r["village_code"]):
        code = r["village_code"]
        for length, key in ((6, "county_name"), (9, "township_name"), (12, "village_name")):
            if r[key]:
                names[code[:length]] = r[key]
    return Places(names)


def load_places(places_file: Path | None, store: EventStore | None) -> Places:
    """The county's table where it names a place, the registrations' names elsewhere."""
    configured = read_places_file(places_file) if places_file else Places()
    return configured.over(registered_names(store)) if store is not None else configured
