"""A consume loop that keeps failing is slowed down and seen. faststream restarts a failed
loop at once — a hot loop when the error repeats — and its consumer object stays, so the
readiness probe would call the intake ready while it reads nothing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka.errors import ConsumerStoppedError, KafkaError

from services.adapters import metrics

log = logging.getLogger("dixian.intake")

NOT_READY_AFTER = 3  # failed fetches in a row: one or two are a broker's hiccup


class ConsumeLoopGuard:
    """Wraps the subscriber's fetch: each failure counted, an unexpected one waited out
    (longer each time in a row) before faststream's restart; a good fetch clears them."""

    def __init__(
        self,
        subscriber: Any,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        cap_seconds: float = 30.0,
    ) -> None:
        self.failures = 0
        self.last_error: str | None = None
        self._sleep = sleep
        self._cap = cap_seconds
        fetch = subscriber.get_msg

        async def guarded(consumer: Any) -> Any:
            try:
                got = await fetch(consumer)
            except ConsumerStoppedError:  # the loop's own end
                raise
            except KafkaError as e:  # faststream logs it and waits 5 s itself
                self._failed(e)
                raise
            except Exception as e:
                self._failed(e)
                delay = self.delay()
                log.error(
                    "the intake's fetch failed (%d in a row); again in %.1f s",
                    self.failures,
                    delay,
                    exc_info=True,
                )
                await self._sleep(delay)
                raise
            self.failures = 0
            self.last_error = None
            return got

        subscriber.get_msg = guarded  # faststream's loop calls self.get_msg

    def delay(self) -> float:
        return min(self._cap, 0.5 * 2 ** (self.failures - 1))

    def _failed(self, e: BaseException) -> None:
        self.failures += 1
        self.last_error = f"{type(e).__name__}: {e}"[:200]
        metrics.INTAKE_FETCH_FAILURES.inc()

    def readiness(self) -> str | None:
        if self.failures >= NOT_READY_AFTER:
            return f"the intake's fetch failed {self.failures} times in a row ({self.last_error})"
        return None
