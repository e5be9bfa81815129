"""Progress of long work (a rebuild, a verification, a simulation, a sweep): a bar with the
rate and the time left when stderr is a terminal (rich), plain lines every few seconds
when it is not (a log file, CI, a pipe)."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as RichProgress


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else f"{m}m{s:02d}s" if m else f"{s}s"


class Progress:
    """`update(done, total)` as the work goes; a context manager around the work."""

    def __init__(
        self,
        title: str,
        unit: str = "events",
        every_seconds: float = 10.0,
        stream: TextIO | None = None,
        terminal: bool | None = None,
    ) -> None:
        self.title, self.unit, self.every = title, unit, every_seconds
        self.stream = stream or sys.stderr
        self.terminal = self.stream.isatty() if terminal is None else terminal
        self.done, self.total = 0, None  # type: tuple[int, int | None]
        self._started = time.monotonic()
        self._last_line = self._started
        self._bar: RichProgress | None = None
        self._task: int | None = None

    def __enter__(self) -> Progress:
        self._started = self._last_line = time.monotonic()
        if self.terminal:
            self._bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                TextColumn("left"),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.title, total=None, rate="")
        return self

    def update(self, done: int, total: int | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=done, total=self.total, rate=self.rate_text())
        elif time.monotonic() - self._last_line >= self.every:
            self._line()

    def rate(self) -> float:
        elapsed = time.monotonic() - self._started
        return self.done / elapsed if elapsed > 0 else 0.0

    def rate_text(self) -> str:
        return f"{self.rate():,.0f} {self.unit}/s"

    def left(self) -> float | None:
        rate = self.rate()
        if self.total is None or rate <= 0:
            return None
        return max(0.0, (self.total - self.done) / rate)

    def line(self) -> str:
        """The plain line: title, done/total (share), rate, time left."""
        of = f"/{self.total:,}" if self.total is not None else ""
        share = f" ({self.done / self.total:.1%})" if self.total else ""
        left = self.left()
        rest = f", {_duration(left)} left" if left is not None and self.done else ""
        return f"{self.title}: {self.done:,}{of} {self.unit}{share}, {self.rate_text()}{rest}"

    def _line(self) -> None:
        self._last_line = time.monotonic()
        print(self.line(), file=self.stream, flush=True)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
        elif kind is None and self.done:
            self._line()
