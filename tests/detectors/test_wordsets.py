import random
import re

from pixelguard_addon.detectors.wordsets import trie_pattern


def test_matches_exactly_the_words():
    words = ["social security", "soc sec", "ssn", "account", "account number", "a", "ab", "abc", "b", "a.b"]
    whole = re.compile(f"(?:{trie_pattern(words)})\\Z")
    assert all(whole.match(word) for word in words)
    assert not any(whole.match(text) for text in ["", "soc", "accoun", "abcd", "c", "account numbe", "axb"])
    assert re.compile(trie_pattern([])).search("anything") is None


def test_found_wherever_the_plain_alternation_is_found():
    rng = random.Random(2)
    for _ in range(2000):
        words = ["".join(rng.choice("ab c") for _ in range(rng.randint(1, 5))) for _ in range(rng.randint(1, 8))]
        trie = re.compile("(?<![a-z])(?:" + trie_pattern(words) + ")")
        plain = re.compile("(?<![a-z])(?:" + "|".join(map(re.escape, words)) + ")")
        for _ in range(30):
            text = "".join(rng.choice("ab c") for _ in range(rng.randint(0, 8)))
            assert bool(trie.search(text)) == bool(plain.search(text)), (words, text)
