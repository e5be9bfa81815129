"""The API's documentation at /api/docs: Swagger UI, vendored (no CDN), its initializer a
file of its own (the CSP allows no inline script), "try it out" turned off."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(tags=["docs"], include_in_schema=False)
ASSETS = "/api/docs/assets"

PAGE = f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>dixian（底线）HTTP API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="{ASSETS}/docs.js"></script>
</body>
</html>
"""


@router.get("/api/docs")
def docs() -> HTMLResponse:
    return HTMLResponse(PAGE)
