"""Control messages on the pub/sub bus: topics, and commands and replies as JSON.

A command is ``{"id", "cmd", "args", "reply_to", "sender"}`` on a worker's command topic
(durable: it must survive a brief disconnection); the reply is ``{"re", "ok", "result" |
"error", "worker"}`` on the sender's reply topic. Anything else is refused with a clear
error (and logged by the receiver), never acted upon.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

ROOT = "things"
BROADCAST = "all"
COMMANDS = frozenset({"run", "restore", "pause", "resume", "kill", "snapshot", "migrate", "ps", "info", "logs",
                      "handover", "drain"})
SCHEDULER_COMMANDS = frozenset({"app-run", "app-stop", "app-ls", "move", "stop", "drain", "status"})
MAX_MESSAGE = 64 * 1024 * 1024


def command_topic(worker: str) -> str:
    return f"{ROOT}/w/{worker}/cmd"


def reply_topic(client: str) -> str:
    return f"{ROOT}/r/{client}"


def scheduler_topic() -> str:
    """The scheduler's command topic (durable, like a worker's)."""
    return f"{ROOT}/s/cmd"


def heartbeat_topic(worker: str) -> str:
    return f"{ROOT}/hb/{worker}"


HEARTBEATS = f"{ROOT}/hb/+"


def output_topic(pid: str, stream: str) -> str:
    return f"{ROOT}/p/{pid}/{stream}"


def event_topic(pid: str) -> str:
    return f"{ROOT}/p/{pid}/event"


class ProtocolError(ValueError):
    """A message that is not a well-formed command or reply."""


@dataclass
class Command:
    cmd: str
    args: dict[str, Any] = field(default_factory=dict)
    reply_to: str | None = None
    sender: str = ""
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def encode(self) -> bytes:
        return json.dumps({"id": self.id, "cmd": self.cmd, "args": self.args, "reply_to": self.reply_to,
                           "sender": self.sender}).encode()


@dataclass
class Reply:
    re: str
    ok: bool
    worker: str
    result: Any = None
    error: str | None = None

    def encode(self) -> bytes:
        body: dict[str, Any] = {"re": self.re, "ok": self.ok, "worker": self.worker}
        if self.ok:
            body["result"] = self.result
        else:
            body["error"] = self.error
        return json.dumps(body).encode()


def _load(payload: bytes) -> dict[str, Any]:
    if len(payload) > MAX_MESSAGE:
        raise ProtocolError(f"message of {len(payload)} bytes is too large")
    try:
        obj = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProtocolError(f"not JSON: {exc}") from exc
    if not isinstance(obj, dict):
        raise ProtocolError("not a JSON object")
    return obj


def decode_command(payload: bytes, allowed: frozenset[str] = COMMANDS) -> Command:
    obj = _load(payload)
    cmd, args, mid = obj.get("cmd"), obj.get("args", {}), obj.get("id")
    reply_to = obj.get("reply_to")
    if not isinstance(mid, str) or not mid:
        raise ProtocolError("command without an id")
    if cmd not in allowed:
        raise ProtocolError(f"unknown command {cmd!r}")
    if not isinstance(args, dict):
        raise ProtocolError("args must be an object")
    if reply_to is not None and (not isinstance(reply_to, str) or not reply_to.startswith(f"{ROOT}/r/")):
        raise ProtocolError("reply_to must be a reply topic")
    return Command(cmd=cmd, args=args, reply_to=reply_to, sender=str(obj.get("sender", "")), id=mid)


def decode_reply(payload: bytes) -> Reply:
    obj = _load(payload)
    if not isinstance(obj.get("re"), str) or not isinstance(obj.get("ok"), bool):
        raise ProtocolError("not a reply")
    return Reply(re=obj["re"], ok=obj["ok"], worker=str(obj.get("worker", "")), result=obj.get("result"),
                 error=obj.get("error"))


def reply_to_of(payload: bytes) -> tuple[str | None, str | None]:
    """Best effort (reply topic, command id) of a message that failed to decode."""
    try:
        obj = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return None, None
    if not isinstance(obj, dict):
        return None, None
    rt, mid = obj.get("reply_to"), obj.get("id")
    if isinstance(rt, str) and rt.startswith(f"{ROOT}/r/"):
        return rt, mid if isinstance(mid, str) else ""
    return None, None
