"""The web app for people, in Chinese: server-rendered pages (Jinja2 templates, htmx for
partial updates, ECharts for the charts) on the HTTP API's sessions, roles, scopes and use
cases. The route modules (`pages/`) are thin: each page declares the same `Allowed(...)`
dependencies as the JSON routes and calls the same use cases. The assets are vendored under
`static/vendor/` (htmx, ECharts with its Chinese locale, Pico CSS) so that the pages work
on a county network cut off from the internet; VENDOR.md there says where each file came
from, and tests check every file against its recorded SHA-256."""

from pathlib import Path

STATIC_DIR = Path(__file__).with_name("static")
TEMPLATES_DIR = Path(__file__).with_name("templates")
