"""The synchronous request channel of a running program (the "rpc" pipes): one JSON request a
line from the program, one JSON answer a line back, in order.

Two hosts answer on it: a worker (file calls in the global FS and code made at run time,
control/program_io.py) and ``things exec`` (code made at run time only, instrument/dynamic.py).
They share this reader so that both bound what a program can make them hold: a line longer than
the limit is never buffered whole (it would let a program grow its host's memory without end);
it is answered with ``EFBIG`` once and dropped up to its newline, and the channel goes on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import IO, Any

log = logging.getLogger("things.rpc")

#: The longest request line a program may send (a file write's data included, as base64).
MAX_REQUEST_BYTES = 64 * 1024 * 1024

TOO_LARGE: dict[str, Any] = {"error": True, "code": "EFBIG", "message": "request too large"}


def serve_lines(requests: IO[bytes], replies: IO[bytes], answer: Callable[[bytes], dict[str, Any]],
                limit: int = MAX_REQUEST_BYTES, who: str = "a program") -> None:
    """Answer each request line with ``answer(line)`` until the program's end closes the pipe
    (or a reply cannot be written: the program is gone). ``answer`` must not raise: a request
    the host cannot read deserves an error answer, not the end of the channel, since the
    program waits for one answer per line."""
    pending: list[bytes] = []  # the start of a request line whose newline has not come yet
    size = 0
    skipping = False  # inside a request line that is too long: dropped up to its newline
    while True:
        try:
            chunk = requests.read(65536)
        except (OSError, ValueError):
            return
        if not chunk:
            return
        answers: list[dict[str, Any]] = []
        while chunk:
            nl = chunk.find(b"\n")
            if nl < 0:
                if not skipping:
                    pending.append(chunk)
                    size += len(chunk)
                    if size > limit:
                        log.warning("%s sent a request over %d bytes: refused", who, limit)
                        answers.append(dict(TOO_LARGE))
                        skipping, pending, size = True, [], 0
                break
            line, chunk = chunk[:nl], chunk[nl + 1:]
            if skipping:
                skipping = False
                continue
            if size + len(line) > limit:
                log.warning("%s sent a request over %d bytes: refused", who, limit)
                answers.append(dict(TOO_LARGE))
                pending, size = [], 0
                continue
            line, pending, size = b"".join([*pending, line]), [], 0
            answers.append(answer(line))
        for out in answers:
            try:
                replies.write(json.dumps(out).encode() + b"\n")
            except (OSError, ValueError):
                return
