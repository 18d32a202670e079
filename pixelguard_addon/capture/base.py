"""What every capture reader shares: the error for an unusable file and the reading stats.

Kept apart from `__init__` so the readers can import it without a cycle.
"""
from __future__ import annotations

from dataclasses import dataclass, field


class CaptureError(Exception):
    """The whole capture file is unusable: not found, not a capture, corrupt.

    The message names the file and says why. A single odd entry is never a
    `CaptureError`; it is skipped and noted in `CaptureStats.skipped`.
    """


@dataclass
class CaptureStats:
    """What reading one capture found, filled in while the iterator is consumed.

    `entries`: HAR entries / flow-file flows seen (skipped ones included).
    `requests`: `CapturedRequest`s yielded (WebSocket messages each count one).
    `skipped`: one line per entry that yielded nothing, e.g. "entry 12: no request.url",
    plus "file truncated after N flows (…)" when a flow file ends in unreadable bytes.
    """

    entries: int = 0
    requests: int = 0
    skipped: list[str] = field(default_factory=list)
