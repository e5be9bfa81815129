"""The parameters the lifecycle's rules take, from configuration (defaults: the seed)."""

from __future__ import annotations

from dataclasses import dataclass, field

from events.monitoring_lines import MonitoringLines


@dataclass(frozen=True, slots=True)
class LifecycleRules:
    """What the aggregate needs to know beyond its own state."""

    min_notice_days: int = 5  # R4.1: the village public notice runs at least 5 days
    lines: MonitoringLines = field(default_factory=MonitoringLines)
