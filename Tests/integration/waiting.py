"""Polling for what a test waits on (a state, a log line, an event), with generous time-outs: tests assert
on what happened, never on how fast."""

from __future__ import annotations

import time


def wait_for(predicate, what: str = "condition", timeout: float = 20.0):
    """The first truthy value `predicate()` returns within `timeout` seconds; AssertionError naming `what` after."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} not met within {timeout:g} s")
