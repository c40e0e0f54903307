"""Timing shared by the benchmark scripts."""

from __future__ import annotations

import time


def best_cpu_seconds(fn, repeat: int) -> float:
    """Best CPU seconds of ``repeat`` calls (CPU time: the machine may be shared, wall time is noisy)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best
