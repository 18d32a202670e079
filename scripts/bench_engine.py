#!/usr/bin/env python3
"""Engine throughput on the bundled demo capture: requests per second and per-request latency.

Two figures, because detectors remember answers for values they have seen (pixelguard_addon/
memo.py): "first sight" inspects each request once with a fresh engine, so every value is new;
"repeated" goes over the same capture again and again, as a proxy does when every page view
sends the same page URL, title and ids. Third-party requests (what the engine decodes) are
shown apart from first-party ones (which it only classifies). A third figure repeats the
capture with the CPU caches flushed before every request, as a busy proxy process leaves them.
"""
from __future__ import annotations

import statistics
import time
import timeit
from importlib.resources import files

from pixelguard_addon.capture import read_capture
from pixelguard_addon.engine import Engine
from pixelguard_addon.policy import load_policy

FRESH_ENGINES = 5
REPEATS = 200
FLUSHED_REPEATS = 20
FLUSH_BYTES = 32 * 1024 * 1024  # more than this machine's CPU caches hold
SMALL = 4096  # bytes of URL and body: the "requests under 4 KB"

demo = files("pixelguard_addon") / "demo"
policy = load_policy(str(demo / "policy.toml"))
requests = list(read_capture(str(demo / "portal-session.har")))


def timed(engine: Engine, request) -> tuple[float, bool]:
    begin = time.perf_counter()
    inspection = engine.inspect(request)
    return time.perf_counter() - begin, inspection.first_party


def report(label: str, samples: list[tuple[float, bool, int]], yardstick: float) -> None:
    """`yardstick`: machine_speed() around the run. This build VM's speed drifts by up to 2x
    within minutes; a p50 scaled by the yardstick to a laptop core stays put across them."""
    third = sorted(t for t, first, size in samples if not first and size < SMALL)
    every = sorted(t for t, _, _ in samples)
    print(f"{label}: {len(every)} inspections, {len(every) / sum(every):.0f} requests/s on one core")
    for name, timings in (("all requests", every), (f"third-party under {SMALL // 1024} KB", third)):
        p50 = statistics.median(timings) * 1e6
        print(f"  {name:<24} p50 {p50:6.0f} us   p99 {timings[int(len(timings) * 0.99)] * 1e6:6.0f} us   "
              f"mean {statistics.fmean(timings) * 1e6:6.0f} us   (p50 scaled to a laptop core: "
              f"{p50 * LAPTOP_YARDSTICK / yardstick:4.0f} us)")


def measured(run):
    """run()'s samples and the machine's speed just before and after it."""
    before = machine_speed()
    samples = run()
    return samples, (before + machine_speed()) / 2


def size(request) -> int:
    return len(request.url) + len(request.body)


LAPTOP_YARDSTICK = 10.0


def machine_speed() -> float:
    """Microseconds for sum(range(1000)): puts the figures in scale (a 2024 laptop: about 10)."""
    return min(timeit.repeat("sum(range(1000))", number=2000, repeat=5)) / 2000 * 1e6


print(f"this machine: sum(range(1000)) takes {machine_speed():.0f} us (a 2024 laptop core: about 10 us)")
started = time.perf_counter()
engine = Engine(policy)
print(f"engine start-up (catalog, lexicon, canaries): {(time.perf_counter() - started) * 1000:.0f} ms")
print(f"demo capture: {len(requests)} requests")


def first_sight() -> list:
    samples = []
    for _ in range(FRESH_ENGINES):
        fresh = Engine(policy)
        samples += [(*timed(fresh, request), size(request)) for request in requests]
    return samples


def repeated() -> list:
    return [(*timed(engine, request), size(request)) for _ in range(REPEATS) for request in requests]


# Inside mitmdump the engine shares the CPU caches with the proxy's own work between requests;
# copying a buffer larger than the caches before each request shows what that costs it.
source, sink = bytearray(FLUSH_BYTES), bytearray(FLUSH_BYTES)


def flushed() -> list:
    samples = []
    for _ in range(FLUSHED_REPEATS):
        for request in requests:
            sink[:] = source
            samples.append((*timed(engine, request), size(request)))
    return samples


report(f"first sight ({FRESH_ENGINES} fresh engines, each request once)", *measured(first_sight))
report(f"repeated (the capture {REPEATS} times over one engine)", *measured(repeated))
report(f"repeated with the CPU caches flushed before each request ({FLUSHED_REPEATS} times)", *measured(flushed))
