from __future__ import annotations

import pickle

from pixelguard_addon.memo import MEMO_MAX_TEXT, Memo, RecentMap


def counting(result):
    calls = []

    def compute():
        calls.append(1)
        return list(result)
    return compute, calls


def test_a_repeated_value_is_computed_once_and_each_caller_gets_its_own_list():
    memo = Memo()
    compute, calls = counting([1, 2])
    first = memo.get("k", "text", compute)
    first.append(3)
    assert memo.get("k", "text", compute) == [1, 2]
    assert len(calls) == 1


def test_long_texts_are_not_remembered():
    memo = Memo()
    compute, calls = counting(["hit"])
    long_text = "x" * (MEMO_MAX_TEXT + 1)
    assert memo.get(long_text, long_text, compute) == ["hit"]
    assert memo.get(long_text, long_text, compute) == ["hit"]
    assert len(calls) == 2


def test_generators_are_materialised_on_both_paths():
    memo = Memo()
    long_text = "y" * (MEMO_MAX_TEXT + 1)
    assert memo.get("a", "short", lambda: (n for n in range(3))) == [0, 1, 2]
    assert memo.get("b", long_text, lambda: (n for n in range(3))) == [0, 1, 2]


def test_bounded_it_starts_over_when_full():
    memo = Memo(entries=3)
    for key in range(3):
        memo.get(key, "t", lambda: [key])
    compute, calls = counting(["again"])
    memo.get(0, "t", lambda: ["zero"])  # still held
    memo.get(99, "t", compute)  # full: cleared, then held
    memo.get(99, "t", compute)
    assert len(calls) == 1
    recomputed, recalls = counting(["zero, recomputed"])
    assert memo.get(0, "t", recomputed) == ["zero, recomputed"] and len(recalls) == 1


def test_pickles_without_its_results():
    memo = Memo(entries=7)
    memo.get("k", "t", lambda: ["patient value"])
    copy = pickle.loads(pickle.dumps(memo))
    assert copy.entries == 7 and b"patient value" not in pickle.dumps(memo)
    compute, calls = counting(["fresh"])
    assert copy.get("k", "t", compute) == ["fresh"] and len(calls) == 1


def test_recent_map_is_bounded_and_pickles_empty():
    recent = RecentMap(entries=2)
    recent.put("a", 1)
    recent.put("b", 2)
    assert recent.get("a") == 1 and recent.get("b") == 2
    recent.put("c", 3)  # full: starts over
    assert recent.get("c") == 3 and recent.get("a") is None
    copy = pickle.loads(pickle.dumps(recent))
    assert copy.entries == 2 and len(copy) == 0


def test_cleared_memos_forget_everything_and_keep_working():
    memo, recent = Memo(), RecentMap()
    memo.get("k", "t", lambda: ["old"])
    recent.put("k", "old")
    memo.clear()
    recent.clear()
    assert len(memo) == 0 and memo.lookup("k") is None
    assert len(recent) == 0 and recent.get("k") is None
    assert memo.get("k", "t", lambda: ["new"]) == ["new"] and memo.lookup("k") == ("new",)
    recent.put("k", "new")
    assert recent.get("k") == "new"
