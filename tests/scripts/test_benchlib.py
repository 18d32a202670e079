"""scripts/benchlib.py: "first sight" empties the memos of values, and only those."""
from __future__ import annotations

from .helpers import load_script

benchlib = load_script("benchlib")


def test_first_sight_empties_value_memos_and_keeps_name_caches():
    policy, requests = benchlib.demo_session()
    engine, memos = benchlib.warmed_engine(policy, requests)
    assert any(memo is engine._field_memo for memo in memos)
    assert any(memo is engine._seen_values for memo in memos)
    assert not any(memo is engine._key_roles for memo in memos)
    assert not any(memo is engine.catalog._host_vendors for memo in memos)
    for memo in memos:
        memo.clear()
    assert len(engine._key_roles) > 0 and len(engine.catalog._host_vendors) > 0
    again = [engine.inspect(request) for request in requests]  # every value new: same findings
    fresh = benchlib.Engine(policy)
    assert [len(i.findings) for i in again] == [len(fresh.inspect(r).findings) for r in requests]
