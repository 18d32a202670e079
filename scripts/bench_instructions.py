#!/usr/bin/env python3
"""The engine's cost in CPU instructions, counted by valgrind: the same on every run.

Wall-clock figures on this build VM drift by up to 2x within a minute, which hides changes of
10-20%. Callgrind counts the instructions each inspection executes (callgrind collects only
inside functools.reduce, which wraps one inspection at a time and dumps its count), so a change
shows as a number that moves for that reason alone. Counted like `bench engine`'s figures: an
engine warmed on the demo session, every memo emptied ("first sight"), or kept ("repeated").

Instructions are not time: the engine's code runs fewer instructions per cycle than a tight
loop (dict lookups, allocation, cache misses), so the "yardsticks" column (instructions over
those of one sum(range(1000)), about 10 us on a 2024 laptop core) is a floor, not a forecast.
Needs valgrind; without it this prints a note and stops.
"""
from __future__ import annotations

import functools
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

LAPTOP_YARDSTICK_US = 10.0
YARDSTICK_ROUNDS = 1000


def child(mode: str, out: Path) -> None:
    """Runs under callgrind: one functools.reduce (one dump) per measured unit."""
    if mode == "yardstick":
        functools.reduce(lambda _, __: [sum(range(1000)) for _ in range(YARDSTICK_ROUNDS)], [0], None)
        return
    from benchlib import SMALL, demo_session, size, warmed_engine

    policy, requests = demo_session()
    engine, memos = warmed_engine(policy, requests)
    if mode == "first-sight":
        for memo in memos:
            memo.clear()
    kinds = []
    for request in requests:
        inspection = functools.reduce(lambda _, item: engine.inspect(item), [request], None)
        small_third_party = not inspection.first_party and size(request) < SMALL
        kinds.append([small_third_party, small_third_party and inspection.vendor is not None])
    out.write_text(json.dumps(kinds))


def counted(mode: str, work: Path) -> tuple[list[int], list[bool]]:
    dumps = work / mode
    dumps.mkdir()
    subprocess.run(
        ["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=functools_reduce",
         "--dump-after=functools_reduce", f"--callgrind-out-file={dumps / 'cg.out'}",
         sys.executable, __file__, "--child", mode, str(work / f"{mode}.json")],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={"PYTHONHASHSEED": "0", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).parent),
             "HOME": str(Path.home())})
    counts = []
    for path in sorted(dumps.glob("cg.out.*"), key=lambda p: int(re.search(r"\.(\d+)(?:-\d+)?$", p.name).group(1))):
        text = path.read_text()
        found = re.search(r"^(?:summary|totals): (\d+)", text, re.MULTILINE)
        counts.append(int(found.group(1)) if found else 0)
    kinds_file = work / f"{mode}.json"
    return counts, json.loads(kinds_file.read_text()) if kinds_file.exists() else []


def main() -> None:
    if shutil.which("valgrind") is None:
        print("valgrind not found: no instruction counts (Debian: apt-get install valgrind)")
        return
    with tempfile.TemporaryDirectory(prefix="pixelguard-bench-") as scratch:
        work = Path(scratch)
        yardstick = counted("yardstick", work)[0][0] / YARDSTICK_ROUNDS
        print(f"yardstick: sum(range(1000)) executes {yardstick / 1e3:.0f} K instructions "
              f"(about {LAPTOP_YARDSTICK_US:.0f} us on a 2024 laptop core)")
        for mode in ("first-sight", "repeated"):
            counts, kinds = counted(mode, work)
            third_party = [count for count, (small, _) in zip(counts, kinds) if small]
            trackers = [count for count, (_, tracker) in zip(counts, kinds) if tracker]
            print(f"{mode}: {sum(counts) / 1e6:.1f} M instructions for the {len(counts)} requests of the demo session")
            for label, values in (("all requests", counts), ("third-party under 4 KB", third_party),
                                  ("trackers under 4 KB", trackers)):
                median, mean = statistics.median(values), statistics.fmean(values)
                print(f"  {label:<24} median {median / 1e6:5.2f} M ({median / yardstick:5.1f} yardsticks)   "
                      f"mean {mean / 1e6:5.2f} M ({mean / yardstick:5.1f} yardsticks)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], Path(sys.argv[3]))
    else:
        main()
