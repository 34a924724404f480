"""Signed (and optionally encrypted) code and snapshots in the global file system.

A file that a worker will run or restore carries its own seal, so that it can be copied,
listed and deleted like any file and never lose its signature::

    \\x00THINGS-SEALED/1\\n<header JSON>\\n<base64 signature>\\n<body>

The header names the ``kind`` (``code`` or ``snapshot``), the program hash it belongs to,
the SHA-256 of the body, the signer (role and key id) and, when the body is encrypted
(AES-256-GCM with the cluster's snapshot key), the cipher and its nonce. The signature
covers the magic and the header, hence the body through its hash. Code is sealed by a
dispatcher or scheduler; snapshots by the worker that took them. A worker with keys runs
only sealed code and restores only a sealed snapshot of the same program.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets

from .envelope import Refused, split_frame
from .keys import KeyRing

MAGIC = b"\x00THINGS-SEALED/1\n"


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def seal_file(ring: KeyRing, kind: str, program_hash: str, body: bytes, encrypt: bool = False) -> bytes:
    """``body`` sealed by the ring's role key (encrypted with the snapshot key if asked)."""
    header: dict[str, object] = {"kind": kind, "program": program_hash, "role": ring.role, "kid": ring.kid}
    if encrypt:
        if ring.snapshot_key is None:
            raise Refused(f"{ring.path or 'the key file'} has no snapshot key to encrypt with "
                          "(use the worker's key file)")
        nonce = secrets.token_bytes(12)
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # loaded when used: start-up time

        body = AESGCM(ring.snapshot_key).encrypt(nonce, body, f"{kind}:{program_hash}".encode())
        header["enc"] = "aes-256-gcm"
        header["nonce"] = base64.b64encode(nonce).decode()
    header["sha256"] = hashlib.sha256(body).hexdigest()
    header_bytes = json.dumps(header, separators=(",", ":")).encode()
    _, _, sig = ring.sign(MAGIC + header_bytes)
    return MAGIC + header_bytes + b"\n" + base64.b64encode(sig) + b"\n" + body


def open_file(ring: KeyRing | None, data: bytes, kind: str, program_hash: str, roles: frozenset[str],
              what: str) -> bytes:
    """The body of a sealed ``kind`` file of ``program_hash``, checked and decrypted.

    Without keys (``ring`` None) a sealed file is unwrapped unchecked, a plain one is taken
    as it is (an open cluster), and an encrypted one cannot be read. With keys, anything
    unsealed, signed by a role not in ``roles``, tampered with, or belonging to another
    program is refused. ``what`` names the file in errors.
    """
    if not is_sealed(data):
        if ring is not None:
            raise Refused(f"{what}: not signed; this worker runs only code and snapshots signed with the "
                          "cluster's keys")
        return data
    header_bytes, header, sig, body = split_frame(data, MAGIC, f"seal of {what}")
    if ring is not None:
        role, kid = header.get("role"), header.get("kid")
        if not isinstance(role, str) or not isinstance(kid, str) or not ring.knows(role, kid):
            raise Refused(f"{what}: signed by a key this cluster does not know")
        if role not in roles:
            raise Refused(f"{what}: a {kind} must be signed by {' or '.join(sorted(roles))}, not by a {role}")
        if not ring.verify(role, kid, MAGIC + header_bytes, sig):
            raise Refused(f"{what}: bad signature (tampered or forged)")
        if hashlib.sha256(body).hexdigest() != header.get("sha256"):
            raise Refused(f"{what}: its content does not match its signature (tampered or truncated)")
    if header.get("kind") != kind:
        raise Refused(f"{what}: is a {header.get('kind')!r} file, not {kind}")
    if header.get("program") != program_hash:
        raise Refused(f"{what}: belongs to program {str(header.get('program'))[:16]}, not {program_hash[:16]}")
    if header.get("enc") is None:
        return body
    if header.get("enc") != "aes-256-gcm":
        raise Refused(f"{what}: unknown cipher {header.get('enc')!r}")
    key = ring.snapshot_key if ring is not None else None
    if key is None:
        raise Refused(f"{what}: encrypted; this worker holds no snapshot key (--keys with the worker's key file)")
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        nonce = base64.b64decode(str(header.get("nonce")), validate=True)
        return AESGCM(key).decrypt(nonce, body, f"{kind}:{program_hash}".encode())
    except (InvalidTag, ValueError, binascii.Error) as exc:
        raise Refused(f"{what}: cannot be decrypted with this cluster's snapshot key") from exc
