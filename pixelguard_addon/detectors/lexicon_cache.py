"""A cache of the built lexicon, so the proxy and each scan start in a fraction of a second.

Building the lexicon (≈ 22,000 terms with their spellings, plurals and slug forms, compiled
into one Aho-Corasick automaton) costs about a second of Python work; loading the finished
object back costs about a tenth of that. The cache is keyed by the bytes of every lexicon
file, pixelguard's version, pyahocorasick's and the source of the modules whose objects are
pickled, so any change to the data or the code that reads it builds afresh (a development
checkout changes code without changing its version). A cache that cannot be read or written is ignored: it only ever saves
time, never decides what is detected. `PIXELGUARD_CACHE_DIR=off` turns it off.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")
FORMAT = "3"  # bump when the cache's own layout changes
_PACKAGE = Path(__file__).resolve().parent.parent
# The modules whose classes are in the pickle: Lexicon and Term, KeyHints, Memo.
PICKLED_CODE = ("detectors/lexicon.py", "detectors/keys.py", "memo.py")


def cache_dir() -> Path | None:
    configured = os.environ.get("PIXELGUARD_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "pixelguard"


def load_or_build(directory: Path, build: Callable[[Path], T]) -> T:
    where = cache_dir()
    if where is None:
        return build(directory)
    path = where / f"lexicon-{_key(directory)}.pickle"
    cached = _read(path)
    if cached is not None:
        return cached
    built = build(directory)
    _write(path, built)
    return built


def _key(directory: Path) -> str:
    digest = hashlib.sha256(f"{FORMAT}|{_version('pixelguard')}|{_version('pyahocorasick')}".encode())
    for module in PICKLED_CODE:
        digest.update((_PACKAGE / module).read_bytes() + b"\0")
    for path in sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix in (".toml", ".json")):
        digest.update(str(path.relative_to(directory)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def _read(path: Path):
    try:
        if path.stat().st_uid != os.getuid():  # only ever unpickle a file this user wrote
            return None
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # absent, truncated, written by another version: build instead
        return None


def _write(path: Path, value: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".lexicon-")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)  # readers never see a half-written file
    except Exception:
        pass
