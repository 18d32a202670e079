#!/usr/bin/env python3
"""Engine throughput on the bundled demo capture: requests per second and per-request latency.

Two figures, because the engine remembers what it has worked out about values it has seen
(pixelguard_addon/memo.py): "first sight" empties every such memo before each pass over the
capture, so every value is new to the engine, while what start-up and earlier requests
compiled (patterns, vendors by host, key hints) stays, as in any proxy that has run a while;
"repeated" goes over the capture again and again, as a proxy does when every page view sends
the same page URL, title and ids. Third-party requests (what the engine decodes) are shown
apart from first-party ones (which it only classifies). A third figure repeats the capture
with the CPU caches flushed before every request, as a busy proxy process leaves them.

This build VM's speed drifts by up to 2x within a minute, so each timing is paired with a
yardstick (sum(range(1000)), about 10 us on a 2024 laptop core) taken right after it: the
"laptop" column is each request's time scaled by its own yardstick, then the median.
"""
from __future__ import annotations

import statistics
import time

from benchlib import SMALL, demo_session, size, warmed_engine
from pixelguard_addon.engine import Engine

FIRST_SIGHT_PASSES = 25
FIRST_SIGHT_ROUND = 5  # passes per round in the by-round figures
REPEATS = 200
FLUSHED_REPEATS = 20
FLUSH_BYTES = 32 * 1024 * 1024  # more than this machine's CPU caches hold
LAPTOP_YARDSTICK = 10.0  # us for sum(range(1000)) on a 2024 laptop core

policy, requests = demo_session()
clock = time.perf_counter


def yardstick() -> float:
    """Microseconds for sum(range(1000)), best of three: this moment's speed of the machine."""
    best = float("inf")
    for _ in range(3):
        begin = clock()
        sum(range(1000))
        best = min(best, clock() - begin)
    return best * 1e6


def timed(engine: Engine, request) -> tuple[float, float, bool, int, bool]:
    """(us, us scaled to a laptop core, first party?, size, to a known tracker?)."""
    begin = clock()
    inspection = engine.inspect(request)
    elapsed = (clock() - begin) * 1e6
    return (elapsed, elapsed * LAPTOP_YARDSTICK / yardstick(), inspection.first_party, size(request),
            inspection.vendor is not None)


def report(label: str, samples: list[tuple[float, float, bool, int, bool]]) -> None:
    third = [s for s in samples if not s[2] and s[3] < SMALL]
    # The mix is tracker requests: third parties the catalog does not know (a web
    # font) are inspected too, and cheaply, so they are shown apart from the trackers.
    trackers = [s for s in third if s[4]]
    print(f"{label}: {len(samples)} inspections, {len(samples) / sum(s[0] for s in samples) * 1e6:.0f} "
          f"requests/s on one core")
    for name, chosen in (("all requests", samples), (f"third-party under {SMALL // 1024} KB", third),
                         (f"trackers under {SMALL // 1024} KB", trackers)):
        raw = sorted(s[0] for s in chosen)
        laptop = statistics.median(s[1] for s in chosen)
        print(f"  {name:<24} p50 {statistics.median(raw):6.0f} us   p99 {raw[int(len(raw) * 0.99)]:6.0f} us   "
              f"mean {statistics.fmean(raw):6.0f} us   (p50 scaled to a laptop core: {laptop:4.0f} us)")


print(f"this machine: sum(range(1000)) takes {yardstick():.0f} us (a 2024 laptop core: about 10 us)")
started = clock()
Engine(policy)
print(f"engine start-up (catalog, lexicon, canaries): {(clock() - started) * 1000:.0f} ms")
print(f"demo capture: {len(requests)} requests")
engine, memos = warmed_engine(policy, requests)


def first_sight() -> list:
    samples = []
    for _ in range(FIRST_SIGHT_PASSES):
        for memo in memos:
            memo.clear()
        samples += [timed(engine, request) for request in requests]
    return samples


def repeated() -> list:
    return [timed(engine, request) for _ in range(REPEATS) for request in requests]


# Inside mitmdump the engine shares the CPU caches with the proxy's own work between requests;
# copying a buffer larger than the caches before each request shows what that costs it.
source, sink = bytearray(FLUSH_BYTES), bytearray(FLUSH_BYTES)


def flushed() -> list:
    samples = []
    for _ in range(FLUSHED_REPEATS):
        for request in requests:
            sink[:] = source
            samples.append(timed(engine, request))
    return samples


def by_round(samples: list, passes: int) -> None:
    """The trackers' p50 of each round of passes: rounds seconds apart show the VM's drift
    (the figures above pool them)."""
    per_pass = len(requests)
    rounds = [samples[start:start + passes * per_pass] for start in range(0, len(samples), passes * per_pass)]
    medians = [statistics.median(s[0] for s in chosen if not s[2] and s[3] < SMALL and s[4]) for chosen in rounds]
    print(f"  trackers under {SMALL // 1024} KB, p50 of each round of {passes} passes: "
          f"{' '.join(f'{m:.0f}' for m in medians)} us (median round {statistics.median(medians):.0f} us)")


first_sight_samples = first_sight()
report(f"first sight ({len(memos)} memos emptied before each of {FIRST_SIGHT_PASSES} passes)", first_sight_samples)
by_round(first_sight_samples, FIRST_SIGHT_ROUND)
report(f"repeated (the capture {REPEATS} times over one engine)", repeated())
report(f"repeated with the CPU caches flushed before each request ({FLUSHED_REPEATS} times)", flushed())
