"""Small statistics shared by the benchmarks."""

from __future__ import annotations


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank ``p``-th percentile (``p`` in 0..100) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def machine_speed_ms() -> float:
    """Milliseconds one core takes for a fixed pure-Python loop (best of three).

    Absolute throughput on a shared VM follows the host's load: the same code drained 1 165-1 336
    and 802 ops/s an hour apart (its in-process baseline 1 401-1 437 and 875 ops/s). Printed
    beside absolute figures so a reader can tell a slow machine from a slow change."""
    import time

    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for i in range(2_000_000):
            total += i
        best = min(best, time.perf_counter() - start)
    return round(best * 1000, 1)
