"""Why a step of the ledger cannot be taken (its stable codes), and who may close out."""

from __future__ import annotations

from events.reasons import ReasonCoded

LEDGER_REASONS: dict[str, str] = {
    "PROBLEM_NOT_FOUND": "Name a problem the ledger holds (its id, or a unique prefix of 8+).",
    "ROLE_NOT_AUTHORISED": "Only the roles the configuration names may close out or reopen.",
    "EVIDENCE_REQUIRED": "Give at least one evidence reference (document, photo, record).",
    "RECTIFICATION_REQUIRED": "Record a rectification action with evidence before closing out.",
    "FACTS_STILL_SHOW_PROBLEM": "A standing condition is closed out once a sweep no longer "
    "finds it: correct the facts (a new event), sweep, then close out.",
    "PROBLEM_CLOSED": "The problem is closed out; reopen it first.",
    "PROBLEM_NOT_CLOSED": "Only a closed-out problem can be reopened.",
    "PROBLEM_MERGED": "The problem was folded into its household's problem of the same rule "
    "and cause (the one it names): work that one.",
    "DEADLINE_BEFORE_PLAN": "A rectification deadline falls on or after the day of the plan.",
    "LEDGER_CHANGED_MEANWHILE": "Someone changed the problem (or swept) while this ran; "
    "nothing was saved: run it again.",
}

# Who may close out (销号) and reopen by default (ComplianceParams.closing_roles).
CLOSING_ROLES = frozenset({"township_official", "county_official"})


class LedgerViolation(ReasonCoded):
    """A ledger step that cannot be taken; `code` is stable."""

    reasons = LEDGER_REASONS


def need_evidence(evidence: list[str]) -> None:
    """An action or a close-out names its evidence (a file's digest, a document's number)."""
    if not any(ref.strip() for ref in evidence):
        raise LedgerViolation("EVIDENCE_REQUIRED", "no evidence reference given")
