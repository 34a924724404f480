"""Fuzzing the control plane's decoding: anything on a command topic is refused or obeyed, nothing else.

Whoever can publish on the bus can send a worker any bytes. ``decode_command`` and
``decode_reply`` must answer with a Command/Reply or raise ProtocolError (nothing else
escapes: no TypeError from an unhashable ``cmd``, no RecursionError from deep JSON, no
crash of the process); ``reply_to_of`` never raises; and a CommandInbox fed garbage over
the ``local`` pub/sub logs and refuses, never raises, and still answers the next good
command.

Budget: ``THINGS_FUZZ_EXAMPLES`` (see tests/README.md); derandomized in CI.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from typing import Any

import pytest
from fuzzing import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

from thingscore import plugins
from thingscore.control import protocol
from thingscore.control.inbox import CommandInbox
from thingscore.control.protocol import Command, ProtocolError, Reply
from thingscore.pubsub import Message

# -- inputs -----------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
field_values = json_values | st.sampled_from(sorted(protocol.COMMANDS)) | st.just("things/r/client-1")
COMMAND_KEYS = ["id", "cmd", "args", "reply_to", "sender"]
REPLY_KEYS = ["re", "ok", "worker", "result", "error"]


@st.composite
def type_confused(draw: st.DrawFn) -> bytes:
    """An object with the right keys (or most of them) holding values of any type."""
    keys = draw(st.sampled_from([COMMAND_KEYS, REPLY_KEYS]))
    obj = {k: draw(field_values) for k in keys if draw(st.integers(0, 5))}
    return json.dumps(obj).encode()


@st.composite
def mutated_valid(draw: st.DrawFn) -> bytes:
    """A real command or reply with a few byte edits (flips, cuts, insertions, truncation), or none."""
    if draw(st.booleans()):
        data = bytearray(Command(cmd=draw(st.sampled_from(sorted(protocol.COMMANDS))), args={"pid": "p1", "n": [1, 2]},
                                 reply_to="things/r/c1", sender="c1", id="m1").encode())
    else:
        data = bytearray(Reply(re="m1", ok=draw(st.booleans()), worker="w1", result={"a": [1]}, error="e").encode())
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "delete", "insert", "truncate"]))
        if kind == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 8))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=4) | st.sampled_from([b"[", b"{", b'"', b"\\", b"\xff"]))
        else:
            del data[at:]
    return bytes(data)


@st.composite
def nested(draw: st.DrawFn) -> bytes:
    """Deep nesting in a field (closed or not), at depths around and beyond the limit."""
    depth = draw(st.sampled_from([1, 50, 99, 100, 101, 500, 5_000]))
    opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
    inner = opener * depth + "1" + (closer * depth if draw(st.booleans()) else "")
    key = draw(st.sampled_from(COMMAND_KEYS + REPLY_KEYS))
    head = '{"id": "m", "cmd": "ps", "re": "m", "ok": true, "reply_to": "things/r/c"'
    return f'{head}, "{key}": {inner}}}'.encode()


payloads = st.one_of(st.binary(max_size=300), mutated_valid(), mutated_valid(), type_confused(), type_confused(),
                     nested(), json_values.map(lambda v: json.dumps(v).encode()))


def check_decoders(payload: bytes) -> tuple[bool, bool]:
    """Every decoder keeps its contract; returns (a command decoded, a reply decoded)."""
    decoded = [False, False]
    for i, decode in enumerate((protocol.decode_command, protocol.decode_reply)):
        try:
            value = decode(payload)
        except ProtocolError as exc:
            assert str(exc) and len(str(exc)) < 1000, str(exc)[:200]
        else:
            decoded[i] = True
            if isinstance(value, Command):
                assert value.cmd in protocol.COMMANDS and isinstance(value.args, dict) and isinstance(value.id, str)
                assert isinstance(value.sender, str) and (value.reply_to is None or isinstance(value.reply_to, str))
                value.encode()  # what a worker echoes back can be written again
            else:
                assert isinstance(value, Reply) and isinstance(value.re, str) and isinstance(value.ok, bool)
                assert isinstance(value.worker, str) and (value.error is None or isinstance(value.error, str))
    rt, mid = protocol.reply_to_of(payload)
    assert rt is None or (isinstance(rt, str) and rt.startswith("things/r/") and isinstance(mid, str))
    return decoded[0], decoded[1]


def test_fuzz_decoders() -> None:
    seen = {"command": 0, "reply": 0, "refused": 0}

    @fuzz_settings(5_000)
    @given(payloads)
    def case(payload: bytes) -> None:
        command, reply = check_decoders(payload)
        seen["command"] += command
        seen["reply"] += reply
        seen["refused"] += not (command or reply)

    case()
    # not vacuous: the inputs reach past the first check both ways
    assert min(seen.values()) > sum(seen.values()) // 200, seen


# -- deep, huge, and the regressions --------------------------------------------------------

DEEP = 100_000
EXTREMES = {
    "deep list": b"[" * DEEP + b"]" * DEEP,
    "deep list, unclosed": b"[" * DEEP,
    "deep object": b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    "deep args": (b'{"id": "m", "cmd": "ps", "reply_to": "things/r/c", "args": {"a": ' + b"[" * DEEP + b"]" * DEEP
                  + b"}}"),
    "deep reply_to": b'{"id": "m", "cmd": "ps", "reply_to": ' + b"[" * DEEP + b"]" * DEEP + b"}",
    "deep result": b'{"re": "m", "ok": true, "result": ' + b"[" * DEEP + b"]" * DEEP + b"}",
    "brackets in strings are not nesting": b'{"id": "m", "cmd": "ps", "args": {"s": "' + b"[" * DEEP + b'"}}',
    "too large": b'{"id": "m", "cmd": "ps", "args": {"s": "' + b"a" * protocol.MAX_MESSAGE + b'"}}',
    "large but allowed": b'{"id": "m", "cmd": "ps", "args": {"s": "' + b"a" * 10_000_000 + b'"}}',
    "many keys": (b'{"id": "m", "cmd": "ps", "args": {' + b",".join(b'"k%d": %d' % (i, i) for i in range(200_000))
                  + b"}}"),
    "unhashable cmd (list)": b'{"id": "m", "cmd": [1], "reply_to": "things/r/c"}',
    "unhashable cmd (object)": b'{"id": "m", "cmd": {"a": 1}}',
    "huge id": b'{"id": "' + b"i" * 1_000_000 + b'", "cmd": "ps"}',
    "sender is an object": b'{"id": "m", "cmd": "ps", "sender": {"a": [1]}}',
    "not UTF-8": b'{"id": "m\xff", "cmd": "ps"}',
    "UTF-16": '{"id": "m", "cmd": "ps"}'.encode("utf-16"),
    "lone surrogate": b'{"id": "\\ud800", "cmd": "ps"}',
    "NaN and huge numbers": b'{"re": "m", "ok": true, "result": [NaN, Infinity, 1e999, -0]}',
    "huge integer": b'{"re": "m", "ok": true, "result": ' + b"9" * 5000 + b"}",
    "empty": b"",
    "null": b"null",
}


@pytest.mark.parametrize("case", sorted(EXTREMES))
def test_extreme_message(case: str) -> None:
    t0 = time.perf_counter()
    check_decoders(EXTREMES[case])
    assert time.perf_counter() - t0 < 10


def test_deep_nesting_is_refused_clearly() -> None:
    for payload in (EXTREMES["deep list"], EXTREMES["deep args"]):
        with pytest.raises(ProtocolError, match="nested"):
            protocol.decode_command(payload)
    assert protocol.decode_command(EXTREMES["brackets in strings are not nesting"]).args["s"] == "[" * DEEP
    assert protocol.reply_to_of(EXTREMES["deep args"]) == (None, None)


def test_unhashable_cmd_is_a_protocol_error() -> None:
    """Regression: ``cmd not in allowed`` raised TypeError for a list or an object."""
    with pytest.raises(ProtocolError, match="unknown command list"):
        protocol.decode_command(EXTREMES["unhashable cmd (list)"])
    assert protocol.reply_to_of(EXTREMES["unhashable cmd (list)"]) == ("things/r/c", "m")


def test_deep_json_does_not_kill_a_process_with_a_raised_recursion_limit() -> None:
    """Regression: with the recursion limit raised (the JS parsers raise it to 200,000), json.loads
    of 100,000 nested lists overflowed the C stack: SIGSEGV, the worker gone. Each decoder
    runs in a child process so that a crash fails this test instead of the whole run."""
    code = ("import sys; sys.setrecursionlimit(200_000)\n"
            "from thingscore.control import protocol\n"
            "from thingscore.snapshot import SnapshotFileError, load_snapshot\n"
            "p = b'[' * 100_000 + b']' * 100_000\n"
            "for f in (protocol.decode_command, protocol.decode_reply):\n"
            "    try: f(p)\n"
            "    except protocol.ProtocolError: pass\n"
            "assert protocol.reply_to_of(p) == (None, None)\n"
            "open(sys.argv[1], 'wb').write(p)\n"
            "try: load_snapshot(sys.argv[1])\n"
            "except SnapshotFileError: pass\n"
            "print('survived')\n")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([sys.executable, "-c", code, f"{tmp}/deep.json"], capture_output=True, text=True,
                              timeout=60)
    assert proc.returncode == 0 and "survived" in proc.stdout, (proc.returncode, proc.stderr[-2000:])


# -- the inbox over the local pub/sub ---------------------------------------------------------

class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_inbox_fed_garbage_over_local_pubsub() -> None:
    bus = f"local://fuzz-inbox-{os.getpid()}"
    server = plugins.load("pubsub", "local", url=bus, client_id="server")
    client = plugins.load("pubsub", "local", url=bus, client_id="client")
    server.connect()
    client.connect()
    log = logging.getLogger("test.fuzz.inbox")
    recorder = _Recorder()
    log.addHandler(recorder)
    log.propagate = False
    escaped: list[BaseException] = []
    handled: list[str] = []

    def handler(cmd: str) -> Any:
        def run(args: dict[str, Any]) -> Any:
            handled.append(cmd)
            return {"pong": True}
        return run

    inbox = CommandInbox(server, "w-fuzz", handler, (ValueError,), log)

    def on_message(msg: Message) -> None:
        try:
            inbox.on_message(msg)
        except BaseException as exc:  # what the inbox must never let out
            escaped.append(exc)

    replies: list[Reply] = []
    got_reply = threading.Event()

    def on_reply(msg: Message) -> None:
        replies.append(protocol.decode_reply(msg.payload))
        got_reply.set()

    topic = protocol.command_topic("w-fuzz")
    server.subscribe(topic, on_message, durable=True)
    client.subscribe(protocol.reply_topic("client"), on_reply)
    try:
        sent = {"n": 0}

        @fuzz_settings(1_000)
        @given(payloads)
        def case(payload: bytes) -> None:
            client.publish(topic, payload, durable=True)
            sent["n"] += 1

        case()
        for name in ("deep list", "deep args", "unhashable cmd (list)", "huge id", "not UTF-8", "many keys"):
            client.publish(topic, EXTREMES[name], durable=True)
        assert server.flush(120)
        assert not escaped, escaped[:3]
        refusals = [r for r in recorder.records if r.levelno >= logging.WARNING]  # "malformed ..." / "refused ..."
        assert len(refusals) > sent["n"] // 3, (len(refusals), sent["n"])  # not vacuous
        # still serving: a good command is answered
        got_reply.clear()
        replies.clear()
        good = Command(cmd="ps", reply_to=protocol.reply_topic("client"), sender="client", id="good-after-garbage")
        client.publish(topic, good.encode(), durable=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(r.re == "good-after-garbage" for r in replies):
            got_reply.wait(0.5)
            got_reply.clear()
        assert any(r.re == "good-after-garbage" and r.ok for r in replies), replies[-3:]
    finally:
        log.removeHandler(recorder)
        client.close()
        server.close()
