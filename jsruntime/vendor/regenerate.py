"""Regenerate the vendored npm packages in this folder from the npm registry.

    python jsruntime/vendor/regenerate.py            # fetch, unpack, apply the patches
    python jsruntime/vendor/regenerate.py --check    # the same into a temporary folder; fail on any difference

Each package listed in PACKAGES is fetched with ``npm pack NAME@VERSION`` (the registry's
tarball, checked against the integrity npm records), its files are unpacked into
``vendor/NAME/`` as they are in the tarball, and ``vendor/NAME.patch`` (if there is one) is
applied with ``patch -p1``. Nothing in ``vendor/NAME/`` is edited by hand: change the patch
and run this script again. See README.md here for why each patch exists.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

# name -> (version, sha512 integrity of the registry tarball)
PACKAGES: dict[str, tuple[str, str]] = {
    "readable-stream": (
        "4.8.0",
        "sha512-2jhTTU3Eilp/2DMT71gbcoqC35eQHasMJH0RHkYxwlxIv3+FR6Y5xAFZIwEGLxKkjZYEFlsiMNIdwUqjK2lLHQ==",
    ),
    "abort-controller": (
        "3.0.0",
        "sha512-h8lQ8tacZYnR3vNQTgibj+tODHI5/+l06Au2Pcriv/Gmet0eaj4TwWH41sO9wnHDiQsEj19q0drzdWdeAHtweg==",
    ),
    "event-target-shim": (
        "5.0.1",
        "sha512-i/2XbnSz/uxRCU6+NdVJgKWDTM427+MqYbkQzD321DuCQJUqOuJKIA0IM2+W2xtYHdKOmZ4dR6fExsd4SXL+WQ==",
    ),
    "string_decoder": (
        "1.3.0",
        "sha512-hkRX8U1WjJFd8LsDJ2yQ/wWWxaopEsABU1XfkM8A+j0+85JAGppt16cr1Whg6KIbb4okU6Mql6BOj+uup/wKeA==",
    ),
}


def fetch(name: str, version: str, into: Path) -> Path:
    """The registry tarball of name@version, downloaded into ``into`` by npm."""
    out = subprocess.run(["npm", "pack", f"{name}@{version}", "--json", "--pack-destination", str(into)],
                         check=True, capture_output=True, text=True, cwd=into).stdout
    info = json.loads(out)[0]
    expected = PACKAGES[name][1]
    if expected and info.get("integrity") != expected:
        raise SystemExit(f"{name}@{version}: integrity {info.get('integrity')} is not the pinned {expected}")
    return into / info["filename"]


def unpack(tarball: Path, target: Path) -> None:
    """The tarball's ``package/`` folder as ``target`` (regular files only)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    with tarfile.open(tarball, "r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile() or not member.name.startswith("package/"):
                continue
            rel = Path(member.name[len("package/"):])
            if rel.is_absolute() or ".." in rel.parts:
                raise SystemExit(f"unsafe path in {tarball.name}: {member.name}")
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            src = tar.extractfile(member)
            assert src is not None
            dest.write_bytes(src.read())


def apply_patch(name: str, target: Path) -> None:
    patch = HERE / f"{name}.patch"
    if patch.is_file():
        subprocess.run(["patch", "-p1", "--no-backup-if-mismatch", "-s", "-i", str(patch)], check=True, cwd=target)


def regenerate(into: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, (version, _) in PACKAGES.items():
            tarball = fetch(name, version, Path(tmp))
            unpack(tarball, into / name)
            apply_patch(name, into / name)


def same_tree(a: Path, b: Path) -> bool:
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.diff_files or cmp.funny_files:
        print(f"differs: {a} vs {b}: {cmp.left_only + cmp.right_only + cmp.diff_files}", file=sys.stderr)
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    if mismatch or errors:
        print(f"differs: {a}: {mismatch + errors}", file=sys.stderr)
        return False
    return all(same_tree(a / d, b / d) for d in cmp.common_dirs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="regenerate into a temporary folder and compare")
    args = ap.parse_args()
    if not args.check:
        regenerate(HERE)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        regenerate(Path(tmp))
        ok = all(same_tree(Path(tmp) / name, HERE / name) for name in PACKAGES)
    print("vendored packages match the registry tarballs and patches" if ok else "vendored packages differ")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
