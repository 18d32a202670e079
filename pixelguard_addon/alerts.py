"""The terminal's alert lines, one per flow pixelguard acted on, logged in short batches.

Each log record costs the proxy its trip through logging's handlers, a formatted timestamp and
a write to the terminal: about 0.1 ms of mitmdump's CPU, as much as inspecting a tracker
request, and the same for one line or twenty. A page view fires its beacons within a few
milliseconds, so alerts raised while an event loop runs are held for at most BATCH_SECONDS and
logged as one record, still a line per flow, in the order they were raised. Without a running
loop (tests, a script calling the hooks) nothing could flush a batch, so each alert is logged
at once.
"""
from __future__ import annotations

import asyncio
import logging
from itertools import chain

BATCH_SECONDS = 0.1  # unnoticeable to someone watching the terminal
MAX_BATCH = 50  # lines per record: a burst is logged as it comes, in bounded records


class AlertLog:
    """Alert lines for `logger` at `level`, each `line_format % args`."""

    def __init__(self, logger: logging.Logger, level: int, line_format: str) -> None:
        self.logger, self.level, self.line_format = logger, level, line_format
        self._pending: list[tuple[str, ...]] = []
        self._flush_timer: asyncio.TimerHandle | None = None

    def alert(self, *args: str) -> None:
        # The level is asked now, as a log call would: a line below it is never held.
        if not self.logger.isEnabledFor(self.level):
            return
        self._pending.append(args)
        if len(self._pending) >= MAX_BATCH:
            self.flush()
        elif self._flush_timer is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                self.flush()
                return
            self._flush_timer = loop.call_later(BATCH_SECONDS, self.flush)

    def flush(self) -> None:
        """Log the lines held so far as one record (done at once on shutdown)."""
        if self._flush_timer is not None:
            self._flush_timer.cancel()
            self._flush_timer = None
        pending, self._pending = self._pending, []
        if not pending:
            return
        # Made with makeRecord and handled directly: a log call would first walk up the stack
        # to find its caller. Formatted only if a handler prints it.
        message = "\n".join([self.line_format] * len(pending))
        record = self.logger.makeRecord(self.logger.name, self.level, __file__, _FLUSH_LINE, message,
                                        tuple(chain.from_iterable(pending)), None, "flush")
        self.logger.handle(record)

    @property
    def pending(self) -> int:
        return len(self._pending)


_FLUSH_LINE = AlertLog.flush.__code__.co_firstlineno
