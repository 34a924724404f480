"""Checks a worker makes before it says ``ready``: that its global FS and its pub/sub answer.

Connecting is not answering: a redis URL opens a client without touching the server, and a
zmq socket "connects" to a broker that is not there. A worker that says ready and then
fails every command is a silent failure; one line saying which part does not answer, and
exit code 1, is not.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from thingscore.fs import FileSystem
from thingscore.pubsub import Message, PubSub

from . import protocol

T = TypeVar("T")


class NotReady(Exception):
    """A part the worker needs does not answer; the message names it and what to check."""


def _within(seconds: float, what: str, fn: Callable[[], T]) -> T:
    """``fn()`` on a thread, given ``seconds``: a client without a connect time-out (a host
    that drops packets) must not keep the worker from saying why it cannot start."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller
            box["error"] = exc

    th = threading.Thread(target=run, name="readiness-check", daemon=True)
    th.start()
    th.join(seconds)
    if th.is_alive():
        raise NotReady(f"{what} did not answer within {seconds:g}s")
    if "error" in box:
        raise NotReady(f"{what} does not answer: {box['error']}")
    return box["value"]  # type: ignore[return-value]


def check_fs(fs: FileSystem, shown_as: str, timeout: float = 5.0) -> None:
    """One read-only call the server must answer (a missing file is an answer)."""
    _within(timeout, f"the global FS {shown_as}", lambda: fs.exists("things-readiness-probe"))


def check_pubsub(pubsub: PubSub, shown_as: str, timeout: float = 5.0) -> float:
    """A message to ourselves through the broker; returns the round trip in seconds. The
    message is sent again every half second until it comes back: a subscription may take
    effect a little after ``subscribe`` returns."""
    topic = f"{protocol.ROOT}/probe/{uuid.uuid4().hex}"
    back = threading.Event()

    def on_message(_: Message) -> None:
        back.set()

    t0 = time.monotonic()
    sub = _within(timeout, f"the pub/sub {shown_as}", lambda: pubsub.subscribe(topic, on_message))
    try:
        deadline = t0 + timeout
        while not back.is_set() and time.monotonic() < deadline:
            try:
                pubsub.publish(topic, b"ready?")
            except Exception as exc:
                raise NotReady(f"the pub/sub {shown_as} does not answer: {exc}") from exc
            back.wait(min(0.5, max(0.0, deadline - time.monotonic())))
        if not back.is_set():
            raise NotReady(f"the pub/sub {shown_as} did not deliver a message within {timeout:g}s "
                           "(is the broker running, and is this its address?)")
        return time.monotonic() - t0
    finally:
        try:
            pubsub.unsubscribe(sub)
        except Exception:  # best effort: the check is done
            pass
