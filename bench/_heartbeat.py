"""A 5 ms QTimer that records every gap between its beats: the event loop's stalls, as a user
feels them (a beat that comes late is the window not answering)."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer


class Heartbeat:
    def __init__(self, interval_ms: int = 5) -> None:
        self.gaps: list[float] = []
        self.at: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.beat)

    def start(self) -> float:
        """Start beating; returns the start time (perf_counter)."""
        self._last = self.t0 = time.perf_counter()
        self._timer.start()
        return self.t0

    def beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self.at.append(now)
        self._last = now

    def stop(self) -> None:
        self.beat()  # a stall still going on at the end counts too
        self._timer.stop()

    def figures(self) -> dict[str, float]:
        """The longest stall (ms), when it began (s after start) and the 99th percentile (ms)."""
        worst = max(range(len(self.gaps)), key=self.gaps.__getitem__)
        return {
            "stall_ms": self.gaps[worst] * 1000,
            "worst_at": self.at[worst] - self.gaps[worst] - self.t0,
            "p99_ms": sorted(self.gaps)[int(len(self.gaps) * 0.99)] * 1000,
        }
