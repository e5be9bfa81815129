"""The first sheet of an .xlsx read as a stream of rows, straight from its XML in the zip:
a chunk of the sheet at a time, so the memory does not grow with the sheet (python-calamine
reads the whole sheet first; openpyxl's read-only mode streams, ten times slower). Cells are
given as the sheet holds them: text (shared or inline), numbers (a date cell as its Excel
serial: the export's date columns read serials), booleans, error codes as text."""

from __future__ import annotations

import codecs
import html
import re
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

CHUNK = 1 << 20  # bytes of the sheet's XML decompressed at a time
_ROW = re.compile(r"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
# The cells as Excel, openpyxl and most writers put them (r, then s and t, a value or an
# inline string of one run): each cell's type and value found for a whole row at once; a
# row with any other cell (a formula, rich text, another attribute) is read the slow way.
_FAST_CELL = re.compile(
    r'<c r="([A-Z]+)\d+"(?: s="\d+")?(?: t="(\w+)")?(?: s="\d+")?\s*'
    r'(?:/>|><(?:v>|is><t(?: xml:space="preserve")?>)([^<]*)<)'
)
_R = re.compile(r'\br="([A-Z]+)?(\d+)"')
_T = re.compile(r'\bt="(\w+)"')
_V = re.compile(r"<v>(.*?)</v>", re.S)
_TEXT = re.compile(r"<t\b[^>]*?(?:/>|>(.*?)</t>)", re.S)
_PHONETIC = re.compile(r"<rPh\b.*?</rPh>", re.S)
_SI = re.compile(r"<si>(.*?)</si>|<si/>", re.S)
_SHEET = re.compile(r'<sheet\b[^>]*?\br:id="([^"]+)"')
_REL = re.compile(r"<Relationship\b([^>]*)/?>")


def _unescape(s: str) -> str:
    return html.unescape(s) if "&" in s else s


def _text_of(xml: str) -> str:
    """The text of a shared or inline string (its runs joined, phonetic guides left out)."""
    if "<rPh" in xml:
        xml = _PHONETIC.sub("", xml)
    return "".join(_unescape(t or "") for t in _TEXT.findall(xml))


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _first_sheet(book: zipfile.ZipFile) -> str:
    workbook = book.read("xl/workbook.xml").decode()
    first = _SHEET.search(workbook)
    if first is None:
        raise ValueError("the workbook has no sheet")
    for rel in _REL.findall(book.read("xl/_rels/workbook.xml.rels").decode()):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', rel))
        if attrs.get("Id") == first[1]:
            target = attrs["Target"]
            if target.startswith("/"):
                return target.lstrip("/")
            return str(PurePosixPath("xl") / target)
    raise ValueError("the workbook's first sheet is not in its relationships")


def _shared(book: zipfile.ZipFile) -> list[str]:
    try:
        xml = book.read("xl/sharedStrings.xml").decode()
    except KeyError:
        return []
    return [_text_of(m[1] or "") for m in _SI.finditer(xml)]


def _value(kind: str | None, body: str, shared: list[str]) -> Any:
    if kind == "inlineStr":
        return _text_of(body)
    v = _V.search(body)
    if v is None:
        return None
    raw = v[1]
    if kind == "s":
        return shared[int(raw)]
    if kind in ("str", "e"):
        return _unescape(raw)
    if kind == "b":
        return raw == "1"
    try:
        return int(raw) if raw.lstrip("-").isdigit() else float(raw)
    except ValueError:
        return _unescape(raw)


_COLUMNS: dict[str, int] = {}


def _other(kind: str, v: str, shared: list[str]) -> Any:
    if not v:
        return None
    if kind == "s":
        return shared[int(v)]
    if kind == "" or kind == "n":
        try:
            return int(v) if v.isdigit() else float(v)
        except ValueError:
            return _unescape(v)
    if kind == "b":
        return v == "1"
    return _unescape(v)


def _fast_cells(body: str, shared: list[str]) -> list[Any] | None:
    """The row's cells when each is of the common shape, else None. Cells the sheet omits
    (Excel writes no empty cell) are None: each cell put at its column, unless they run
    from A without a gap (columns only rise, so the last one's column tells)."""
    found = _FAST_CELL.findall(body)
    if len(found) != body.count("<c"):  # a cell of another shape: the row the slow way
        return None
    if not found:
        return []
    columns = _COLUMNS
    letters = found[-1][0]
    last = columns.get(letters)
    if last is None:
        last = columns[letters] = _column(letters)
    if "&" in body:
        values = [_other(k, v, shared) for _, k, v in found]
    else:
        values = [(v or None) if k == "inlineStr" else _other(k, v, shared) for _, k, v in found]
    if last == len(found) - 1 and found[0][0] == "A":
        return values
    cells: list[Any] = [None] * (last + 1)
    before = -1
    for (letters, _, _), value in zip(found, values, strict=True):
        at = columns.get(letters)
        if at is None:
            at = columns[letters] = _column(letters)
        if at <= before or at > last:  # columns not rising: the row the slow way
            return None
        cells[at], before = value, at
    return cells


def _cells(body: str, shared: list[str]) -> list[Any]:
    fast = _fast_cells(body, shared)
    if fast is not None:
        return fast
    cells: list[Any] = []
    for attrs, inner in _CELL.findall(body):
        r = _R.search(attrs)
        at = _column(r[1]) if r is not None and r[1] else len(cells)
        if at > len(cells):
            cells.extend([None] * (at - len(cells)))
        t = _T.search(attrs)
        value = _value(t[1] if t else None, inner, shared) if inner else None
        if at < len(cells):
            cells[at] = value
        else:
            cells.append(value)
    return cells


def xlsx_rows(path: str) -> Iterator[list[Any]]:
    """Each row of the first sheet from row 1, an empty list for a row the sheet skips."""
    with zipfile.ZipFile(path) as book:
        sheet, shared = _first_sheet(book), _shared(book)
        decoder = codecs.getincrementaldecoder("utf-8")()
        number, tail = 0, ""
        with book.open(sheet) as xml:
            while True:
                chunk = xml.read(CHUNK)
                parts = (tail + decoder.decode(chunk, final=not chunk)).split("</row>")
                tail = parts.pop()  # what follows the last whole row
                if not chunk:
                    parts.append(tail.split("</sheetData>", 1)[0])  # rows without cells
                for part in parts:
                    i = part.find("<row")
                    if i < 0:
                        continue
                    j = part.find(">", i)
                    if part[j - 1] == "/":  # rows without cells (before this part's row, if any)
                        rows = _ROW.findall(part + "</row>", i)
                    else:
                        rows = [(part[i + 4 : j], part[j + 1 :])]
                    for attrs, body in rows:
                        r = _R.search(attrs)
                        at = int(r[2]) if r is not None else number + 1
                        while number + 1 < at:
                            number += 1
                            yield []
                        number = at
                        yield _cells(body, shared) if body else []
                if not chunk:
                    return
