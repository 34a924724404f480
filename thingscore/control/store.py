"""Where code and snapshots live in the global file system, and moving them in and out.

With the cluster's keys (``ring``), code is sealed by its dispatcher or scheduler and a
snapshot by the worker that took it (see :mod:`thingscore.security.sealed_files`); what is
read back is checked before it reaches a runtime. Without keys the files are plain.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from thingscore.fs import FileSystem
from thingscore.security import sealed_files
from thingscore.security.keys import KeyRing
from thingscore.security.policy import ANYONE, OPERATORS


def program_path(program_hash: str) -> str:
    return f"code/{program_hash}.js"


def put_program(fs: FileSystem, program_hash: str, text: str, ring: KeyRing | None = None) -> str:
    """Store an instrumented program (once: its name is the hash of what it is). With keys
    it is written sealed every time: a copy stored by an open cluster would be refused."""
    path = program_path(program_hash)
    if ring is not None:
        fs.write(path, sealed_files.seal_file(ring, "code", program_hash, text.encode("utf-8")))
    elif not fs.exists(path):
        fs.write(path, text.encode("utf-8"))
    return path


def fetch_program(fs: FileSystem, path: str, program_hash: str, dest: Path, ring: KeyRing | None) -> Path:
    """The program's code checked (signed by a dispatcher or scheduler, of this hash) into ``dest``."""
    body = sealed_files.open_file(ring, fs.read(path), "code", program_hash, OPERATORS, f"code {path}")
    return _write_local(dest, body)


def fetch(fs: FileSystem, path: str, dest: Path) -> Path:
    """Copy a file of the global FS to a local file (atomically). Several restores of one
    program may fetch its code at once: each writes its own temporary file."""
    return _write_local(dest, fs.read(path))


def _write_local(dest: Path, data: bytes) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f"{dest.name}.{uuid.uuid4().hex}.part")
    try:
        tmp.write_bytes(data)
        tmp.replace(dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def snapshot_path(pid: str) -> str:
    return f"snapshots/{pid}/{time.time_ns()}.json"


def put_snapshot(fs: FileSystem, pid: str, local: Path, program_hash: str = "", ring: KeyRing | None = None,
                 encrypt: bool = False) -> str:
    """Store a snapshot taken here (sealed by this worker, encrypted if asked, with keys)."""
    path = snapshot_path(pid)
    data = local.read_bytes()
    if ring is not None:
        data = sealed_files.seal_file(ring, "snapshot", program_hash, data, encrypt=encrypt)
    fs.write(path, data)
    return path


def fetch_snapshot(fs: FileSystem, path: str, program_hash: str, dest: Path, ring: KeyRing | None) -> Path:
    """A snapshot checked (sealed by a worker of this cluster, of this program) and decrypted into ``dest``.
    The scheduler's checkpoints are snapshots its workers took, so a worker's seal is the one asked for."""
    body = sealed_files.open_file(ring, fs.read(path), "snapshot", program_hash, ANYONE - OPERATORS,
                                  f"snapshot {path}")
    return _write_local(dest, body)
