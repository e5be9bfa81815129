"""The web app for people (the pages come with the HTTP API): for now only its static
assets, vendored under `static/vendor/` (htmx, ECharts with its Chinese locale, Pico CSS)
so that the pages work on a county network cut off from the internet. VENDOR.md there
says where each file came from; tests check every file against its recorded SHA-256."""

from pathlib import Path

STATIC_DIR = Path(__file__).with_name("static")
