"""``redis``: the global file system in a Redis server (redis-py).

Layout, for a key prefix ``P`` (default ``things``; all keys share the hash tag ``{P}`` so
they live in one cluster slot and one Lua script may touch them all):

- ``{P}:d:<path>``  the content, a plain string (binary safe, up to proto-max-bulk-len,
  512 MB by default);
- ``{P}:index``     a sorted set of every path, all with score 0, so that ``list(prefix)``
  is one ``ZRANGEBYLEX`` range ``[a/ .. (a0`` instead of a SCAN of the keyspace;
- ``{P}:mtime``     a hash path -> modification time, taken from the server's clock
  (``TIME``) so that workers with skewed clocks agree;
- ``{P}:events``    a pub/sub channel that every change is published on (for ``watch``).

Every change (write, append, delete) is one Lua script: the content, the index, the mtime
and the notification change together, so a reader sees the old or the new state, never a
mix. ``append`` is Redis's own ``APPEND``, atomic by construction: concurrent appends from
any number of clients never interleave. ``watch`` uses the plugin's own channel rather
than keyspace notifications (which are off by default and need CONFIG rights); like all
Redis pub/sub it is best effort: changes made while a watcher is disconnected are missed.

URL: ``redis://host:port/db?prefix=things`` (also ``rediss://`` and ``unix://``; every
other query option goes to redis-py). Security as for the redis pub/sub plugin (one parser,
:func:`things_plugins.pubsub.redis_pubsub.client_options`): ``redis://:PASSWORD@host:port/0``,
``redis://USER:PASSWORD@host:port/0`` (ACL user: it needs the keys ``{P}:*`` and the channel
``{P}:events``), ``rediss://host:port/0?ca=PATH&cert=PATH&key=PATH`` for TLS. A refusal by the
server (password, ACL, TLS) is :class:`~thingscore.fs.Unavailable` saying why; other errors
(a server that is down) are raised as before, so that callers retry them as before.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from thingscore.fs import (
    FileStat,
    FileSystem,
    FSError,
    NotFound,
    Unavailable,
    WatchCallback,
    normalize,
    normalize_prefix,
)

from .._lazy import lazy_import
from ..pubsub.redis_pubsub import client_options, refusal
from ..pubsub.tls import redact

if TYPE_CHECKING:
    import redis
else:  # loaded when a client is made, not when the plugin's declarations are read
    redis = lazy_import("redis")

DEFAULT_URL = "redis://127.0.0.1:6379/0"
DEFAULT_PREFIX = "things"

# KEYS: data, index, mtime. ARGV: path, content, channel.
_WRITE = """
local t = redis.call('TIME')
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], 0, ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], t[1] .. '.' .. string.format('%06d', t[2]))
redis.call('PUBLISH', ARGV[3], 'write\\n' .. ARGV[1])
return 1
"""
_APPEND = _WRITE.replace("redis.call('SET', KEYS[1], ARGV[2])", "redis.call('APPEND', KEYS[1], ARGV[2])")
# KEYS: data, index, mtime. ARGV: path, content, channel, expected, "1" if a file is expected.
_CAS = """
local cur = redis.call('GET', KEYS[1])
if ARGV[5] == '1' then
  if cur ~= ARGV[4] then return 0 end
elseif cur then return 0 end
""" + _WRITE
# KEYS: data, index, mtime. ARGV: path, channel. Returns 0 when there was no file.
_DELETE = """
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('PUBLISH', ARGV[2], 'delete\\n' .. ARGV[1])
return 1
"""


def split_url(url: str | None) -> tuple[str, str]:
    """``redis://h:p/0?prefix=x&socket_timeout=5`` -> (URL for redis-py without prefix, prefix)."""
    parts = urlsplit(url or DEFAULT_URL)
    query = parse_qsl(parts.query, keep_blank_values=True)
    prefix = next((v for k, v in reversed(query) if k == "prefix"), DEFAULT_PREFIX)
    if not prefix or any(c in prefix for c in "{}\n"):
        raise FSError(f"redis key prefix must be non-empty, without braces or newlines: {prefix!r}")
    rest = urlencode([(k, v) for k, v in query if k != "prefix"])
    return urlunsplit(parts._replace(query=rest)), prefix


P = ParamSpec("P")
R = TypeVar("R")


def _explained(method: Callable[P, R]) -> Callable[P, R]:
    """The server's refusals (password, ACL, TLS) as Unavailable naming the server and the cause.

    redis-py says "Authentication required." or "NOPERM ..." without the server or the fix;
    only refusals are translated, so a server that is down fails exactly as before."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except redis.RedisError as exc:
            fs: RedisFS = args[0]  # type: ignore[assignment]
            why = refusal(exc, fs._url)
            if why is None:
                raise
            raise Unavailable(f"redis at {redact(fs._url)} refused us: {why}") from exc

    return wrapper


class RedisFS(FileSystem):
    """Files as Redis strings under a key prefix (see the module docstring for the layout)."""

    name = "redis"
    capabilities = frozenset({"watch", "compare-and-swap"})
    schemes = ("redis", "rediss", "unix")
    default_url = DEFAULT_URL

    def __init__(self, url: str | None = None) -> None:
        super().__init__(url)
        client_url, self.prefix = split_url(url)
        self._url = url or DEFAULT_URL
        try:
            client_url, options = client_options(client_url)
        except ValueError as exc:
            raise FSError(str(exc)) from None
        self.client: redis.Redis = redis.Redis.from_url(client_url, **options)
        tag = "{" + self.prefix + "}"
        self._index, self._mtime, self._channel = f"{tag}:index", f"{tag}:mtime", f"{tag}:events"
        self._data_prefix = f"{tag}:d:"
        self._write = self.client.register_script(_WRITE)
        self._append = self.client.register_script(_APPEND)
        self._delete = self.client.register_script(_DELETE)
        self._cas = self.client.register_script(_CAS)
        self._watchers: set[_Watcher] = set()

    def _keys(self, path: str) -> tuple[str, list[str]]:
        norm = normalize(path)
        return norm, [self._data_prefix + norm, self._index, self._mtime]

    @_explained
    def read(self, path: str) -> bytes:
        norm, keys = self._keys(path)
        data = self.client.get(keys[0])
        if data is None:
            raise NotFound(f"no file {norm!r}")
        return bytes(data)  # type: ignore[arg-type]

    @_explained
    def write(self, path: str, data: bytes) -> None:
        norm, keys = self._keys(path)
        self._write(keys=keys, args=[norm, bytes(data), self._channel])

    @_explained
    def append(self, path: str, data: bytes) -> None:
        norm, keys = self._keys(path)
        self._append(keys=keys, args=[norm, bytes(data), self._channel])

    @_explained
    def compare_and_swap(self, path: str, expected: bytes | None, data: bytes) -> bool:
        """One Lua script: GET, compare, SET (atomic in Redis)."""
        norm, keys = self._keys(path)
        args = [norm, bytes(data), self._channel, bytes(expected or b""), "1" if expected is not None else "0"]
        return bool(self._cas(keys=keys, args=args))

    @_explained
    def delete(self, path: str) -> None:
        norm, keys = self._keys(path)
        if not self._delete(keys=keys, args=[norm, self._channel]):
            raise NotFound(f"no file {norm!r}")

    @_explained
    def stat(self, path: str) -> FileStat:
        norm, keys = self._keys(path)
        with self.client.pipeline(transaction=True) as pipe:  # size and mtime of one version
            pipe.exists(keys[0])
            pipe.strlen(keys[0])
            pipe.hget(self._mtime, norm)
            exists, size, mtime = pipe.execute()
        if not exists:
            raise NotFound(f"no file {norm!r}")
        return FileStat(path=norm, size=int(size), mtime=float(mtime or 0.0))

    @_explained
    def exists(self, path: str) -> bool:
        _, keys = self._keys(path)
        return bool(self.client.exists(keys[0]))

    @_explained
    def list(self, prefix: str = "") -> list[str]:
        start = normalize_prefix(prefix)
        if start:  # every string that starts with "a/" sorts in ["a/", "a0"): '0' follows '/'
            low, high = "[" + start, "(" + start[:-1] + "0"
        else:
            low, high = "-", "+"
        members: list[bytes] = self.client.zrangebylex(self._index, low, high)  # type: ignore[assignment]
        return sorted(m.decode() for m in members)

    @_explained
    def watch(self, prefix: str, callback: WatchCallback) -> Callable[[], None]:
        watcher = _Watcher(self, normalize_prefix(prefix), callback)
        self._watchers.add(watcher)
        return watcher.stop

    def close(self) -> None:
        for watcher in list(self._watchers):
            watcher.stop()
        self.client.close()


class _Watcher:
    """A subscription to the plugin's event channel, read by a daemon thread."""

    def __init__(self, fs: RedisFS, prefix: str, callback: WatchCallback) -> None:
        self.fs, self.prefix, self.callback = fs, prefix, callback
        self.pubsub: Any = fs.client.pubsub(ignore_subscribe_messages=False)
        self.pubsub.subscribe(fs._channel)
        # Wait for the server's confirmation: changes after watch() returns are then seen.
        confirmed = self.pubsub.get_message(timeout=10.0)
        if not confirmed or confirmed.get("type") != "subscribe":
            self.pubsub.close()
            raise FSError(f"redis did not confirm the subscription to {fs._channel}")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="things-fs-redis-watch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                message = self.pubsub.get_message(ignore_subscribe_messages=True, timeout=0.2)
            except (redis.ConnectionError, ValueError):
                if self._stop.is_set():
                    return
                self._stop.wait(0.5)  # redis-py reconnects and resubscribes on the next call
                continue
            if not message or message.get("type") != "message" or self._stop.is_set():
                continue
            event, _, path = message["data"].decode().partition("\n")
            if path.startswith(self.prefix):
                self.callback(event, path)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join()
        self.pubsub.close()
        self.fs._watchers.discard(self)
