"""Which global file system a cluster uses, as its workers advertise it.

A worker reads code and snapshots from *its* global FS; a dispatcher that stores a program
somewhere else makes the worker answer ``NotFound: no file 'code/<hash>.js'``, which says
nothing about the cause. So every worker puts its file system's URL in its heartbeats and
its ``info`` reply (without secrets: a password becomes ``***``), a dispatcher given no
``--fs`` uses the cluster's, and a dispatcher given another one is told what to pass.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from thingscore import plugins
from thingscore.fs import FileSystem
from thingscore.pubsub import Message, PubSub
from thingscore.security.envelope import Guard
from thingscore.security.keys import KeyRing

from . import heartbeat_seal, protocol

HIDDEN = "***"  # what an advertised URL shows instead of a password
_LOCAL_HOSTS = {"localhost": "127.0.0.1", "::1": "127.0.0.1", "[::1]": "127.0.0.1"}


def public_url(fs: FileSystem) -> str:
    """The URL of ``fs`` as others may see it: a local directory as its absolute path, a
    server URL without its password (``redis://:***@host:6379/0``)."""
    root = getattr(fs, "root", None)
    if isinstance(root, Path):
        return str(root)
    url = fs.url or ""
    if "://" not in url:
        return str(Path(url).expanduser().resolve()) if url else ""
    return hide_password(url)


def hide_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{user}:{HIDDEN}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def has_hidden_password(url: str) -> bool:
    return "://" in url and urlsplit(url).password == HIDDEN


def identity(url: str) -> str:
    """What makes two FS URLs the same namespace: the plugin that serves them, the server (a
    missing port or database is the plugin's default URL's), the database and the key
    prefix (or the directory); not the password, TLS files or time-outs."""
    if not url:
        return ""
    if "://" not in url:
        return "file:" + os.path.realpath(os.path.expanduser(url))
    parts = urlsplit(url)
    try:
        family = plugins.for_scheme("fs", parts.scheme)  # every scheme of one plugin is one kind
        default = urlsplit(plugins.declaration("fs", family).default_url or "")
        paths = plugins.declaration("fs", family).accepts_paths
    except plugins.PluginNotFound:
        family, default, paths = parts.scheme, urlsplit(""), False
    if paths and not parts.hostname:
        return "file:" + os.path.realpath(parts.path)
    host = (parts.hostname or "").lower()
    host = _LOCAL_HOSTS.get(host, host)
    port = parts.port or (default.port if "://" in default.geturl() else None) or 0
    path = parts.path.strip("/") or default.path.strip("/")
    keep = sorted((k, v) for k, v in parse_qsl(parts.query) if k in ("prefix", "bucket"))
    return f"{family}://{host}:{port}/{path}" + (f"?{urlencode(keep)}" if keep else "")


def same(a: str, b: str) -> bool:
    return identity(a) == identity(b)


class FsMismatch(Exception):
    """The dispatcher's file system is not the one the worker reads."""


def mismatch_message(worker: str, worker_fs: str, ours: str) -> str:
    return (f"worker {worker} reads the global FS {worker_fs}, but this command uses {ours}: the worker "
            f"would not find the program there; pass --fs {worker_fs} (or leave --fs and $THINGS_FS out "
            f"to use the cluster's)")


def advertised(pubsub: PubSub, keys: KeyRing | None = None, worker: str | None = None,
               wait: float = 3.0) -> dict[str, str]:
    """The file systems workers advertise in their heartbeats heard within ``wait`` seconds:
    ``{worker: url}``. Returns as soon as one (or ``worker``'s) is heard. With keys, only
    heartbeats signed by a worker key count (a forged one could send code elsewhere)."""
    guard = Guard(keys) if keys is not None else None
    found: dict[str, str] = {}
    heard = threading.Event()

    def on_heartbeat(msg: Message) -> None:
        body = heartbeat_seal.body_or_none(msg.payload, guard)
        if body is None:
            return
        wid, url = body.get("worker"), body.get("fs")
        if isinstance(wid, str) and isinstance(url, str) and url and not body.get("leaving"):
            found[wid] = url
            if worker is None or wid == worker:
                heard.set()

    topic = protocol.heartbeat_topic(worker) if worker else protocol.HEARTBEATS
    sub = pubsub.subscribe(topic, on_heartbeat)
    try:
        heard.wait(wait)
    finally:
        try:
            pubsub.unsubscribe(sub)
        except Exception:  # best effort: the answer is what matters
            pass
    return dict(found)
