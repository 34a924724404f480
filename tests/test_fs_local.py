"""The ``local`` FS plugin: the conformance suite on a fresh directory, plus what only a
directory has (symlinks, temporary files, URL forms, pruning)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from things_conformance.fs import FileSystemConformance
from things_plugins.fs.local import TMP_MARK, LocalFS

from thingscore import plugins
from thingscore.fs import FSError, NotFound, PathEscape


class TestLocalConformance(FileSystemConformance):
    @pytest.fixture
    def fs(self, tmp_path: Path) -> Iterator[LocalFS]:
        fs = LocalFS(str(tmp_path / "root"))
        yield fs
        fs.close()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "root"


def test_loaded_by_entry_point_from_a_file_url(root: Path) -> None:
    fs = plugins.load("fs", "local", url=f"file://{root}?sync=none")
    assert isinstance(fs, LocalFS) and fs.root == Path(os.path.realpath(root)) and fs.sync == "none"
    fs.write("x", b"1")
    assert (root / "x").read_bytes() == b"1"


def test_default_root_is_things_fs_in_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    fs = LocalFS()
    assert fs.root == Path(os.path.realpath(tmp_path / "things-fs"))


def test_symlink_out_of_the_root_is_refused(root: Path, tmp_path: Path) -> None:
    fs = LocalFS(str(root))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_bytes(b"secret")
    (root / "link").symlink_to(outside)
    (root / "file-link").symlink_to(outside / "secret")
    for path in ("link/secret", "file-link"):
        with pytest.raises(PathEscape):
            fs.read(path)
        with pytest.raises(PathEscape):
            fs.write(path, b"overwritten")
        with pytest.raises(PathEscape):
            fs.append(path, b"more")
        with pytest.raises(PathEscape):
            fs.delete(path)
    with pytest.raises(PathEscape):
        fs.list("link")
    assert fs.list() == [], "files reached through a symlink out of the root are listed"
    assert (outside / "secret").read_bytes() == b"secret"


def test_symlink_inside_the_root_is_followed(root: Path) -> None:
    fs = LocalFS(str(root))
    fs.write("real/file", b"data")
    (root / "alias").symlink_to(root / "real")
    assert fs.read("alias/file") == b"data"


def test_temporary_files_are_hidden_and_reserved(root: Path) -> None:
    fs = LocalFS(str(root))
    fs.write("a", b"1")
    (root / f"{TMP_MARK}leftover").write_bytes(b"crashed write")
    assert fs.list() == ["a"]
    with pytest.raises(FSError):
        fs.write(f"{TMP_MARK}x", b"1")


def test_write_leaves_no_temporary_file(root: Path) -> None:
    fs = LocalFS(str(root))
    for i in range(5):
        fs.write("d/f", bytes([i]) * 1000)
    assert sorted(os.listdir(root / "d")) == ["f"]


def test_delete_prunes_empty_directories_but_not_the_root(root: Path) -> None:
    fs = LocalFS(str(root))
    fs.write("a/b/c/f", b"1")
    fs.write("a/g", b"1")
    fs.delete("a/b/c/f")
    assert sorted(os.listdir(root)) == ["a"] and os.listdir(root / "a") == ["g"]
    fs.delete("a/g")
    assert root.is_dir() and os.listdir(root) == []


def test_directory_paths_are_not_files(root: Path) -> None:
    fs = LocalFS(str(root))
    fs.write("dir/f", b"1")
    with pytest.raises(NotFound):
        fs.delete("dir")
    with pytest.raises(FSError):
        fs.write("dir", b"clobber a directory")
    with pytest.raises(FSError):
        fs.append("dir", b"x")
    with pytest.raises(FSError):
        fs.write("dir/f/under-a-file", b"x")
    assert fs.read("dir/f") == b"1"


def test_bad_sync_option_is_refused(root: Path) -> None:
    with pytest.raises(FSError, match="sync"):
        LocalFS(f"file://{root}?sync=sometimes")
