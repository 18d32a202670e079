"""JSON Lines: one finding per line, flushed as it is written, so nothing is lost on a crash."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Iterable

from ..model import Finding


def open_private(path: str | Path, mode: str = "w") -> IO[str]:
    """Open a report file readable by its owner only: reports describe leaks of patient data."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if mode == "a" else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    os.chmod(path, 0o600)  # an existing file keeps its old mode otherwise
    return os.fdopen(fd, mode, encoding="utf-8")


def write_private(path: str | Path, text: str) -> None:
    """Write a whole report file, readable by its owner only."""
    with open_private(path) as handle:
        handle.write(text)


class JsonlWriter:
    def __init__(self, path: str | Path, append: bool = False):
        self.path = Path(path)
        self._file = open_private(self.path, "a" if append else "w")

    def write(self, finding: Finding) -> None:
        self._file.write(json.dumps(finding.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
        self._file.flush()

    def write_all(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.write(finding)

    def close(self) -> None:
        self._file.close()


def read_jsonl(path: str | Path) -> list[Finding]:
    findings = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    findings.append(Finding.from_dict(json.loads(line)))
                except (ValueError, TypeError) as exc:
                    raise ValueError(f"{path}:{number}: not a pixelguard finding ({exc})") from exc
    return findings
