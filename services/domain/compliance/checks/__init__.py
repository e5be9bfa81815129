"""The checks, one module per area of the seed's §三. Each check is a generator of
findings for one household as of a day; `HOUSEHOLD_CHECKS` lists them all."""

from services.domain.compliance.checks import (
    alerts,
    assistance,
    data,
    elimination,
    favoritism,
    inclusion,
    publicity,
    visits,
)

HOUSEHOLD_CHECKS = (
    *publicity.CHECKS,
    *visits.CHECKS,
    *alerts.CHECKS,
    *inclusion.CHECKS,
    *assistance.CHECKS,
    *elimination.CHECKS,
    *data.CHECKS,
)
# Favoritism reads the other checks' findings (a relative kept on is an R6.1 finding).
FAVORITISM_CHECK = favoritism.check_relatives
