"""The pages, one module per area; each route declares its permissions like the API's."""

from services.entrypoints.web.pages import (
    audit,
    dashboard,
    households,
    ledger,
    national,
    operations,
    session,
)

PAGES = (
    session.router,
    dashboard.router,
    ledger.router,
    households.router,
    audit.router,
    operations.router,
    national.router,
)
