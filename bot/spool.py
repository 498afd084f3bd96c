"""An on-disk, fsync'd queue of deliveries accepted while Redis was unreachable."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from bot.intake import Delivery

_SUFFIX = ".json"


class SpoolError(Exception):
    """The spool could not be written: the delivery was not stored."""


class Spool:
    """One file per delivery, named by arrival so a sorted listing is arrival order.

    Each file is written to a temporary name, fsync'd, renamed into place and the folder fsync'd,
    so a delivery answered 202 survives a crash of this process or of the machine.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._last_ns = 0
        self.folder.mkdir(parents=True, exist_ok=True)
        self._pending = len(self.entries())

    @property
    def pending(self) -> int:
        """How many deliveries wait in the spool (kept in memory; the folder is the truth)."""
        return self._pending

    def append(self, delivery: Delivery) -> Path:
        with self._lock:
            stamp = max(time.time_ns(), self._last_ns + 1)
            self._last_ns = stamp
            final = self.folder / f"{stamp:020d}-{delivery.job_id}{_SUFFIX}"
            temporary = final.with_suffix(".tmp")
            try:
                with open(temporary, "wb") as handle:
                    handle.write(delivery.to_json().encode())
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temporary, final)
                self._fsync_folder()
            except OSError as error:
                temporary.unlink(missing_ok=True)
                raise SpoolError(str(error)) from error
            self._pending += 1
            return final

    def entries(self) -> list[Path]:
        """Spooled files, oldest first."""
        return sorted(self.folder.glob(f"*{_SUFFIX}"))

    def read(self, entry: Path) -> Delivery:
        return Delivery.from_json(entry.read_bytes())

    def remove(self, entry: Path) -> None:
        with self._lock:
            entry.unlink(missing_ok=True)
            self._fsync_folder()
            self._pending = max(0, self._pending - 1)

    def _fsync_folder(self) -> None:
        descriptor = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
