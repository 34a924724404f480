"""One program's message channel as the gateway keeps it: the page's posts in, the program's
``postMessage`` out, each exactly once and in order, whatever the program does meanwhile
(starts, pauses, moves between workers, comes back to the page, goes out again).

Where the guarantee comes from, link by link:

- page -> gateway: one WebSocket (TCP: in order, or broken). Posts carry the page's sequence
  number; :meth:`Channel.accept` takes ``last + 1``, acks a repeat without passing it on (a
  page that reconnects resends what was not acked) and refuses a gap.
- gateway -> program: the gateway publishes a post only while the program is *running* on a
  worker whose subscription to its channel is in place. Whenever that is not so (it is
  starting, paused by the page, being moved, being brought back, or offloaded and not yet
  restored) posts are *held* here, in order, and published after, in order (:meth:`release`,
  under the same lock as :meth:`accept`, so a new post cannot overtake a held one). The bus
  keeps per-topic FIFO order; a message id per post (``<pid>.<seq>``, the same however often
  it is sent) lets the program's runtime drop a repeat (jsruntime/things_api.js keeps the ids
  of its last 2048 messages in its state, hence in every snapshot).
- moves between workers: the gateway holds posts while a move it asked for runs, and the
  workers themselves hold and hand over anything already on the bus
  (:class:`thingscore.control.program_io.ProgramBus`).
- back to the page: the worker snapshots the program and stops it at that boundary (nothing
  after the snapshot is handled there). Every post published in the last :data:`WINDOW` and
  every held one goes to the page with the snapshot (:meth:`to_page`); the page's runtime
  delivers them by id and drops those the snapshot has already seen. So a post is handled by
  exactly one copy of the program. Limit: more than :data:`WINDOW` posts published and still
  unread by the program at the moment of the snapshot (it reads them as they come; a paused
  program gets none, they are held here).
- program -> page: each ``postMessage`` is numbered here (:meth:`reply`) and kept until the
  page acks it; the pub/sub layer drops repeats by message id, and the program posts each
  message once (a snapshot is taken at a boundary: what it published before is not redone).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

#: Published posts remembered for a bring-back (below the runtime's 2048 remembered ids).
WINDOW = 1024
#: Messages to the page kept until acked; beyond it the oldest are dropped (and logged).
OUTBOX = 10_000

STARTING, RUNNING, HELD, PAGE, ENDED = "starting", "running", "held", "page", "ended"


@dataclass(frozen=True)
class Post:
    seq: int
    id: str
    data: str  # the structured clone text

    def as_item(self) -> dict[str, str | int]:
        return {"id": self.id, "seq": self.seq, "data": self.data}


class Refused(Exception):
    """A post the channel does not take; ``code`` is the page's error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Channel:
    """The channel of program ``pid``. ``publish`` sends one post to the cluster (it is
    called with the channel's lock held, so posts go out one at a time, in order)."""

    def __init__(self, pid: str, owner: str, publish: Callable[[Post], None], state: str = STARTING) -> None:
        self.pid = pid
        self.owner = owner
        self.state = state
        self.why = ""              # why posts are held (for `ps` and errors)
        self.worker = ""
        self.in_seq: int | None = None   # the last post taken (None: take whatever comes first)
        self.out_seq = 0
        self.held: list[Post] = []
        self.sent: deque[Post] = deque(maxlen=WINDOW)
        self.outbox: deque[tuple[int, str]] = deque()
        self.dropped = 0           # messages to the page dropped unacked (OUTBOX full)
        self.moving = False        # a move of it runs (one at a time)
        self.paused = False        # paused by the page: posts held until it resumes
        self.brought: dict[str, object] | None = None  # the last bring-back, until it is offloaded again
        self._publish = publish
        self.lock = threading.RLock()

    def message_id(self, seq: int) -> str:
        return f"{self.pid}.{seq}"

    # -- posts (page -> program) ------------------------------------------------------

    def accept(self, seq: int | None, data: str) -> tuple[int, bool]:
        """Take the page's post ``seq`` (the next one when None): (its seq, whether it is new).
        Published at once while the program runs, held otherwise."""
        with self.lock:
            if self.state == PAGE:
                raise Refused("not-here", f"program {self.pid} runs in the page: post to its Web Worker there")
            if self.state == ENDED:
                raise Refused("not-here", f"program {self.pid} has ended ({self.why or 'no reason given'})")
            last = self.in_seq
            if seq is None:
                seq = (last or 0) + 1
            if last is not None and seq <= last:
                return seq, False
            if last is not None and seq != last + 1:
                raise Refused("gap", f"post {seq} of {self.pid} after {last}: resend from {last + 1}")
            if seq < 1:
                raise Refused("bad-frame", "seq starts at 1")
            self.in_seq = seq
            post = Post(seq, self.message_id(seq), data)
            if self.state == RUNNING:
                self._send(post)
            else:
                self.held.append(post)
            return seq, True

    def _send(self, post: Post) -> None:
        self._publish(post)
        self.sent.append(post)

    def hold(self, why: str) -> None:
        """From now on posts wait here (the program is paused, moving or going to the page)."""
        with self.lock:
            if self.state in (RUNNING, STARTING):
                self.state = HELD
            self.why = why

    def release(self, worker: str | None = None) -> int:
        """The program runs and listens: publish what was held, in order; later posts go at once."""
        with self.lock:
            if worker:
                self.worker = worker
            held, self.held = self.held, []
            self.state, self.why = RUNNING, ""
            for post in held:
                self._send(post)
            return len(held)

    def to_page(self) -> list[Post]:
        """The program is going back to the page: every post it may not have seen (the window
        of published ones, then the held ones), for the page's runtime to deliver by id."""
        with self.lock:
            out = [*self.sent, *self.held]
            self.sent.clear()
            self.held = []
            self.state, self.worker, self.why = PAGE, "", ""
            return out

    def from_page(self, in_seq: int | None) -> None:
        """The page sends the program out again (offload): hold posts until it is restored.
        ``in_seq``: the last post the page's own worker handled (numbering goes on from it)."""
        with self.lock:
            if in_seq is not None:
                self.in_seq = max(in_seq, self.in_seq or 0)
            self.state, self.why = HELD, "offloading"
            self.brought = None

    def end(self, why: str) -> None:
        with self.lock:
            self.state, self.why = ENDED, why
            self.held = []

    # -- messages (program -> page) -----------------------------------------------------

    def reply(self, data: str) -> tuple[int, int]:
        """Number one message of the program for the page and keep it until acked: (seq, how
        many old ones were dropped to make room)."""
        with self.lock:
            self.out_seq += 1
            self.outbox.append((self.out_seq, data))
            dropped = 0
            while len(self.outbox) > OUTBOX:
                self.outbox.popleft()
                dropped += 1
            self.dropped += dropped
            return self.out_seq, dropped

    def acked(self, seq: int) -> None:
        with self.lock:
            while self.outbox and self.outbox[0][0] <= seq:
                self.outbox.popleft()

    def since(self, seq: int) -> list[tuple[int, str]]:
        """The kept messages after ``seq`` (for a page that attaches again)."""
        with self.lock:
            return [(s, d) for s, d in self.outbox if s > seq]

    def describe(self) -> dict[str, object]:
        with self.lock:
            return {"id": self.pid, "state": self.state, "worker": self.worker or None, "held": len(self.held),
                    "inSeq": self.in_seq or 0, "outSeq": self.out_seq, "why": self.why or None}
