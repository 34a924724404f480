"""The cluster's keys: who may sign what.

``things keygen --out cluster.keys`` makes one Ed25519 key pair per role (``dispatcher``,
``scheduler``, ``worker``, ``browser``) and one AES-256 key for snapshots at rest. It writes the full
ring (every private key: the administrator's file) and one file per role
(``cluster.keys.worker``...) holding that role's private key, every role's public key and,
for workers only, the snapshot key: a Raspberry Pi that is stolen gives away a worker's key,
which can neither start nor move programs (see :mod:`thingscore.security.policy`). The
``browser`` key is for web pages: it never signs control messages (a worker refuses every
command signed with it); a page proves with it who it is to ``things gateway``, which then
acts for it within :data:`thingscore.security.policy.GATEWAY_OPS`.

A key file is JSON (base64 keys), written with mode 0600. Keys are named by a short id
(the first 8 bytes of the SHA-256 of the public key, hex) so that a signature says which
key made it without carrying the key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # cryptography costs a tenth of a second of start-up: loaded when keys are
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ROLES = ("dispatcher", "scheduler", "worker", "browser")
FORMAT = "things-keys/1"


class KeysError(ValueError):
    """A key file that cannot be used (missing, malformed, lacking the role asked for)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, what: str) -> bytes:
    if not isinstance(text, str):
        raise KeysError(f"{what} is not a base64 string")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise KeysError(f"{what} is not valid base64") from exc


def _ed25519() -> Any:
    from cryptography.hazmat.primitives.asymmetric import ed25519

    return ed25519


def _invalid_signature() -> type[Exception]:
    from cryptography.exceptions import InvalidSignature

    return InvalidSignature


def key_id(public: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def _raw_public(public: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _raw_private(private: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    return private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


@dataclass
class KeyRing:
    """Public keys of every role, the private keys this holder may sign with, and (for
    workers) the snapshot key. ``role`` is the role it signs as by default."""

    public: dict[str, dict[str, Ed25519PublicKey]]             # role -> key id -> key
    private: dict[str, Ed25519PrivateKey] = field(default_factory=dict)  # role -> key
    snapshot_key: bytes | None = None
    cluster: str = ""
    role: str = ""
    path: str = ""

    def __post_init__(self) -> None:
        if not self.role and self.private:
            self.role = next(r for r in ROLES if r in self.private) if any(r in self.private for r in ROLES) \
                else next(iter(self.private))

    def as_role(self, role: str) -> KeyRing:
        """The same ring signing as ``role`` (a full ring signs as any role; a role file only as its own)."""
        if role == self.role:
            return self
        if role not in self.private:
            held = ", ".join(sorted(self.private)) or "none"
            raise KeysError(f"{self.path or 'the key file'} holds no {role} key (it holds: {held}); "
                            f"use the cluster file or {Path(self.path).name or 'cluster.keys'}.{role}")
        return KeyRing(self.public, self.private, self.snapshot_key, self.cluster, role, self.path)

    @property
    def kid(self) -> str:
        """The id of the key this ring signs with."""
        if self.role not in self.private:
            raise KeysError(f"{self.path or 'the key file'} holds no private key to sign with")
        return key_id(self.private[self.role].public_key())

    def sign(self, data: bytes) -> tuple[str, str, bytes]:
        """(role, key id, signature) of ``data`` with this ring's own role key."""
        if self.role not in self.private:
            raise KeysError(f"{self.path or 'the key file'} holds no private key to sign with")
        priv = self.private[self.role]
        return self.role, key_id(priv.public_key()), priv.sign(data)

    def verify(self, role: str, kid: str, data: bytes, signature: bytes) -> bool:
        """True when ``signature`` over ``data`` was made by the ``role`` key named ``kid``."""
        key = self.public.get(role, {}).get(kid)
        if key is None:
            return False
        try:
            key.verify(signature, data)
        except _invalid_signature():
            return False
        return True

    def knows(self, role: str, kid: str) -> bool:
        return kid in self.public.get(role, {})

    # -- files ------------------------------------------------------------------------

    def to_json(self, roles: tuple[str, ...] | None = None, with_snapshot_key: bool = True) -> dict[str, Any]:
        roles = tuple(self.private) if roles is None else roles
        body: dict[str, Any] = {
            "format": FORMAT,
            "cluster": self.cluster,
            "public": {r: [_b64(_raw_public(k)) for k in keys.values()] for r, keys in self.public.items()},
            "private": {r: _b64(_raw_private(self.private[r])) for r in roles},
        }
        if with_snapshot_key and self.snapshot_key is not None:
            body["snapshot_key"] = _b64(self.snapshot_key)
        return body

    @classmethod
    def from_json(cls, data: Any, path: str = "") -> KeyRing:
        where = path or "key file"
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise KeysError(f"{where}: not a Things key file (expected format {FORMAT!r}; make one with things keygen)")
        public: dict[str, dict[str, Ed25519PublicKey]] = {}
        pub_in = data.get("public")
        if not isinstance(pub_in, dict):
            raise KeysError(f"{where}: 'public' must be an object of role -> [keys]")
        for role, keys in pub_in.items():
            if role not in ROLES or not isinstance(keys, list):
                raise KeysError(f"{where}: unknown role {role!r} or keys not a list")
            public[role] = {}
            for i, text in enumerate(keys):
                raw = _unb64(text, f"{where}: public.{role}[{i}]")
                try:
                    k = _ed25519().Ed25519PublicKey.from_public_bytes(raw)
                except ValueError as exc:
                    raise KeysError(f"{where}: public.{role}[{i}] is not an Ed25519 public key") from exc
                public[role][key_id(k)] = k
        private: dict[str, Ed25519PrivateKey] = {}
        priv_in = data.get("private", {})
        if not isinstance(priv_in, dict):
            raise KeysError(f"{where}: 'private' must be an object of role -> key")
        for role, text in priv_in.items():
            if role not in ROLES:
                raise KeysError(f"{where}: unknown role {role!r}")
            raw = _unb64(text, f"{where}: private.{role}")
            try:
                private[role] = _ed25519().Ed25519PrivateKey.from_private_bytes(raw)
            except ValueError as exc:
                raise KeysError(f"{where}: private.{role} is not an Ed25519 private key") from exc
            if not public.get(role, {}).get(key_id(private[role].public_key())):
                raise KeysError(f"{where}: the {role} private key has no matching public key")
        snap = data.get("snapshot_key")
        snapshot_key = _unb64(snap, f"{where}: snapshot_key") if snap is not None else None
        if snapshot_key is not None and len(snapshot_key) != 32:
            raise KeysError(f"{where}: snapshot_key must be 32 bytes")
        return cls(public, private, snapshot_key, str(data.get("cluster", "")), "", path)


def generate() -> KeyRing:
    """A new cluster: one key pair per role and a snapshot key."""
    private = {r: _ed25519().Ed25519PrivateKey.generate() for r in ROLES}
    public = {r: {key_id(k.public_key()): k.public_key()} for r, k in private.items()}
    return KeyRing(public, private, secrets.token_bytes(32), secrets.token_hex(8), "", "")


def _write_private(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def write_cluster(ring: KeyRing, out: Path) -> list[Path]:
    """The full ring at ``out`` and one file per role next to it; the paths written."""
    written = [out]
    _write_private(out, ring.to_json())
    for role in ROLES:
        p = out.with_name(f"{out.name}.{role}")
        _write_private(p, ring.to_json((role,), with_snapshot_key=role == "worker"))
        written.append(p)
    return written


def load(path: str | os.PathLike[str]) -> KeyRing:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise KeysError(f"{p}: cannot read the key file: {exc.strerror or exc}") from exc
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise KeysError(f"{p}: not JSON: {exc}") from exc
    return KeyRing.from_json(data, str(p))


def load_for(path: str | None, role: str) -> KeyRing | None:
    """The ring from ``--keys`` (or ``$THINGS_KEYS``) signing as ``role``; None when no keys are
    given (an open cluster). The full cluster file serves any role; a role file only its own."""
    path = path or os.environ.get("THINGS_KEYS") or None
    if path is None:
        return None
    return load(path).as_role(role)
