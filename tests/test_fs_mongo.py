"""The ``mongo`` FS plugin. There is no MongoDB server on this machine (none is packaged for
Debian, PyPI or npm), so the conformance suite runs only against the server named by
THINGS_TEST_MONGO_URL (``mongodb://host:port/db``) and is otherwise skipped, visibly, test by
test. The URL handling and the error for an unreachable server are checked everywhere."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator

import pytest
from servers import free_port
from things_conformance.fs import FileSystemConformance
from things_plugins.fs.mongo_fs import MongoFS, split_url

from thingscore import plugins
from thingscore.fs import FSError, Unavailable

MONGO_URL = os.environ.get("THINGS_TEST_MONGO_URL", "")
NO_SERVER = ("THINGS_TEST_MONGO_URL is not set: no MongoDB server on this machine "
             "(set it to mongodb://host:port/db to run the mongo conformance suite)")


def with_bucket(url: str, bucket: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}bucket={bucket}"


class TestMongoConformance(FileSystemConformance):
    @pytest.fixture
    def fs(self) -> Iterator[MongoFS]:
        if not MONGO_URL:
            pytest.skip(NO_SERVER)
        fs = MongoFS(with_bucket(MONGO_URL, f"t-{secrets.token_hex(6)}"))
        yield fs
        db = fs.client[fs.database]
        for suffix in ("files", "chunks", "locks"):
            db.drop_collection(f"{fs.bucket_name}.{suffix}")
        fs.close()


def test_url_bucket_and_database() -> None:
    assert split_url("mongodb://h:1/db?bucket=b&w=1") == ("mongodb://h:1/db?w=1", "db", "b")
    assert split_url("mongodb://h:1") == ("mongodb://h:1", "things", "things")
    with pytest.raises(FSError):
        split_url("mongodb://h:1/db?bucket=a$b")
    with pytest.raises(FSError):
        split_url("http://not-mongo/")


def test_loaded_by_entry_point_without_connecting() -> None:
    fs = plugins.load("fs", "mongo", url=f"mongodb://127.0.0.1:{free_port()}/x")
    try:
        assert isinstance(fs, MongoFS) and fs.capabilities == frozenset({"compare-and-swap"})
        with pytest.raises(NotImplementedError):
            fs.watch("", lambda event, path: None)
    finally:
        fs.close()


def test_an_unreachable_server_is_a_clear_error_soon() -> None:
    port = free_port()
    fs = MongoFS(f"mongodb://127.0.0.1:{port}/x?serverSelectionTimeoutMS=300")
    started = time.monotonic()
    try:
        with pytest.raises(Unavailable, match=f"cannot reach MongoDB at 127.0.0.1:{port}"):
            fs.read("a")
        with pytest.raises(Unavailable):
            fs.write("a", b"1")
    finally:
        fs.close()
    assert time.monotonic() - started < 5
