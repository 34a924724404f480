"""``mongo``: the global file system in MongoDB GridFS (pymongo), bucket ``things``.

A file is a series of GridFS revisions with the same ``filename``; the current one is the
committed revision with the highest ``metadata.rev``. Mutations of one path are serialized
by a lock document (``<bucket>.locks``, ``_id`` = path, a lease with an owner token):

- ``write`` uploads the new content first, outside the lock, as an uncommitted revision
  (``metadata.rev`` null, invisible to readers), then, holding the lock, commits it with
  the next revision number and deletes the older revisions. Readers therefore see the old
  content or the new one: a reader whose revision is deleted under it (GridFS reports a
  missing chunk or file) simply reads the current revision again.
- ``append`` is read-modify-write under the same lock: it downloads the current content,
  uploads content + record as a new revision and commits it. Limits: each append costs the
  whole file's size in transfer (fine for logs of a few MB, wrong for big ever-growing
  files); appends to one path are serialized (~ a few ms each on a LAN).
- ``delete`` deletes every committed revision under the lock.

The lock is a lease (``LEASE`` seconds) so that a crashed client cannot block a path for
ever; the holder confirms it still owns the lease just before committing and gives up if
not. Its expiry compares the clients' clocks, so they must agree within a few seconds; an
operation stalled past the lease can lose its own update (it is never torn). Revisions
left uncommitted by a crashed writer stay invisible (and take space until deleted by hand).
No ``watch``: change streams need a replica set; the capability is not declared.

URL: ``mongodb://host:port/dbname?bucket=things`` (database default ``things``; every other
option goes to pymongo; ``serverSelectionTimeoutMS`` defaults to 5000 here, not 30000).
"""

from __future__ import annotations

import contextlib
import random
import secrets
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .._lazy import lazy_import

if TYPE_CHECKING:
    import gridfs
    import pymongo
else:  # loaded when a client is made, not when the plugin's declarations are read
    gridfs = lazy_import("gridfs")
    pymongo = lazy_import("pymongo")

from thingscore.fs import FileStat, FileSystem, FSError, NotFound, Unavailable, normalize, normalize_prefix

DEFAULT_URL = "mongodb://127.0.0.1:27017/things"
DEFAULT_BUCKET = "things"
DEFAULT_DB = "things"
LEASE = 30.0  # seconds a lock is held at most without being confirmed
LOCK_WAIT = 120.0  # seconds to wait for a busy path before giving up
COMMITTED = {"metadata.rev": {"$type": "number"}}


def split_url(url: str | None) -> tuple[str, str, str]:
    """``mongodb://h/db?bucket=b&w=1`` -> (URL for pymongo without bucket, database, bucket)."""
    parts = urlsplit(url or DEFAULT_URL)
    query = parse_qsl(parts.query, keep_blank_values=True)
    bucket = next((v for k, v in reversed(query) if k == "bucket"), DEFAULT_BUCKET)
    if not bucket or "$" in bucket or "\0" in bucket:
        raise FSError(f"invalid GridFS bucket name {bucket!r}")
    client_url = urlunsplit(parts._replace(query=urlencode([(k, v) for k, v in query if k != "bucket"])))
    try:
        database = pymongo.uri_parser.parse_uri(client_url)["database"] or DEFAULT_DB
    except (pymongo.errors.InvalidURI, pymongo.errors.ConfigurationError, ValueError) as exc:
        raise FSError(f"invalid MongoDB URL {url!r}: {exc}") from None
    return client_url, database, bucket


class MongoFS(FileSystem):
    """Files as GridFS revisions; see the module docstring for the guarantees and limits."""

    name = "mongo"
    capabilities = frozenset({"compare-and-swap"})
    schemes = ("mongodb", "mongodb+srv")
    default_url = DEFAULT_URL

    def __init__(self, url: str | None = None) -> None:
        super().__init__(url)
        client_url, self.database, self.bucket_name = split_url(url)
        self.server = urlsplit(client_url).netloc.rpartition("@")[2] or "localhost"
        options: dict[str, Any] = {}
        if "serverselectiontimeoutms" not in client_url.lower():
            options["serverSelectionTimeoutMS"] = 5000
        self.client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(client_url, **options)
        db = self.client[self.database]
        self.bucket = gridfs.GridFSBucket(db, bucket_name=self.bucket_name)
        self.files = db[f"{self.bucket_name}.files"]
        self.locks = db[f"{self.bucket_name}.locks"]
        self._indexed = False

    # -- errors and indexes ------------------------------------------------------------------

    @contextlib.contextmanager
    def _server(self) -> Iterator[None]:
        """pymongo's connection errors as Unavailable, naming the server."""
        try:
            yield
        except pymongo.errors.ConnectionFailure as exc:
            why = str(exc).split(", Timeout:")[0]  # pymongo appends its whole topology description
            raise Unavailable(f"cannot reach MongoDB at {self.server} (database {self.database}): {why}") from None
        except pymongo.errors.OperationFailure as exc:
            if exc.code in (13, 18):  # Unauthorized, AuthenticationFailed
                raise Unavailable(f"MongoDB at {self.server} refused us: {exc}") from None
            raise

    def _ensure_indexes(self) -> None:
        if not self._indexed:
            self.files.create_index([("filename", 1), ("metadata.rev", -1)])
            self._indexed = True

    # -- reading -------------------------------------------------------------------------------

    def _current(self, norm: str) -> dict[str, Any] | None:
        return self.files.find_one({"filename": norm, **COMMITTED}, sort=[("metadata.rev", -1)])

    def _read_current(self, norm: str) -> tuple[dict[str, Any] | None, bytes]:
        """The current revision and its content; retried when a writer deletes it under us."""
        for _ in range(50):
            doc = self._current(norm)
            if doc is None:
                return None, b""
            try:
                return doc, self.bucket.open_download_stream(doc["_id"]).read()
            except (gridfs.errors.NoFile, gridfs.errors.CorruptGridFile):
                time.sleep(0.001)  # replaced meanwhile: read the new current revision
        raise FSError(f"{norm!r} kept changing while being read")

    def read(self, path: str) -> bytes:
        norm = normalize(path)
        with self._server():
            doc, data = self._read_current(norm)
        if doc is None:
            raise NotFound(f"no file {norm!r}")
        return data

    def stat(self, path: str) -> FileStat:
        norm = normalize(path)
        with self._server():
            doc = self._current(norm)
        if doc is None:
            raise NotFound(f"no file {norm!r}")
        return FileStat(path=norm, size=int(doc["length"]), mtime=float(doc["metadata"]["mtime"]))

    def exists(self, path: str) -> bool:
        norm = normalize(path)
        with self._server():
            return self.files.find_one({"filename": norm, **COMMITTED}, projection={"_id": 1}) is not None

    def list(self, prefix: str = "") -> list[str]:
        start = normalize_prefix(prefix)
        match: dict[str, Any] = dict(COMMITTED)
        if start:  # every name that starts with "a/" sorts in ["a/", "a0"): '0' follows '/'
            match["filename"] = {"$gte": start, "$lt": start[:-1] + "0"}
        with self._server():
            names = self.files.aggregate([{"$match": match}, {"$group": {"_id": "$filename"}}])
            return sorted(doc["_id"] for doc in names)

    # -- writing -------------------------------------------------------------------------------

    def write(self, path: str, data: bytes) -> None:
        norm = normalize(path)
        with self._server():
            self._ensure_indexes()
            pending = self._upload(norm, bytes(data))
            with self._discarded_on_failure(pending), self._locked(norm) as token:
                self._commit(norm, pending, token)

    def append(self, path: str, data: bytes) -> None:
        norm = normalize(path)
        with self._server():
            self._ensure_indexes()
            with self._locked(norm) as token:
                _, current = self._read_current(norm)
                pending = self._upload(norm, current + bytes(data))
                with self._discarded_on_failure(pending):
                    self._commit(norm, pending, token)

    def compare_and_swap(self, path: str, expected: bytes | None, data: bytes) -> bool:
        """Compare and write under the path's lock document (as ``append`` does)."""
        norm = normalize(path)
        with self._server():
            self._ensure_indexes()
            with self._locked(norm) as token:
                doc, current = self._read_current(norm)
                if (current if doc is not None else None) != expected:
                    return False
                pending = self._upload(norm, bytes(data))
                with self._discarded_on_failure(pending):
                    self._commit(norm, pending, token)
                return True

    def delete(self, path: str) -> None:
        norm = normalize(path)
        with self._server(), self._locked(norm):
            revisions = [d["_id"] for d in self.files.find({"filename": norm, **COMMITTED}, projection={"_id": 1})]
            if not revisions:
                raise NotFound(f"no file {norm!r}")
            for file_id in revisions:
                with contextlib.suppress(gridfs.errors.NoFile):
                    self.bucket.delete(file_id)

    @contextlib.contextmanager
    def _discarded_on_failure(self, pending: Any) -> Iterator[None]:
        """An uploaded revision that could not be committed is deleted, not left behind as an
        invisible orphan (readers never see it, but it would hold the space)."""
        try:
            yield
        except BaseException:
            with contextlib.suppress(Exception):
                self.bucket.delete(pending)
            raise

    def _upload(self, norm: str, data: bytes) -> Any:
        return self.bucket.upload_from_stream(norm, data, metadata={"rev": None, "mtime": None})

    def _commit(self, norm: str, pending: Any, token: str) -> None:
        """Make ``pending`` the current revision and delete the older ones (lock held)."""
        current = self._current(norm)
        rev = (current["metadata"]["rev"] + 1) if current else 1
        self._confirm(norm, token)
        self.files.update_one({"_id": pending}, {"$set": {"metadata.rev": rev, "metadata.mtime": time.time()}})
        for old in self.files.find({"filename": norm, "metadata.rev": {"$type": "number", "$lt": rev}},
                                   projection={"_id": 1}):
            with contextlib.suppress(gridfs.errors.NoFile):
                self.bucket.delete(old["_id"])

    # -- the per-path lock ---------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self, norm: str) -> Iterator[str]:
        """Hold the lease on ``norm``: insert the lock document, or take it over once expired."""
        token = secrets.token_hex(8)
        deadline = time.monotonic() + LOCK_WAIT
        delay = 0.001
        while True:
            now = time.time()
            try:
                self.locks.update_one({"_id": norm, "expires": {"$lt": now}},
                                      {"$set": {"owner": token, "expires": now + LEASE}}, upsert=True)
                break
            except pymongo.errors.DuplicateKeyError:  # held and not expired
                if time.monotonic() > deadline:
                    raise FSError(f"{norm!r} stayed locked for {LOCK_WAIT:.0f} s") from None
                time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, 0.05)
        try:
            yield token
        finally:
            with contextlib.suppress(Exception):
                self.locks.delete_one({"_id": norm, "owner": token})

    def _confirm(self, norm: str, token: str) -> None:
        """Renew the lease just before committing; refuse to commit if it was taken over."""
        now = time.time()
        if self.locks.find_one_and_update({"_id": norm, "owner": token}, {"$set": {"expires": now + LEASE}}) is None:
            raise FSError(f"lost the lock on {norm!r} (an operation took longer than {LEASE:.0f} s)")

    def close(self) -> None:
        self.client.close()
