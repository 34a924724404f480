"""Global FS throughput per backend: small-file writes/reads/appends per second, 10 MB MB/s.

    .venv/bin/python bench/fs_bench.py --fs=/tmp/things-bench
    .venv/bin/python bench/fs_bench.py --fs=redis://127.0.0.1:6379/0 --fs=mongodb://host:27017/bench

Runs in a scratch subtree ``things-bench-*/`` that is deleted afterwards. Not a test: the
numbers depend on the disk and the network; they are for comparing backends and changes.
"""

from __future__ import annotations

import argparse
import secrets
import time
from collections.abc import Callable

from thingscore import plugins
from thingscore.commands.conformance_fs import resolve
from thingscore.fs import FileSystem


def timed(label: str, count: int, nbytes: int, op: Callable[[int], object]) -> str:
    started = time.perf_counter()
    for i in range(count):
        op(i)
    took = time.perf_counter() - started
    return f"  {label:<22} {count / took:10.0f} ops/s {nbytes * count / took / 1e6:10.1f} MB/s"


def bench(fs: FileSystem, small: int = 500) -> list[str]:
    lines = []
    one_k, ten_m = b"k" * 1024, b"m" * (10 << 20)
    lines.append(timed("write 1 KB", small, len(one_k), lambda i: fs.write(f"s/{i}", one_k)))
    lines.append(timed("read 1 KB", small, len(one_k), lambda i: fs.read(f"s/{i}")))
    lines.append(timed("stat", small, 0, lambda i: fs.stat(f"s/{i}")))
    lines.append(timed("append 100 B", small, 100, lambda i: fs.append("log", one_k[:100])))
    lines.append(timed("list (500 files)", 20, 0, lambda i: fs.list("s")))
    lines.append(timed("write 10 MB", 5, len(ten_m), lambda i: fs.write("big", ten_m)))
    lines.append(timed("read 10 MB", 5, len(ten_m), lambda i: fs.read("big")))
    lines.append(timed("delete", small, 0, lambda i: fs.delete(f"s/{i}")))
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fs", action="append", required=True, help="URL, directory or plugin name (repeatable)")
    ap.add_argument("--small", type=int, default=500, help="operations per small-file measurement")
    args = ap.parse_args()
    for spec in args.fs:
        name, url = resolve(spec)
        root = plugins.load("fs", name, url=url)
        fs = root.subtree(f"things-bench-{secrets.token_hex(4)}")
        print(f"{name} at {url or 'its default'}")
        try:
            for line in bench(fs, args.small):
                print(line, flush=True)
        finally:
            for path in fs.list():
                fs.delete(path)
            root.close()


if __name__ == "__main__":
    main()
