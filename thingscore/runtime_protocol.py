"""The runtime contract: how a worker and the process that runs one program talk.

Every runtime plugin (node, quickjs, v8, a third party's) meets this contract, and
``conformance/runtime.py`` (``things conformance run --runtime=NAME``) checks it. It has
three parts.

**The process** (:class:`thingscore.runtime.Runtime` / ``RuntimeProcess``): ``start`` with a
:class:`~thingscore.runtime.StartRequest` (fresh, or resumed from a snapshot file), then
``poll``/``wait`` (the program's exit code, Node's: 1 for an uncaught error,
``process.exitCode`` kept), ``pause``/``resume`` (the program stops and goes on, its timers
with it), ``kill`` (ends it even in an endless loop), ``usage`` (CPU seconds, resident
bytes). Limits (``StartRequest.limits``) are the runtime's to enforce: a program over one ends
with exit code 1, a one-line ``things:`` message on its stderr and ``stop_reason`` set.

**The pipes**, never the program's stdout or stderr (which are its own, byte for byte as
under node): JSON lines on a *control* pipe from the program (fd in ``THINGS_CONTROL_FD``),
JSON lines on a *command* pipe to it (``THINGS_COMMAND_FD``), and a pair for the program's
synchronous requests to its worker (``THINGS_RPC_FDS="request_w,reply_r"``: global-FS calls).
:func:`spawn` sets them up; the environment also says what to do at start
(:func:`program_env`): ``THINGS_RESTORE`` (a snapshot to resume from),
``THINGS_SNAPSHOT_EVERY`` and ``THINGS_SNAPSHOT_PATH`` (snapshot and leave after so many
callbacks).

**The messages**, below: :data:`COMMANDS` a worker sends, :data:`EVENTS` a program sends.
Each is an object with ``type``; a command with a ``request`` id is answered by an event
with the same ``request``. A program never dies of a command: one it cannot read is answered
with ``error``. :func:`event_problem` says what is wrong with an event (the conformance
suite's check; a worker logs and drops a malformed one).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from thingscore.runtime import StartRequest

#: Commands, worker -> program: type -> {field: the types it may have} (request: optional str).
COMMANDS: dict[str, dict[str, tuple[type, ...]]] = {
    # snapshot at the next event-loop boundary into `path`; stop: False (go on), True (leave:
    # the program lives on elsewhere), "hold" (frozen at that boundary until resumed or killed)
    "snapshot": {"path": (str,), "stop": (bool, str)},
    # are you there? (answered at once, between two callbacks: a program in a long loop does not answer)
    "ping": {},
    # a message for the program's `things` API: what a subscription `sub` received
    "message": {"sub": (int,), "topic": (str,)},
}

#: Events, program -> worker: type -> {required field: its types}.
EVENTS: dict[str, dict[str, tuple[type, ...]]] = {
    "started": {},  # the program's first turn ran (a fresh start)
    "restored": {"ms": (int, float)},  # resumed from THINGS_RESTORE, in ms
    "restore-error": {"message": (str,)},  # the snapshot cannot resume here (why); the process ends
    # a snapshot written to `path`: its size, how long it took, after how many callbacks
    "snapshot": {"path": (str,), "bytes": (int,), "ms": (int, float), "after_callbacks": (int,)},
    "snapshot-error": {"message": (str,)},  # cannot be taken (`path`: where in the heap); the program goes on
    # the answer to ping: callbacks run so far, and the host's Node built-in modules the program
    # has loaded (a move to a runtime that lacks one is refused before it starts: missing_builtins)
    "pong": {"callbacks": (int,), "builtins": (list,)},
    "error": {"message": (str,)},  # a command it could not carry out (unknown, malformed)
    "limit": {"reason": (str,)},  # it stops itself over a limit (sets stop_reason)
    # the program's own pub/sub through its worker (the `things` API)
    "publish": {"topic": (str,)},
    "subscribe": {"sub": (int,), "pattern": (str,)},
    "unsubscribe": {"sub": (int,)},
}

#: The environment variables of the contract that one start must not inherit from another.
START_VARIABLES = ("THINGS_RESTORE", "THINGS_SNAPSHOT_EVERY", "THINGS_SNAPSHOT_PATH")


def event_problem(msg: object) -> str | None:
    """What is wrong with ``msg`` as an event of this contract, or None when it is one."""
    return _problem(msg, EVENTS, "event")


def command_problem(msg: object) -> str | None:
    """What is wrong with ``msg`` as a command of this contract, or None when it is one."""
    return _problem(msg, COMMANDS, "command")


def _problem(msg: object, kinds: Mapping[str, Mapping[str, tuple[type, ...]]], what: str) -> str | None:
    if not isinstance(msg, dict):
        return f"a {what} is a JSON object, not {type(msg).__name__}"
    kind = msg.get("type")
    if kind not in kinds:
        return f"unknown {what} type {kind!r} (known: {', '.join(kinds)})"
    for name, types in kinds[kind].items():
        value = msg.get(name)
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            return f"{what} {kind!r}: field {name!r} must be {' or '.join(t.__name__ for t in types)}, not {value!r}"
    request = msg.get("request")
    if request is not None and not isinstance(request, str):
        return f"{what} {kind!r}: field 'request' must be a string, not {request!r}"
    return None


#: Built-in names a program under a worker gets from Things itself on every runtime (the
#: control plane's API, the global file system, the timers/promises that move): never a
#: reason to refuse a runtime.
GIVEN_BY_THINGS = frozenset({"things", "fs", "timers/promises"})


def needed_builtins(names: object) -> frozenset[str]:
    """The host Node built-ins among ``names`` (a program's, as its bundle or pong lists
    them) that its worker's runtime must provide."""
    if not isinstance(names, list | tuple | set | frozenset):
        return frozenset()
    return frozenset(str(n) for n in names if isinstance(n, str) and n) - GIVEN_BY_THINGS


def missing_builtins(used: object, provided: object) -> list[str]:
    """The Node built-in modules in ``used`` (a program's, from its ``pong``) that a runtime
    declaring ``provided`` lacks. A runtime declares its ``node_builtins``: None (or absent)
    for all of Node's, else the names it has; the modules Things gives every program itself
    (``things``; ``fs`` as the global file system under a worker; ``stream`` and the other
    shipped copies) never count."""
    if not isinstance(used, list) or provided is None:
        return []
    have = set(provided) if isinstance(provided, (list, tuple, set, frozenset)) else set()
    return sorted({str(u) for u in used if isinstance(u, str)} - have)


def program_env(request: StartRequest, restore_from: Path | None = None) -> dict[str, str]:
    """The request's own environment plus what the contract says about this start
    (``restore_from``: where the runtime put the snapshot, when not where the request says)."""
    env = dict(request.env)
    restore = restore_from or request.restore_from
    if restore is not None:
        env["THINGS_RESTORE"] = str(restore)
    if request.snapshot_every > 0 and request.snapshot_path is not None:
        env["THINGS_SNAPSHOT_EVERY"] = str(request.snapshot_every)
        env["THINGS_SNAPSHOT_PATH"] = str(request.snapshot_path)
    return env


def base_env() -> dict[str, str]:
    """This process's environment without the contract's start variables (a worker started
    by `things exec` must not hand its own to every program)."""
    env = dict(os.environ)
    for key in START_VARIABLES:
        env.pop(key, None)
    return env


@dataclass
class Spawned:
    """A program's process and this side of its pipes (see the module docstring)."""

    popen: subprocess.Popen[bytes]
    control_fd: int  # read the program's events here
    command_fd: int  # write commands here
    rpc: tuple[int, int]  # (read the program's requests, write the replies)


def spawn(argv: list[str], env: dict[str, str], cwd: Path | None, stdout: int | IO[Any] | None,
          stderr: int | IO[Any] | None, extra_fds: tuple[int, ...] = ()) -> Spawned:
    """Start ``argv`` with the contract's pipes (their fds named in its environment); the
    child's ends are closed here whatever happens."""
    ctl_r, ctl_w = os.pipe()
    cmd_r, cmd_w = os.pipe()
    req_r, req_w = os.pipe()  # the program's synchronous requests (its global-FS calls)
    rep_r, rep_w = os.pipe()
    env = {**env, "THINGS_CONTROL_FD": str(ctl_w), "THINGS_COMMAND_FD": str(cmd_r),
           "THINGS_RPC_FDS": f"{req_w},{rep_r}"}
    try:
        popen = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                                 pass_fds=(ctl_w, cmd_r, req_w, rep_r, *extra_fds))
    except BaseException:
        for fd in (ctl_r, cmd_w, req_r, rep_w):
            os.close(fd)
        raise
    finally:
        for fd in (ctl_w, cmd_r, req_w, rep_r):
            os.close(fd)
    return Spawned(popen, ctl_r, cmd_w, (req_r, rep_w))
