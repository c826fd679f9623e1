"""How fresh a read is: the log position it reflects, and what a reader may wait for."""

from __future__ import annotations

POSITION_HEADER = "Kezek-Log-Position"


class ViewsBehind(Exception):
    """The views have not reached the position a reader asked for within the bounded wait
    (503 with Retry-After), or the position is past the head of the log."""

    def __init__(self, position: int, wanted: int, *, beyond_head: bool = False) -> None:
        self.position = position
        self.wanted = wanted
        self.beyond_head = beyond_head
        why = "the log has no such position yet" if beyond_head else "still catching up"
        super().__init__(f"the views stand at {position}, not yet at {wanted}: {why}")
