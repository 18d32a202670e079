"""Shared by the engine benchmarks: the demo session, and the memos a warmed engine holds."""
from __future__ import annotations

from importlib.resources import files

from pixelguard_addon.capture import read_capture
from pixelguard_addon.engine import Engine
from pixelguard_addon.memo import Memo, RecentMap
from pixelguard_addon.policy import load_policy

SMALL = 4096  # bytes of URL and body: the "requests under 4 KB"


def demo_session():
    """(policy, the demo session's requests)."""
    demo = files("pixelguard_addon") / "demo"
    return load_policy(str(demo / "policy.toml")), list(read_capture(str(demo / "portal-session.har")))


def size(request) -> int:
    return len(request.url) + len(request.body)


# Caches indexed by names, not values: a payload key's role per vendor, a host's vendor. A proxy
# that has run a while knows `dl`, `ev` and www.facebook.com whatever values come next.
NAME_CACHES = frozenset({"_key_roles", "_host_vendors"})


def memos_of(root: object) -> list:
    """Every Memo and RecentMap of values reachable from `root` through pixelguard's own
    objects: the engine's, its detectors' and the lexicon's (which engines share). Emptied, they
    make every value new again while what start-up and earlier requests compiled stays
    (NAME_CACHES among it)."""
    seen, found, todo = set(), [], [root]
    while todo:
        item = todo.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, (Memo, RecentMap)):
            found.append(item)
        elif isinstance(item, (list, tuple)):
            todo.extend(item)
        elif isinstance(item, dict):
            todo.extend(item.values())
        elif type(item).__module__.startswith("pixelguard_addon") and hasattr(item, "__dict__"):
            todo.extend(value for name, value in vars(item).items() if name not in NAME_CACHES)
    return found


def warmed_engine(policy, requests) -> tuple[Engine, list]:
    """An engine that has seen the session once (the warm-up a proxy's first page view gives
    it), and its memos."""
    engine = Engine(policy)
    for request in requests:
        engine.inspect(request)
    return engine, memos_of(engine)
