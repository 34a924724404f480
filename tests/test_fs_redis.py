"""The ``redis`` FS plugin against a real redis-server: the conformance suite with a fresh
key prefix per test, plus the URL handling and a server restart."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
import redis
from servers import start_redis
from things_conformance.fs import FileSystemConformance
from things_plugins.fs.redis_fs import RedisFS, split_url

from thingscore import plugins
from thingscore.fs import FSError, NotFound


def _empty(fs: RedisFS) -> None:
    for path in fs.list():
        fs.delete(path)


class TestRedisConformance(FileSystemConformance):
    @pytest.fixture
    def fs(self, redis_url: str) -> Iterator[RedisFS]:
        fs = RedisFS(f"{redis_url}?prefix=t-{secrets.token_hex(6)}")
        yield fs
        _empty(fs)
        fs.close()


def test_url_prefix_is_taken_out_for_redis_py() -> None:
    assert split_url("redis://h:1/2?prefix=p&socket_timeout=5") == ("redis://h:1/2?socket_timeout=5", "p")
    assert split_url(None) == ("redis://127.0.0.1:6379/0", "things")
    with pytest.raises(FSError):
        split_url("redis://h:1/0?prefix={x}")


def test_loaded_by_entry_point_and_keys_stay_under_the_prefix(redis_url: str) -> None:
    prefix = f"t-{secrets.token_hex(6)}"
    fs = plugins.load("fs", "redis", url=f"{redis_url}?prefix={prefix}")
    try:
        assert isinstance(fs, RedisFS)
        fs.write("a/b", b"1")
        raw = redis.Redis.from_url(redis_url)
        keys = sorted(k.decode() for k in raw.scan_iter(match=f"{{{prefix}}}*"))
        assert keys == [f"{{{prefix}}}:d:a/b", f"{{{prefix}}}:index", f"{{{prefix}}}:mtime"]
        fs.delete("a/b")
        assert list(raw.scan_iter(match=f"{{{prefix}}}*")) == [], "an empty namespace leaves no keys"
        raw.close()
    finally:
        fs.close()


def test_two_prefixes_do_not_see_each_other(redis_url: str) -> None:
    one, two = (RedisFS(f"{redis_url}?prefix=t-{secrets.token_hex(6)}") for _ in range(2))
    try:
        one.write("same", b"one")
        assert two.list() == [] and not two.exists("same")
    finally:
        _empty(one)
        one.close()
        two.close()


def test_the_client_reconnects_after_a_server_restart() -> None:
    server = start_redis()  # our own server: restarting the session's would disturb other tests
    fs = RedisFS(f"redis://127.0.0.1:{server.port}/0?prefix=t")
    try:
        fs.write("x", b"before")
        server.restart()  # the test server keeps nothing on disk: the file is gone, the client must not be
        with pytest.raises(NotFound):
            fs.read("x")
        fs.write("x", b"after")
        assert fs.read("x") == b"after"
    finally:
        fs.close()
        server.stop()
