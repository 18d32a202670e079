#!/usr/bin/env python3
"""Engine throughput on the real-SDK and documented-format fixtures (tests/data/sdk), per
vendor: gzip/lz-string/protobuf/bel payloads, signature-matched gateways, opaque bodies."""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pixelguard_addon.capture import read_capture  # noqa: E402
from pixelguard_addon.engine import Engine  # noqa: E402
from pixelguard_addon.policy import parse_policy  # noqa: E402

FIXTURES = ROOT / "tests" / "data" / "sdk"
ROUNDS = 50

engine = Engine(parse_policy('schema_version = 1\n[policy]\nfirst_party = ["portal.test", "sp.portal.test", '
                             '"countly.portal.test", "tracking.portal.test", "metrics.portal.test"]\n'
                             '[[test_patient]]\nemail = "ida.tarbell.test@example.org"\nphone = "212-555-0142"\n'))
all_timings: list[float] = []
rows = []
for planted in sorted(FIXTURES.glob("*.planted.json")):
    name = planted.name.removesuffix(".planted.json")
    requests = list(read_capture(FIXTURES / f"{name}.har"))
    timings = []
    for _ in range(ROUNDS):
        for request in requests:
            begin = time.perf_counter()
            engine.inspect(request)
            timings.append(time.perf_counter() - begin)
    all_timings += timings
    size = sum(len(r.body) + len(r.url) for r in requests) / len(requests)
    rows.append((name, json.loads(planted.read_text())["origin"], len(requests), size, statistics.median(timings)))
for name, origin, count, size, median in rows:
    print(f"{name:20} {origin:18} {count:3} requests, avg {size:6.0f} bytes, p50 {median * 1e6:7.0f} us")
all_timings.sort()
print(f"all fixtures: {len(all_timings) / sum(all_timings):.0f} requests/s on one core; "
      f"p50 {statistics.median(all_timings) * 1e6:.0f} us, p99 {all_timings[int(len(all_timings) * 0.99)] * 1e6:.0f} us")
