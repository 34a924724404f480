"""The runtime conformance checks, as plain functions of one :class:`RuntimeSubject`.

Each check drives the runtime plugin through the kernel's interface only
(``Runtime.start(StartRequest)`` and the ``RuntimeProcess`` it returns), as a worker does,
with real instrumented programs, and raises ``AssertionError`` with a message on a
violation. Every event a program sends is held to the contract
(:mod:`thingscore.runtime_protocol`). Output is compared with plain ``node``'s, byte for
byte, where node is on PATH (the oracle); without it those checks are skipped, visibly.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thingscore.runtime import Limits, RuntimeProcess, StartRequest
from thingscore.runtime_protocol import event_problem


@dataclass
class RuntimeSubject:
    """The runtime under test and a scratch folder of its own for one check."""

    runtime: Any
    work: Path


@dataclass(frozen=True)
class Check:
    name: str
    func: Callable[[RuntimeSubject], None]
    doc: str
    needs_node: bool = False  # compares with plain node's output

    def skip_reason(self, subject: Any) -> str | None:
        if self.needs_node and shutil.which("node") is None:
            return "node is not on PATH (it is the oracle of this check)"
        return None


CHECKS: dict[str, Check] = {}


def check(*, needs_node: bool = False) -> Callable[[Callable[[RuntimeSubject], None]], Any]:
    def register(func: Callable[[RuntimeSubject], None]) -> Callable[[RuntimeSubject], None]:
        name = func.__name__.removeprefix("check_")
        CHECKS[name] = Check(name, func, (func.__doc__ or "").strip().splitlines()[0], needs_node)
        return func

    return register


# -- programs ---------------------------------------------------------------------------------

COUNTER = """
const seen = new Map();
let n = 0;
const t = setInterval(() => {
  n++;
  seen.set(n, { at: n * 10, tags: ['t' + n], when: new Date(0), big: 2n ** BigInt(n * 20) });
  Promise.resolve(n).then((v) => process.nextTick(() => console.log('tick', v)));
  console.log(n, seen.get(n), [1.5, 'two', null, undefined], { nested: { deep: { deeper: { x: n } } } }, 'é😀');
  if (n === 6) { clearInterval(t); console.log([...seen.keys()], new Set(['a', 'b']), typeof Symbol()); }
}, 5);
"""

FOREVER = "let n = 0;\nsetInterval(() => { n++; if (n % 20 === 0) console.log('tick', n); }, 5);\n"


def _program(s: RuntimeSubject, source: str, name: str = "app.js") -> Path:
    from thingscore.instrument.bundle import instrument

    src = s.work / name
    src.write_text(source, encoding="utf-8")
    out = s.work / (name + ".inst.js")
    out.write_text(instrument(src).render(), encoding="utf-8")
    return out


def _node(s: RuntimeSubject, source: str) -> bytes:
    plain = s.work / "plain.js"
    plain.write_text(source, encoding="utf-8")
    return subprocess.run(["node", str(plain)], cwd=s.work, capture_output=True, check=True, timeout=60).stdout


@dataclass
class Running:
    """A started program whose output and events are read on threads (as a worker does)."""

    proc: RuntimeProcess
    out: bytearray = field(default_factory=bytearray)
    err: bytearray = field(default_factory=bytearray)
    events: list[dict[str, Any]] = field(default_factory=list)
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _readers: list[threading.Thread] = field(default_factory=list)

    def start_reading(self) -> None:
        for stream, into in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            self._readers.append(threading.Thread(target=self._pump, args=(stream, into), daemon=True))
        self._readers.append(threading.Thread(target=self._events, daemon=True))
        for t in self._readers:
            t.start()

    def _pump(self, stream: Any, into: bytearray) -> None:
        while chunk := (stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)):
            with self._cond:
                into.extend(chunk)
                self._cond.notify_all()

    def _events(self) -> None:
        for msg in self.proc.messages():
            with self._cond:
                self.events.append(msg)
                self._cond.notify_all()

    def event(self, kind: str, request: str | None = None, timeout: float = 30) -> dict[str, Any]:
        """The first event of ``kind`` (answering ``request``), waiting for it."""
        def found() -> dict[str, Any] | None:
            return next((e for e in self.events if e.get("type") == kind
                         and (request is None or e.get("request") == request)), None)

        with self._cond:
            if not self._cond.wait_for(lambda: found() is not None or self.proc.poll() is not None, timeout):
                raise AssertionError(f"no {kind!r} event within {timeout} s (events: {self.events})")
            hit = found()
        if hit is None:  # it ended: what it sent before is read once its pipe closes
            self._readers[-1].join(10)
            hit = found()
        assert hit is not None, f"the program ended without a {kind!r} event (events: {self.events}; " \
                                f"stderr: {bytes(self.err).decode(errors='replace')[-500:]})"
        return hit

    def wait_output(self, predicate: Callable[[bytes], bool], timeout: float = 30) -> None:
        with self._cond:
            ok = self._cond.wait_for(lambda: predicate(bytes(self.out)), timeout)
        assert ok, f"output not seen within {timeout} s: {bytes(self.out)[-300:]!r}"

    def finish(self, timeout: float = 60) -> int:
        rc = self.proc.wait(timeout)
        for t in self._readers:  # the pipes close with the process: everything it wrote is read
            t.join(10)
        bad = [(e, p) for e in self.events if (p := event_problem(e)) is not None]
        assert not bad, f"events outside the runtime contract: {bad}"
        return rc


def _start(s: RuntimeSubject, request: StartRequest) -> Running:
    request.stdout = subprocess.PIPE
    request.stderr = subprocess.PIPE
    r = Running(s.runtime.start(request))
    r.start_reading()
    return r


def _run(s: RuntimeSubject, request: StartRequest, timeout: float = 60) -> tuple[int, Running]:
    r = _start(s, request)
    return r.finish(timeout), r


# -- the checks -------------------------------------------------------------------------------------

@check()
def check_has_name(s: RuntimeSubject) -> None:
    """The plugin has a name and says it is available here."""
    assert isinstance(getattr(s.runtime, "name", None), str) and s.runtime.name, "a runtime has a non-empty `name`"
    assert s.runtime.available(), f"{s.runtime.name} says it is not available on this machine"


@check(needs_node=True)
def check_output_is_nodes(s: RuntimeSubject) -> None:
    """A program's stdout is node's, byte for byte, and its first event is `started`."""
    expected = _node(s, COUNTER)
    rc, r = _run(s, StartRequest(program=_program(s, COUNTER), cwd=s.work))
    assert rc == 0, f"exit code {rc}: {bytes(r.err).decode(errors='replace')[-800:]}"
    assert bytes(r.out) == expected, f"output differs from node's:\n{bytes(r.out)!r}\n{expected!r}"
    assert r.events and r.events[0] == {"type": "started"}, f"first event: {r.events[:1]}"


@check(needs_node=True)
def check_snapshot_and_resume(s: RuntimeSubject) -> None:
    """Snapshot after N callbacks (THINGS_SNAPSHOT_EVERY), resume from it: node's output, once."""
    expected = _node(s, COUNTER)
    prog = _program(s, COUNTER)
    output = b""
    snap: Path | None = None
    for hop in range(3):  # two callbacks each: the program ends in the third
        last = hop == 2
        path = s.work / f"hop{hop}.json"
        rc, r = _run(s, StartRequest(program=prog, cwd=s.work, restore_from=snap, snapshot_every=0 if last else 2,
                                     snapshot_path=None if last else path))
        assert rc == 0, f"hop {hop}: exit code {rc}: {bytes(r.err).decode(errors='replace')[-800:]}"
        output += bytes(r.out)
        if snap is not None:
            assert any(e["type"] == "restored" for e in r.events), f"hop {hop}: no `restored` event: {r.events}"
        if not last:
            taken = r.event("snapshot")
            assert taken["path"] == str(path) and path.is_file() and taken["bytes"] == path.stat().st_size
            json.loads(path.read_text(encoding="utf-8"))
            snap = path
    assert output == expected, f"output across two moves differs from node's:\n{output!r}\n{expected!r}"


@check(needs_node=True)
def check_moves_to_and_from_node(s: RuntimeSubject) -> None:
    """A snapshot taken here resumes under node, and node's resumes here (the engines differ)."""
    from thingscore import plugins

    node = plugins.load("runtime", "node")
    expected = _node(s, COUNTER)
    prog = _program(s, COUNTER)
    output = b""
    snap: Path | None = None
    for hop, rt in enumerate([s.runtime, node, s.runtime]):
        last = hop == 2
        path = s.work / f"hop{hop}.json"
        r = Running(rt.start(StartRequest(program=prog, cwd=s.work, restore_from=snap,
                                          snapshot_every=0 if last else 2, snapshot_path=None if last else path,
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)))
        r.start_reading()
        rc = r.finish(60)
        assert rc == 0, f"hop {hop} ({rt.name}): exit code {rc}: {bytes(r.err).decode(errors='replace')[-800:]}"
        output += bytes(r.out)
        snap = path
    assert output == expected, f"output differs from node's:\n{output!r}\n{expected!r}"


@check()
def check_commands_reach_a_live_program(s: RuntimeSubject) -> None:
    """ping is answered with its request id; a snapshot command writes one and the program goes on."""
    r = _start(s, StartRequest(program=_program(s, FOREVER), cwd=s.work))
    try:
        r.event("started")
        r.proc.send({"type": "ping", "request": "p1"})
        pong = r.event("pong", "p1")
        assert isinstance(pong.get("callbacks"), int) and pong["callbacks"] >= 0, pong
        snap = s.work / "live.json"
        r.proc.send({"type": "snapshot", "path": str(snap), "stop": False, "request": "s1"})
        taken = r.event("snapshot", "s1")
        assert snap.is_file() and taken["path"] == str(snap), taken
        assert not taken.get("stopped"), f"a snapshot with stop=false must not stop the program: {taken}"
        seen = len(r.out)
        r.wait_output(lambda out: len(out) > seen)  # still running after the snapshot
        assert r.proc.poll() is None
    finally:
        r.proc.kill()
    assert r.finish(15) != 0, "a killed program does not exit 0"


@check()
def check_bad_commands_are_answered_not_fatal(s: RuntimeSubject) -> None:
    """An unknown command is answered with `error` (its request id); the program lives on."""
    r = _start(s, StartRequest(program=_program(s, FOREVER), cwd=s.work))
    try:
        r.event("started")
        r.proc.send({"type": "no-such-command", "request": "bad1"})
        err = r.event("error", "bad1")
        assert "no-such-command" in err["message"], err
        r.proc.send({"type": "snapshot", "request": "bad2"})  # no path
        r.proc.send({"type": "ping", "request": "after"})
        r.event("pong", "after")
        assert r.proc.poll() is None, "the program died of a bad command"
    finally:
        r.proc.kill()
    r.finish(15)


@check()
def check_snapshot_stop_leaves(s: RuntimeSubject) -> None:
    """A snapshot command with stop=true writes the snapshot and ends the program with code 0."""
    r = _start(s, StartRequest(program=_program(s, FOREVER), cwd=s.work))
    r.event("started")
    snap = s.work / "leave.json"
    r.proc.send({"type": "snapshot", "path": str(snap), "stop": True, "request": "s1"})
    taken = r.event("snapshot", "s1")
    assert taken.get("stopped") is True and snap.is_file(), taken
    assert r.finish(30) == 0, "a program that left after its snapshot exits 0"


@check()
def check_pause_and_resume(s: RuntimeSubject) -> None:
    """A paused program prints nothing until resumed; then it goes on where it was."""
    source = "let n = 0;\nconst t = setInterval(() => { console.log(++n); if (n === 60) clearInterval(t); }, 10);\n"
    r = _start(s, StartRequest(program=_program(s, source), cwd=s.work))
    r.wait_output(lambda out: out.count(b"\n") >= 5)
    r.proc.pause()
    time.sleep(0.3)  # what was written before the stop reaches the pipe
    held = len(r.out)
    time.sleep(0.5)
    assert len(r.out) == held, "a paused program went on printing"
    assert r.proc.poll() is None
    r.proc.resume()
    assert r.finish(60) == 0
    lines = bytes(r.out).decode().split()
    assert lines == [str(i) for i in range(1, 61)], f"output after resume: {lines}"


@check()
def check_kill_ends_a_hung_program(s: RuntimeSubject) -> None:
    """kill() ends a program stuck in an endless loop; usage() counts its CPU time."""
    r = _start(s, StartRequest(program=_program(s, "setTimeout(() => { for (;;) {} }, 1);\n"), cwd=s.work))
    r.event("started")
    deadline = time.monotonic() + 20
    while r.proc.usage().get("cpu_seconds", 0.0) < 0.3 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert r.proc.usage()["cpu_seconds"] >= 0.3, f"usage() of a spinning program: {r.proc.usage()}"
    assert r.proc.usage()["rss_bytes"] > 0
    r.proc.kill()
    assert r.finish(15) != 0


EXIT_CASES = {
    "timer.js": "console.log('before');\nsetTimeout(() => { throw new TypeError('boom'); }, 1);\n",
    "micro.js": "queueMicrotask(() => { throw new Error('in a microtask'); });\nsetTimeout(() => {}, 10);\n",
    "code.js": "process.exitCode = 3;\nprocess.on('exit', (c) => console.log('exit', c));\n",
    "exit.js": "setTimeout(() => process.exit(5), 1);\nsetTimeout(() => console.log('not reached'), 50);\n",
    "evalsyntax.js": "console.log('a');\n(0, eval)('let x = ;');\n",
}


@check(needs_node=True)
def check_exit_codes_are_nodes(s: RuntimeSubject) -> None:
    """Exit codes and output are node's: uncaught errors (1), process.exitCode and exit(), 'exit' events."""
    for name, source in EXIT_CASES.items():
        (s.work / name).write_text(source, encoding="utf-8")
        expected = subprocess.run(["node", name], cwd=s.work, capture_output=True, timeout=60)
        rc, r = _run(s, StartRequest(program=_program(s, source, name), cwd=s.work))
        assert (rc, bytes(r.out)) == (expected.returncode, expected.stdout), \
            f"{name}: exit {rc} and {bytes(r.out)!r}, node: exit {expected.returncode} and {expected.stdout!r}; " \
            f"stderr: {bytes(r.err)[-300:]!r}"
        if name == "timer.js":
            assert b"TypeError: boom" in r.err, f"the uncaught error is not on stderr: {bytes(r.err)[-300:]!r}"


EVENT_LOOP = """
const order = [];
setTimeout(() => order.push('t10'), 10);
setTimeout(() => { order.push('t0'); setImmediate(() => order.push('imm-in-timer'));
  process.nextTick(() => order.push('tick-in-timer')); Promise.resolve().then(() => order.push('job-in-timer')); }, 0);
setImmediate(() => { order.push('imm'); setTimeout(() => order.push('t-from-imm'), 0); });
process.nextTick(() => order.push('tick'));
Promise.resolve().then(() => { order.push('job'); process.nextTick(() => order.push('tick-in-job')); });
queueMicrotask(() => order.push('micro'));
(async () => { await null; order.push('await'); })();
setTimeout(() => console.log(order.join(' ')), 400);  // (long: a loaded machine may start late)
"""


@check(needs_node=True)
def check_event_loop_order_is_nodes(s: RuntimeSubject) -> None:
    """Timers, immediates, nextTick, queueMicrotask, promise jobs and awaits run in node's order."""
    expected = _node(s, EVENT_LOOP).split()
    rc, r = _run(s, StartRequest(program=_program(s, EVENT_LOOP), cwd=s.work))
    assert rc == 0, bytes(r.err)[-800:]
    out = bytes(r.out).split()
    # (node may run 't0' before or after 'imm': both are its order, depending on the clock)
    head = expected[:min(expected.index(w) for w in (b"t0", b"imm"))]
    assert out[:len(head)] == head and sorted(out) == sorted(expected), f"{out} against node's {expected}"


def _stopped_for(s: RuntimeSubject, source: str, limits: Limits, reason: str, what: str) -> None:
    """``source`` run under ``limits`` is stopped: non-zero exit, ``stop_reason`` == ``reason``."""
    rc, r = _run(s, StartRequest(program=_program(s, source), cwd=s.work, limits=limits), timeout=120)
    assert rc != 0, f"a program over its {what} limit was not stopped"
    assert getattr(r.proc, "stop_reason", None) == reason, \
        f"stop_reason {getattr(r.proc, 'stop_reason', None)!r}; stderr: {bytes(r.err)[-300:]!r}"
    assert b"Traceback" not in r.err


@check()
def check_memory_limit(s: RuntimeSubject) -> None:
    """A program over its memory limit is stopped: non-zero exit, stop_reason says which limit."""
    limits = Limits(memory_mb=64)
    grow = ("const keep = [];\nsetInterval(() => { for (let i = 0; i < 200; i++) "
            "keep.push(new Array(10000).fill(i)); }, 1);\n")
    _stopped_for(s, grow, limits, limits.memory_reason(), "memory")


@check()
def check_cpu_limit(s: RuntimeSubject) -> None:
    """A program over its CPU-time limit is stopped: non-zero exit, stop_reason says which limit."""
    limits = Limits(cpu_seconds=1)
    spin = "let x = 0;\nsetInterval(() => { for (let i = 0; i < 1e6; i++) x += i; }, 1);\n"
    _stopped_for(s, spin, limits, limits.cpu_reason(), "CPU")


@check()
def check_bad_snapshot_is_refused(s: RuntimeSubject) -> None:
    """A snapshot that is not one is refused with `restore-error` and a non-zero exit, never a crash."""
    bad = s.work / "bad.json"
    bad.write_text('{"format": "not a snapshot"}', encoding="utf-8")
    rc, r = _run(s, StartRequest(program=_program(s, FOREVER), cwd=s.work, restore_from=bad))
    assert rc != 0
    err = r.event("restore-error")
    assert err["message"], err
    assert b"Traceback" not in r.err


@check()
def check_declared_builtins(s: RuntimeSubject) -> None:
    """The Node built-ins it declares (`node_builtins`) load; one it does not is a clear error naming it."""
    declared = getattr(s.runtime, "node_builtins", None)
    names = sorted(declared) if declared is not None else ["crypto", "os", "zlib", "events", "util"]
    source = "".join(f"console.log({json.dumps(n)}, typeof require({json.dumps(n)}));\n" for n in names)
    rc, r = _run(s, StartRequest(program=_program(s, source), cwd=s.work))
    assert rc == 0, f"declared built-ins do not all load: {bytes(r.err).decode(errors='replace')[-500:]}"
    assert len(bytes(r.out).splitlines()) == len(names), bytes(r.out)
    if declared is None:
        return
    absent = next(n for n in ("zlib", "net", "http", "child_process", "worker_threads", "vm") if n not in declared)
    rc, r = _run(s, StartRequest(program=_program(s, f"require({json.dumps(absent)});\n", "absent.js"), cwd=s.work))
    assert rc == 1, f"require of {absent!r}, which it does not declare, exited {rc}"
    assert absent.encode() in r.err and b"Traceback" not in r.err, bytes(r.err)[-500:]
