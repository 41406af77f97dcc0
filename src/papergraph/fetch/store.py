"""Resumable, atomic output of a fetch: records go to ``FILE.part``, progress to ``FILE.fetch.json``.

After every page the new records are appended to the part file and flushed to disk, then the
state (the request, the cursor of the next page, the part file's length) is replaced atomically.
A fetch that stops (network failure, kill) leaves both; the same fetch run again truncates the
part file to the length the state records and continues from its cursor. Only a complete fetch
renames the part file over ``FILE``, so ``FILE`` is always the previous complete fetch or the new one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import OutputError

__all__ = ["Harvest"]


class Harvest:
    """The part file and resume state of one fetch into ``output``."""

    def __init__(self, output: str | os.PathLike, key: dict):
        self.output = Path(output)
        self.part = self.output.with_name(self.output.name + ".part")
        self.state_path = self.output.with_name(self.output.name + ".fetch.json")
        self.key = key
        self.cursor: dict | None = None
        self.ids: set[str] = set()
        self.count = 0
        self.resumed = False

    def open(self, *, restart: bool = False) -> None:
        """Resume the state of the same request, else start an empty part file."""
        state = None if restart else self._read_state()
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            if state is not None and state.get("key") == self.key and self._reread(state["bytes"]):
                self.cursor, self.count, self.resumed = state.get("cursor"), len(self.ids), True
            else:
                self.ids = set()
                self.part.write_bytes(b"")
                self.state_path.unlink(missing_ok=True)
        except OSError as e:
            raise OutputError(f"{self.part}: cannot write: {e.strerror or e}") from None

    def _reread(self, size: int) -> bool:
        """Cut the part file to the saved length and read its ids; False if it is missing or unreadable."""
        try:
            with open(self.part, "r+b") as fh:
                fh.truncate(size)  # drop a page appended after the last saved state
                fh.seek(0)
                for line in fh:
                    self.ids.add(json.loads(line)["id"])
        except FileNotFoundError:
            return False
        except (ValueError, KeyError, TypeError):  # edited or damaged by hand: start over
            return False
        return True

    def add(self, records: list[dict], cursor: dict | None) -> tuple[int, int]:
        """Append the records not seen before and save ``cursor``; returns (added, duplicates)."""
        fresh = []
        for r in records:
            if r["id"] not in self.ids:
                self.ids.add(r["id"])
                fresh.append(r)
        try:
            with open(self.part, "ab") as fh:
                for r in fresh:
                    fh.write(json.dumps(r, ensure_ascii=False).encode("utf-8") + b"\n")
                fh.flush()
                os.fsync(fh.fileno())
                size = fh.tell()
            self.count += len(fresh)
            self.cursor = cursor
            tmp = self.state_path.with_name(self.state_path.name + ".tmp")
            tmp.write_text(json.dumps({"key": self.key, "cursor": cursor, "bytes": size, "records": self.count}))
            os.replace(tmp, self.state_path)
        except OSError as e:
            raise OutputError(f"{self.part}: cannot write: {e.strerror or e}") from None
        return len(fresh), len(records) - len(fresh)

    def finish(self) -> None:
        """Switch the complete part file in as ``output`` and forget the state."""
        try:
            os.replace(self.part, self.output)
            self.state_path.unlink(missing_ok=True)
        except OSError as e:
            raise OutputError(f"{self.output}: cannot write: {e.strerror or e}") from None

    def _read_state(self) -> dict | None:
        try:
            state = json.loads(self.state_path.read_text())
        except (OSError, ValueError):
            return None
        return state if isinstance(state, dict) and isinstance(state.get("bytes"), int) else None
