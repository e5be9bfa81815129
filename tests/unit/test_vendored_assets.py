"""The vendored front-end assets (htmx, ECharts and its Chinese locale, Pico CSS): each file
is there, is the file VENDOR.md records (SHA-256), has its licence beside it, and ships in
the package."""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path

import pytest

from services.entrypoints.web import STATIC_DIR

ROOT = Path(__file__).parents[2]
VENDOR = STATIC_DIR / "vendor"
# | `htmx/htmx.min.js` | htmx.org | 2.0.11 | `package/dist/htmx.min.js` | 0BSD | `sha256` |
ROW = re.compile(r"^\| `([^`]+)` \| ([^|]+) \| ([^|]+) \| `[^`]+` \| [^|]+ \| `([0-9a-f]{64})` \|$")


def recorded() -> dict[str, tuple[str, str, str]]:
    """file → (package, version, sha256), from VENDOR.md's table of files."""
    rows = [ROW.match(line) for line in (VENDOR / "VENDOR.md").read_text().splitlines()]
    return {m[1]: (m[2].strip(), m[3].strip(), m[4]) for m in rows if m}


def test_vendor_md_lists_htmx_echarts_with_its_chinese_locale_and_pico() -> None:
    files = recorded()
    assert {"htmx/htmx.min.js", "echarts/echarts.min.js", "echarts/langZH.js"} <= set(files)
    assert "pico/pico.min.css" in files
    assert {p for p, _, _ in files.values()} == {"htmx.org", "echarts", "@picocss/pico"}


@pytest.mark.parametrize("name", sorted(recorded()))
def test_each_vendored_file_matches_its_recorded_sha256(name: str) -> None:
    _, _, sha256 = recorded()[name]
    path = VENDOR / name
    assert path.is_file(), f"{name} is listed in VENDOR.md but missing"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256


def test_every_file_in_the_vendor_folder_is_recorded_and_has_its_licence() -> None:
    present = {str(p.relative_to(VENDOR)) for p in VENDOR.rglob("*") if p.is_file()}
    assert present - {"VENDOR.md"} == set(recorded())
    for folder in {Path(name).parent for name in present - {"VENDOR.md"}}:
        assert [p for p in (VENDOR / folder).iterdir() if p.name.startswith("LICENSE")], folder


def test_pico_names_its_version_and_the_locale_file_registers_chinese() -> None:
    files = recorded()
    assert f"v{files['pico/pico.min.css'][1]}" in (VENDOR / "pico/pico.min.css").read_text()[:200]
    assert "registerLocale('ZH'" in (VENDOR / "echarts/langZH.js").read_text()


def test_the_package_data_ships_every_vendored_file() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["services.entrypoints.web"]
    package = STATIC_DIR.parent
    shipped = {p for pattern in patterns for p in package.glob(pattern) if p.is_file()}
    assert {p for p in VENDOR.rglob("*") if p.is_file()} <= shipped
    # and the web app's own files: its templates, stylesheet and script
    ours = [*(package / "templates").glob("*.html"), *STATIC_DIR.glob("app.*")]
    assert ours and set(ours) <= shipped
