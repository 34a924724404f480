"""Who a page is: a challenge the gateway draws per connection, signed with the page's key.

Why a challenge and not the signed envelope of control messages: a page does not take part
in the bus. It holds a ``browser`` key (``things keygen`` writes ``FILE.browser``) and proves
it once per connection by signing a fresh random challenge; a signature seen on another
connection is worth nothing on this one (no replay), and no clock is involved. The key id it
signed with is the page's identity: the programs it starts belong to that id
(:mod:`thingscore.gateway.owners`). Pages that share one key share their programs.

A gateway without keys (an open cluster) takes every page as ``anonymous``.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass

from thingscore.security.keys import KeyRing
from thingscore.security.policy import BROWSER

from .wire import AUTH_CONTEXT

ANONYMOUS = "anonymous"


class Unauthorized(Exception):
    """The page's proof of identity is missing or wrong; the text says which (it is logged)."""


@dataclass(frozen=True)
class Principal:
    """A page as the gateway knows it: the id its programs are kept under, and its role."""

    id: str
    role: str


def challenge() -> str:
    return secrets.token_hex(32)


def sign(ring: KeyRing, nonce: str) -> dict[str, str]:
    """The ``auth`` frame's fields for ``nonce``, signed with ``ring``'s browser key (for
    Python clients and tests; the page library does the same with WebCrypto's Ed25519)."""
    browser = ring.as_role(BROWSER)
    _, kid, sig = browser.sign(AUTH_CONTEXT + nonce.encode("ascii"))
    return {"kid": kid, "sig": base64.b64encode(sig).decode("ascii")}


def verify(ring: KeyRing | None, nonce: str, kid: object, sig: object) -> Principal:
    """The page that signed ``nonce``; Unauthorized saying why not."""
    if ring is None:
        return Principal(ANONYMOUS, BROWSER)
    if not isinstance(kid, str) or not isinstance(sig, str) or not kid or not sig:
        raise Unauthorized("this gateway requires a browser key: send auth with kid and sig "
                           "(the challenge signed with the page's key from `things keygen`, FILE.browser)")
    if not ring.knows(BROWSER, kid):
        raise Unauthorized(f"the key {kid[:16]!r} is not a browser key of this cluster")
    try:
        raw = base64.b64decode(sig, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Unauthorized("sig is not base64") from exc
    if not ring.verify(BROWSER, kid, AUTH_CONTEXT + nonce.encode("ascii"), raw):
        raise Unauthorized(f"bad signature of the challenge by the browser key {kid[:16]!r}")
    return Principal(kid, BROWSER)
