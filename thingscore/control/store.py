"""Where code and snapshots live in the global file system, and moving them in and out."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from thingscore.fs import FileSystem


def program_path(program_hash: str) -> str:
    return f"code/{program_hash}.js"


def put_program(fs: FileSystem, program_hash: str, text: str) -> str:
    """Store an instrumented program (once: its name is the hash of what it is)."""
    path = program_path(program_hash)
    if not fs.exists(path):
        fs.write(path, text.encode("utf-8"))
    return path


def fetch(fs: FileSystem, path: str, dest: Path) -> Path:
    """Copy a file of the global FS to a local file (atomically). Several restores of one
    program may fetch its code at once: each writes its own temporary file."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f"{dest.name}.{uuid.uuid4().hex}.part")
    try:
        tmp.write_bytes(fs.read(path))
        tmp.replace(dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def snapshot_path(pid: str) -> str:
    return f"snapshots/{pid}/{time.time_ns()}.json"


def put_snapshot(fs: FileSystem, pid: str, local: Path) -> str:
    path = snapshot_path(pid)
    fs.write(path, local.read_bytes())
    return path
