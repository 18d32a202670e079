import os
import pickle

import pytest

from pixelguard_addon.detectors import lexicon_cache

calls = []


def build(directory):
    calls.append(directory)
    return {"built_from": str(directory), "terms": ["hiv", "asthma"]}


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("PIXELGUARD_CACHE_DIR", str(tmp_path / "cache"))
    calls.clear()
    directory = tmp_path / "lexicons"
    directory.mkdir()
    (directory / "a.toml").write_text("schema_version = 1\n")
    return directory


def test_second_load_comes_from_the_cache(data):
    first = lexicon_cache.load_or_build(data, build)
    second = lexicon_cache.load_or_build(data, build)
    assert first == second and len(calls) == 1
    files = list((data.parent / "cache").iterdir())
    assert len(files) == 1 and files[0].stat().st_mode & 0o777 == 0o600


def test_changed_data_builds_afresh(data):
    lexicon_cache.load_or_build(data, build)
    (data / "a.toml").write_text("schema_version = 1\n# edited\n")
    lexicon_cache.load_or_build(data, build)
    assert len(calls) == 2


def test_changed_code_of_a_pickled_class_builds_afresh(data, tmp_path, monkeypatch):
    # A development checkout changes KeyHints or Lexicon without changing the version: an old
    # pickle would come back with the old shape (and fail at the first key it had not seen).
    package = tmp_path / "package"
    for module in lexicon_cache.PICKLED_CODE:
        (package / module).parent.mkdir(parents=True, exist_ok=True)
        (package / module).write_text("class KeyHints: pass\n")
    monkeypatch.setattr(lexicon_cache, "_PACKAGE", package)
    lexicon_cache.load_or_build(data, build)
    lexicon_cache.load_or_build(data, build)
    (package / "detectors/keys.py").write_text("class KeyHints: shape = 2\n")
    lexicon_cache.load_or_build(data, build)
    assert len(calls) == 2


def test_corrupt_cache_file_is_rebuilt_not_trusted(data):
    lexicon_cache.load_or_build(data, build)
    cached = next((data.parent / "cache").iterdir())
    cached.write_bytes(b"not a pickle")
    assert lexicon_cache.load_or_build(data, build)["terms"] == ["hiv", "asthma"]
    assert len(calls) == 2
    assert pickle.loads(cached.read_bytes())["terms"] == ["hiv", "asthma"]  # rewritten whole


def test_off_never_touches_the_disk(data, monkeypatch):
    monkeypatch.setenv("PIXELGUARD_CACHE_DIR", "off")
    lexicon_cache.load_or_build(data, build)
    lexicon_cache.load_or_build(data, build)
    assert len(calls) == 2 and not (data.parent / "cache").exists()


def test_unwritable_cache_still_builds(data, monkeypatch):
    blocker = data.parent / "file"
    blocker.write_text("x")
    monkeypatch.setenv("PIXELGUARD_CACHE_DIR", str(blocker / "cache"))  # a file where a folder should be
    assert lexicon_cache.load_or_build(data, build)["terms"]


def test_real_lexicon_from_cache_finds_what_the_built_one_finds(tmp_path, monkeypatch):
    from pixelguard_addon.catalog import patterns_dir
    from pixelguard_addon.detectors.lexicon import _build_lexicon

    monkeypatch.setenv("PIXELGUARD_CACHE_DIR", str(tmp_path))
    directory = (patterns_dir() / "lexicons").resolve()
    built = lexicon_cache.load_or_build(directory, _build_lexicon)
    cached = lexicon_cache.load_or_build(directory, lambda d: pytest.fail("cache not used"))
    text = "Request HIV PrEP follow-up; bipolarDisorder; /conditions/breast-cancer; Cold Stone Creamery"
    assert [h.term for h in cached.find_terms(text)] == [h.term for h in built.find_terms(text)]
    assert os.listdir(tmp_path)


def test_a_lexicon_from_the_cache_remembers_what_it_found(tmp_path, monkeypatch):
    # Its memos come back empty and in use: a memo reached through anything the pickle copies
    # apart (a bound method of the old dict) would never be read again.
    from pixelguard_addon.catalog import patterns_dir
    from pixelguard_addon.detectors.lexicon import _build_lexicon

    monkeypatch.setenv("PIXELGUARD_CACHE_DIR", str(tmp_path))
    directory = (patterns_dir() / "lexicons").resolve()
    lexicon_cache.load_or_build(directory, _build_lexicon)
    cached = lexicon_cache.load_or_build(directory, lambda d: pytest.fail("cache not used"))
    scanned = []
    scan = cached._find
    cached._find = lambda text, key: scanned.append(text) or scan(text, key)
    for text, key in [("HIV test", "reason"), ("HIV test", "reason"), ("HIV test", "topic"), ("prep", "medication"),
                      ("prep", "medication")]:
        cached.find_terms(text, key)
    assert scanned == ["HIV test", "prep"]
