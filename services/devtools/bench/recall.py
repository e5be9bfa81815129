"""How much of what the simulation planted a sweep found, and how much of what it raised was
planted: recall per rule and per concern, and precision against the planted truth.

- A plant is found when a problem of its rule names its subject (a household, a village, a
  department or a cadre) — and, where that problem carries occurrences (R2.1's months
  without a visit, R2.2's years, a helper's days of too many visits), when one of them fell
  due on the plant's day: each planted month is matched in the problem's list, not the
  household's first. Plants due on or after the sweep's day are not yet due.
- A finding is explained when it is planted, or a documented consequence of a plant (the
  truth's entries with `consequence_of`: a late alert that delays the lead of a household
  below the line leaves R4.2 too), or falls due after the simulated world's last day (the
  world stops; what would have been done in the month after it is not there).
- Precision is explained / raised, over the distinct (rule, subject) pairs raised.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Raised:
    rule: str
    subject: str
    check: str
    concern: str | None
    due_on: str  # ISO day
    occurrences: tuple[str, ...] = ()  # the days its occurrences fell due (ISO)

    @classmethod
    def of_problem(cls, p: Any) -> Raised:
        """A problem of the ledger, as scored."""
        dues = tuple(o["due_on"] for o in p.occurrences.values())
        return cls(p.rule_id, p.subject, p.check, p.concern, p.due_on, dues)


def score(
    raised: Iterable[Raised], truth: list[dict[str, Any]], sweep_day: str, world_end: str
) -> dict[str, Any]:
    found = list(raised)
    whole = {(f.rule, f.subject) for f in found if not f.occurrences}
    occurred = {(f.rule, f.subject, due) for f in found for due in f.occurrences}
    planted = [t for t in truth if not t.get("consequence_of") and t["due"] < sweep_day]
    per_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_concern: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for t in planted:
        hit = (t["rule"], t["subject"]) in whole or (t["rule"], t["subject"], t["due"]) in occurred
        per_rule[t["rule"]][0] += hit
        per_rule[t["rule"]][1] += 1
        if t.get("concern"):
            per_concern[t["concern"]][0] += hit
            per_concern[t["concern"]][1] += 1
    expected = {(t["rule"], t["subject"]) for t in truth}
    unexplained: Counter[str] = Counter()
    counted = set()
    for f in found:
        if (f.rule, f.subject) in counted:
            continue
        counted.add((f.rule, f.subject))
        if (f.rule, f.subject) not in expected and f.due_on <= world_end:
            unexplained[f"{f.rule} {f.check}"] += 1
    recalled = sum(hit for hit, _ in per_rule.values())
    return {
        "planted_due": len(planted),
        "recall": recalled / max(len(planted), 1),
        "recall_by_rule": {r: hit / n for r, (hit, n) in sorted(per_rule.items())},
        "recall_by_concern": {c: hit / n for c, (hit, n) in sorted(per_concern.items())},
        "planted_by_rule": {r: n for r, (_, n) in sorted(per_rule.items())},
        "raised_pairs": len(counted),
        "unexplained": dict(unexplained.most_common()),
        "precision": 1 - sum(unexplained.values()) / max(len(counted), 1),
    }


def lines(s: dict[str, Any]) -> list[str]:
    """The score as the bench prints it."""
    out = [
        f"sweep recall {s['recall']:.1%} of {s['planted_due']:,} planted; precision "
        f"{s['precision']:.2%} of {s['raised_pairs']:,} raised"
    ]
    out += [
        f"  {r:<5} recall {v:6.1%} of {s['planted_by_rule'][r]:,}"
        for r, v in s["recall_by_rule"].items()
    ]
    out += [f"  {c:<12} recall {v:6.1%}" for c, v in s["recall_by_concern"].items()]
    out += [f"  unexplained: {k} × {n}" for k, n in s["unexplained"].items()]
    return out
