"""Signed control messages: a signature, a timestamp and a nonce around the JSON body.

Wire form (bytes)::

    \\x00THINGS-SIGNED/1\\n<header JSON>\\n<base64 signature>\\n<body>

The header is ``{"role", "kid", "ts", "nonce"}`` in compact JSON (no newline); the signature
(Ed25519, by the ``role`` key named ``kid``) covers the magic, the header bytes exactly as
sent, and the body. A receiver (:class:`Guard`) refuses what is unsigned, signed by a key
it does not know, badly signed, too old or too far in the future (``window``), or carries
a nonce it has already seen (a replay). Refusals are :class:`Refused` errors whose message
says why and never contains key material. The leading NUL byte never starts a JSON
message, so a receiver tells signed from plain messages at a glance.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from .keys import ROLES, KeyRing

MAGIC = b"\x00THINGS-SIGNED/1\n"
WINDOW = 300.0          # seconds a signed message stays valid (clock skew + a broker holding it)
MAX_HEADER = 4096
MAX_NONCES = 200_000    # replay memory; beyond it the oldest are forgotten (they are stale by then)


class Refused(Exception):
    """A message that must not be acted upon; the text says why (it is logged and sent back)."""


def is_sealed(payload: bytes) -> bool:
    return payload.startswith(MAGIC)


def seal(ring: KeyRing, body: bytes, now: float | None = None) -> bytes:
    """``body`` signed with the ring's role key, stamped with the time and a fresh nonce."""
    header = json.dumps({"role": ring.role, "kid": ring.kid,
                         "ts": round(now if now is not None else time.time(), 3),
                         "nonce": secrets.token_hex(16)}, separators=(",", ":")).encode()
    _, _, sig = ring.sign(MAGIC + header + b"\n" + body)
    return MAGIC + header + b"\n" + base64.b64encode(sig) + b"\n" + body


@dataclass(frozen=True)
class Opened:
    role: str
    kid: str
    ts: float
    body: bytes


def split_frame(data: bytes, magic: bytes, what: str) -> tuple[bytes, dict[str, object], bytes, bytes]:
    """(header bytes, header, signature, body) of ``magic`` + header line + base64 signature
    line + body: the frame of signed messages and of sealed files; Refused if malformed."""
    rest = data[len(magic):]
    first = rest.find(b"\n", 0, MAX_HEADER)
    second = rest.find(b"\n", first + 1, first + 1 + 200) if first >= 0 else -1
    if first < 0 or second < 0:
        raise Refused(f"malformed {what} (no header or no signature)")
    header_bytes, sig_text, body = rest[:first], rest[first + 1:second], rest[second + 1:]
    try:
        header = json.loads(header_bytes)
        sig = base64.b64decode(sig_text, validate=True)
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise Refused(f"malformed {what} ({type(exc).__name__})") from exc
    if base64.b64encode(sig) != sig_text:  # one spelling per signature: no altered-but-valid copies
        raise Refused(f"malformed {what} (signature encoding)")
    if not isinstance(header, dict):
        raise Refused(f"malformed {what} (header is not an object)")
    return header_bytes, header, sig, body


def split(payload: bytes) -> tuple[bytes, dict[str, object], bytes, bytes]:
    """(header bytes, header, signature, body) of a sealed message; Refused if malformed."""
    return split_frame(payload, MAGIC, "signed message")


def strip(payload: bytes) -> bytes:
    """The body of a sealed message without checking it (for receivers that hold no keys);
    a plain message as it is."""
    if not is_sealed(payload):
        return payload
    try:
        return split(payload)[3]
    except Refused:
        return payload


class Guard:
    """Checks signed messages for one receiver and remembers nonces to refuse replays."""

    def __init__(self, ring: KeyRing, window: float = WINDOW) -> None:
        self.ring = ring
        self.window = window
        self._nonces: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def open(self, payload: bytes, now: float | None = None) -> Opened:
        if not is_sealed(payload):
            raise Refused("unsigned message: this cluster requires messages signed with its keys (--keys FILE)")
        header_bytes, header, sig, body = split(payload)
        role, kid, ts, nonce = header.get("role"), header.get("kid"), header.get("ts"), header.get("nonce")
        if role not in ROLES or not isinstance(kid, str) or not isinstance(nonce, str) or not 16 <= len(nonce) <= 64:
            raise Refused("malformed signed message (role, key id or nonce)")
        if not isinstance(ts, (int, float)) or isinstance(ts, bool) or ts != ts:
            raise Refused("malformed signed message (timestamp)")
        if not self.ring.knows(role, kid):
            raise Refused(f"signed by a {role} key this cluster does not know ({kid[:16]})")
        if not self.ring.verify(role, kid, MAGIC + header_bytes + b"\n" + body, sig):
            raise Refused(f"bad signature (claims the {role} key {kid[:16]}; tampered or forged)")
        now = time.time() if now is None else now
        age = now - float(ts)
        if age > self.window:
            raise Refused(f"stale message: signed {age:.0f} s ago (accepted for {self.window:g} s)")
        if age < -self.window:
            raise Refused(f"message signed {-age:.0f} s in the future (clocks too far apart?)")
        with self._lock:
            if nonce in self._nonces:
                raise Refused("replayed message (its nonce was seen before)")
            self._nonces[nonce] = now
            while self._nonces:
                oldest, seen = next(iter(self._nonces.items()))
                if len(self._nonces) <= MAX_NONCES and seen >= now - 2 * self.window:
                    break
                del self._nonces[oldest]
        return Opened(role, kid, float(ts), body)
