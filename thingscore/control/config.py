"""Which pub/sub and file system to use: from flags, a TOML config file, the environment.

``--pubsub`` takes a plugin name (``zmq``, ``mqtt``, ``redis``, ``local``) or a URL whose
scheme a plugin declares (``zmq://host:port``, ``mqtt://host:port``, ``redis://host:port/0``,
``local://name``). ``--fs`` takes a plugin name, a URL (``redis://...``, ``mongodb://...``,
``file:///dir``) or a directory. Schemes, bare words and defaults are the plugins' own
declarations (:mod:`thingscore.plugins`); this module keeps no table of them.

Secured transports (README "Transport security"): ``mqtts://[user:pass@]host:port?ca=&cert=&key=``
(TLS) and ``mqtt://user:pass@host:port``; ``rediss://[user:pass@]host:port/0?ca=&cert=&key=`` (TLS)
and ``redis://[user]:pass@host:port/0`` (pub/sub and FS alike); ``zmq://host:port?server_key=KEY
[&client_key=FILE]`` (CURVE, against ``things pubsub --curve-keys``).

Precedence: flag, then config file, then environment (``THINGS_PUBSUB``, ``THINGS_FS``,
``THINGS_WORKER_ID``, ``THINGS_RUNTIME``), then defaults: the plugins that declare themselves the
default (the embedded broker ``things pubsub`` starts, and a directory shared by every worker
of this machine).
"""

from __future__ import annotations

import math
import os
import socket
import tomllib
from dataclasses import dataclass, field
from typing import Any

from thingscore import plugins
from thingscore.fs import FileSystem
from thingscore.pubsub import PubSub
from thingscore.snapshot import json_depth


class ConfigError(ValueError):
    """A setting that makes no sense (unknown backend, unreadable config file)."""


class ClusterUnreachable(ConnectionError):
    """The broker or the file system named by a setting does not answer."""


PROBE_TIMEOUT = 1.0  # seconds: only a refusal is conclusive, a slow network gets the plugin's own time-out


def _host_port(url: str) -> tuple[str, int] | None:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # several hosts (mongodb://a:1,b:2), a bad port: the plugin will say
        return None
    if not parts.hostname or port is None:
        return None
    return parts.hostname, port


def probe(url: str, what: str) -> None:
    """Fail at once, with the fix, when nothing listens at the host and port of ``url``.

    A client library would otherwise retry in silence until its own time-out (seconds for a
    ZeroMQ handshake, a MongoDB server selection). Any scheme with ``host:port`` is probed
    the same way; only "connection refused" is taken as an answer, so a firewall or a slow
    link still gets the plugin's full time-out."""
    where = _host_port(url)
    if where is None:
        return
    try:
        socket.create_connection(where, timeout=PROBE_TIMEOUT).close()
    except ConnectionRefusedError as exc:
        raise ClusterUnreachable(f"cannot reach the {what} at {url}: nothing listens on {where[0]}:{where[1]} "
                                 f"({FIXES[what]})") from exc
    except OSError:
        return


FIXES = {"pub/sub broker": "is it running? `things pubsub` starts the embedded one; --pubsub=URL names another",
         "file system": "is its server running? --fs=URL|DIR names another"}


def _unreachable(what: str, url: str, exc: BaseException) -> ClusterUnreachable:
    why = " ".join(str(exc).split())[:300] or type(exc).__name__
    return ClusterUnreachable(f"cannot reach the {what} at {url}: {why} ({FIXES[what]})")


def _spec(kind: str, spec: str | None, env: str) -> tuple[str, str]:
    """(plugin name, URL) of a --pubsub / --fs value, else of ``$env``, else the default plugin.

    Which plugin a URL scheme, a bare word or a path stands for, and the defaults, are what
    the installed plugins declare (:func:`thingscore.plugins.resolve`)."""
    try:
        name, url = plugins.resolve(kind, spec or os.environ.get(env) or None)
    except plugins.PluginNotFound as exc:
        raise ConfigError(str(exc)) from None
    return name, url or ""


def pubsub_spec(spec: str | None) -> tuple[str, str]:
    """(plugin name, URL) for a --pubsub value."""
    return _spec("pubsub", spec, "THINGS_PUBSUB")


def fs_spec(spec: str | None) -> tuple[str, str]:
    """(plugin name, URL) for a --fs value.

    A bare word that is neither a plugin nor an existing directory is refused (``--fs=nosuch``
    is a typo far more often than a wish for a new directory ``./nosuch``): a new directory is
    written as a path (``./nosuch``, ``/srv/fs``)."""
    name, url = _spec("fs", spec, "THINGS_FS")
    if spec and url and "://" not in url and plugins.declaration("fs", name).accepts_paths:
        bare_word = os.sep not in url and "/" not in url and not url.startswith((".", "~"))
        if bare_word and not os.path.isdir(url):
            installed = ", ".join(plugins.available("fs")) or "none"
            raise ConfigError(f"no file system {url!r}: not a plugin (installed: {installed}) nor an existing "
                              f"directory (for a new directory write ./{url})")
    return name, url


def open_pubsub(spec: str | None, client_id: str) -> PubSub:
    """A connected client of the cluster's pub/sub. An unknown plugin is a PluginNotFound, a
    broker that does not answer a ClusterUnreachable whose message says which URL was tried."""
    name, url = pubsub_spec(spec)
    cls = plugins.load_class("pubsub", name)
    if url:
        probe(url, "pub/sub broker")
    ps: PubSub = cls(url=url or None, client_id=client_id)
    try:
        ps.connect()
    except ValueError as exc:  # a URL the plugin cannot use
        raise ConfigError(f"pub/sub URL {url}: {exc}") from exc
    except Exception as exc:  # PubSubError and the libraries' own connection errors
        raise _unreachable("pub/sub broker", url or name, exc) from exc
    return ps


def open_fs(spec: str | None, check: bool = True) -> FileSystem:
    """The cluster's global file system; with ``check``, one cheap call proves that it answers."""
    name, url = fs_spec(spec)
    cls = plugins.load_class("fs", name)
    if url:
        probe(url, "file system")
    fs: FileSystem = cls(url=url or None)
    if check:
        try:
            fs.exists("workers")
        except Exception as exc:
            fs.close()
            raise _unreachable("file system", url or name, exc) from exc
    return fs


@dataclass
class WorkerConfig:
    id: str = ""
    pubsub: str | None = None
    fs: str | None = None
    runtime: str | None = None  # None: the default runtime plugin
    heartbeat: float = 1.0
    labels: dict[str, str] = field(default_factory=dict)
    capacity: dict[str, float] = field(default_factory=dict)
    low_memory_mb: float | None = None
    keys: str | None = None          # the cluster's key file (``things keygen``); None: an open worker
    encrypt_snapshots: bool = False
    output_max_mb: float | None = None    # None: output_log's default
    output_max_age: float | None = None   # seconds; None: no age limit


MAX_CONFIG = 1024 * 1024  # a worker's config file is a few lines
MAX_CONFIG_DEPTH = 64     # levels of arrays and inline tables (counted as in JSON: a bound, not a parse)


def _duration(value: Any, where: str) -> float:
    """Seconds from a number or ``30s``, ``12h``, ``7d``... (ConfigError otherwise)."""
    from thingscore.control.apps import AppSpecError, parse_duration

    try:
        return parse_duration(value, where)
    except AppSpecError as exc:
        raise ConfigError(str(exc)) from None


def _text(data: dict[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 4096:
        raise ConfigError(f"{where}: {key} must be a string")
    return value


def _label(value: Any) -> str:
    """A label's text as an app file would write it (a TOML ``true`` is ``"true"``, as in YAML)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _flag(data: dict[str, Any], key: str, where: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: {key} must be true or false")
    return value


def _positive(value: Any, where: str) -> float:
    """A finite number > 0 (a TOML number, or a string holding one)."""
    try:
        number = float(value) if isinstance(value, int | float | str) and not isinstance(value, bool) else None
    except (ValueError, OverflowError):
        number = None
    if number is None or not math.isfinite(number) or number <= 0:
        raise ConfigError(f"{where}: a number > 0 is required, not {str(value)[:40]!r}")
    return number


def _table(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {key} must be a table")
    for k, v in value.items():
        if not isinstance(v, str | int | float | bool):
            raise ConfigError(f"{where}: {key}.{k} must be a string, a number or a boolean")
    return value


def load_worker_config(path: str | None, overrides: dict[str, Any]) -> WorkerConfig:
    """Settings from a TOML file (a ``[worker]`` table or top-level keys), overridden by flags.

    Anything wrong in the file (unreadable, too large, not UTF-8 TOML, nested too deeply, a
    value of the wrong type) is a ConfigError naming the file: ``things worker`` prints it
    and exits, it never starts with half a configuration.
    """
    data: dict[str, Any] = {}
    where = str(path)
    if path:
        try:
            with open(path, "rb") as f:
                raw = f.read(MAX_CONFIG + 1)
            if len(raw) > MAX_CONFIG:
                raise ConfigError(f"{path}: larger than {MAX_CONFIG // 1024} KiB: not a worker config")
            text = raw.decode("utf-8")
            if text.count("[") + text.count("{") > 10_000 or json_depth(text) > MAX_CONFIG_DEPTH:
                # tomllib recurses once per level: refused before it runs, whatever the
                # recursion limit is (the JavaScript parsers raise it)
                raise ConfigError(f"{path}: arrays and tables nested too deeply for a worker config")
            data = tomllib.loads(text)
        except (OSError, ValueError, RecursionError) as exc:  # TOMLDecodeError, UnicodeDecodeError
            if isinstance(exc, ConfigError):
                raise
            raise ConfigError(f"{path}: {str(exc)[:300] or type(exc).__name__}") from exc
        data = data.get("worker", data)
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: [worker] must be a table")
    low = data.get("low_memory_mb")
    out_mb, out_age = data.get("output_max_mb"), data.get("output_max_age")
    cfg = WorkerConfig(
        id=_text(data, "id", where) or os.environ.get("THINGS_WORKER_ID") or "",
        pubsub=_text(data, "pubsub", where),
        fs=_text(data, "fs", where),
        runtime=_text(data, "runtime", where) or os.environ.get("THINGS_RUNTIME") or None,
        heartbeat=_positive(data.get("heartbeat", 1.0), f"{where}: heartbeat"),
        labels={str(k): _label(v) for k, v in _table(data, "labels", where).items()},
        capacity={str(k): _positive(v, f"{where}: capacity.{k}") for k, v in _table(data, "capacity", where).items()},
        low_memory_mb=_positive(low, f"{where}: low_memory_mb") if low is not None else None,
        keys=_text(data, "keys", where),
        encrypt_snapshots=_flag(data, "encrypt_snapshots", where),
        output_max_mb=_positive(out_mb, f"{where}: output_max_mb") if out_mb is not None else None,
        output_max_age=_duration(out_age, f"{where}: output_max_age") if out_age is not None else None,
    )
    for key, value in overrides.items():
        if value is not None:
            setattr(cfg, key, value)
    if not cfg.id:
        import socket

        cfg.id = socket.gethostname()
    return cfg
