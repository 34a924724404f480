"""Which pub/sub and file system to use: from flags, a TOML config file, the environment.

``--pubsub`` takes a plugin name (``zmq``, ``mqtt``, ``redis``, ``local``) or a URL whose
scheme names the plugin (``zmq://host:port``, ``mqtt://host:port``, ``redis://host:port/0``,
``local://name``). ``--fs`` takes a plugin name, a URL (``redis://...``, ``mongodb://...``,
``file:///dir``) or a directory.

Secured transports (README "Transport security"): ``mqtts://[user:pass@]host:port?ca=&cert=&key=``
(TLS) and ``mqtt://user:pass@host:port``; ``rediss://[user:pass@]host:port/0?ca=&cert=&key=`` (TLS)
and ``redis://[user]:pass@host:port/0`` (pub/sub and FS alike); ``zmq://host:port?server_key=KEY
[&client_key=FILE]`` (CURVE, against ``things pubsub --curve-keys``).

Precedence: flag, then config file, then environment (``THINGS_PUBSUB``, ``THINGS_FS``,
``THINGS_WORKER_ID``, ``THINGS_RUNTIME``), then defaults: the embedded broker ``things pubsub``
starts (zmq on 127.0.0.1:7901) and a directory shared by every worker of this machine.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thingscore import plugins
from thingscore.fs import FileSystem
from thingscore.pubsub import PubSub

DEFAULT_PUBSUB = "zmq://127.0.0.1:7901"
DEFAULT_FS = str(Path.home() / ".things" / "fs")
PUBSUB_DEFAULT_URLS = {"zmq": DEFAULT_PUBSUB, "mqtt": "mqtt://127.0.0.1:1883", "redis": "redis://127.0.0.1:6379/0",
                       "local": "local://default"}
FS_DEFAULT_URLS = {"local": DEFAULT_FS, "redis": "redis://127.0.0.1:6379/0", "mongo": "mongodb://127.0.0.1:27017/things"}
SCHEMES = {"zmq": "zmq", "tcp": "zmq", "mqtt": "mqtt", "mqtts": "mqtt", "redis": "redis", "rediss": "redis",
           "local": "local"}
FS_SCHEMES = {"redis": "redis", "rediss": "redis", "mongodb": "mongo", "file": "local"}


class ConfigError(ValueError):
    """A setting that makes no sense (unknown backend, unreadable config file)."""


def _spec(spec: str | None, env: str, default: str, schemes: dict[str, str], named: dict[str, str],
          what: str, bare: str | None) -> tuple[str, str]:
    """(plugin name, URL) of a --pubsub / --fs value: a URL's scheme names the plugin; a known
    plugin name takes its default URL; anything else is ``bare`` (a directory for the FS) or a
    third-party plugin by name with its own default."""
    spec = spec or os.environ.get(env) or default
    if "://" in spec:
        scheme = spec.split("://", 1)[0]
        if scheme not in schemes:
            raise ConfigError(f"unknown {what} URL scheme {scheme!r} ({', '.join(sorted(set(schemes)))})")
        return schemes[scheme], spec
    if spec in named:
        return spec, named[spec]
    return (bare, spec) if bare else (spec, "")


def pubsub_spec(spec: str | None) -> tuple[str, str]:
    """(plugin name, URL) for a --pubsub value."""
    return _spec(spec, "THINGS_PUBSUB", DEFAULT_PUBSUB, SCHEMES, PUBSUB_DEFAULT_URLS, "pub/sub", None)


def fs_spec(spec: str | None) -> tuple[str, str]:
    """(plugin name, URL) for a --fs value."""
    return _spec(spec, "THINGS_FS", DEFAULT_FS, FS_SCHEMES, FS_DEFAULT_URLS, "file-system", "local")


def open_pubsub(spec: str | None, client_id: str) -> PubSub:
    name, url = pubsub_spec(spec)
    ps: PubSub = plugins.load("pubsub", name, url=url or None, client_id=client_id)
    ps.connect()
    return ps


def open_fs(spec: str | None) -> FileSystem:
    name, url = fs_spec(spec)
    return plugins.load("fs", name, url=url or None)


@dataclass
class WorkerConfig:
    id: str = ""
    pubsub: str | None = None
    fs: str | None = None
    runtime: str = "node"
    heartbeat: float = 1.0
    labels: dict[str, str] = field(default_factory=dict)
    capacity: dict[str, float] = field(default_factory=dict)
    low_memory_mb: float | None = None


def load_worker_config(path: str | None, overrides: dict[str, Any]) -> WorkerConfig:
    data: dict[str, Any] = {}
    if path:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        data = data.get("worker", data)
    cfg = WorkerConfig(
        id=str(data.get("id") or os.environ.get("THINGS_WORKER_ID") or ""),
        pubsub=data.get("pubsub"),
        fs=data.get("fs"),
        runtime=str(data.get("runtime") or os.environ.get("THINGS_RUNTIME") or "node"),
        heartbeat=float(data.get("heartbeat", 1.0)),
        labels={str(k): str(v) for k, v in dict(data.get("labels", {})).items()},
        capacity={str(k): float(v) for k, v in dict(data.get("capacity", {})).items()},
        low_memory_mb=float(data["low_memory_mb"]) if data.get("low_memory_mb") is not None else None,
    )
    for key, value in overrides.items():
        if value is not None:
            setattr(cfg, key, value)
    if not cfg.id:
        import socket

        cfg.id = socket.gethostname()
    return cfg
