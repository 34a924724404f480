"""The entry points of the installed plugins, cached between commands (issue 13).

Reading every distribution's metadata cost a third of a `things dispatch` command's answer
time, so :mod:`thingscore.plugins` keeps what it found in a cache file, valid while the
fingerprint of the installed distributions is unchanged. What must hold: a command with a
valid cache does not read the metadata at all, and a distribution installed, edited or
removed after the cache was written is seen by the very next command.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from third_party import install

PROBE = ("import json, sys; from thingscore import plugins; "
         "print(json.dumps({'pubsub': plugins.available('pubsub'), 'fs': plugins.available('fs'), "
         "'scanned': 'importlib.metadata' in sys.modules}))")


def _listing(cache: Path, site: Path, cwd: Path | None = None) -> dict[str, object]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))}
    r = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=60,
                       cwd=cwd or site)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _touch_later(path: Path) -> None:
    """A new mtime for sure, even on a file system with coarse timestamps."""
    later = time.time() + 5
    os.utime(path, (later, later))


def test_a_valid_cache_reads_no_metadata(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    first = _listing(tmp_path / "cache", site)
    assert first["scanned"] and "redis" in first["pubsub"]  # type: ignore[operator]
    assert list((tmp_path / "cache" / "things").glob("entry-points-*.json"))
    again = _listing(tmp_path / "cache", site)
    assert not again["scanned"], "importlib.metadata was imported although the cache was valid"
    assert again["pubsub"] == first["pubsub"] and again["fs"] == first["fs"]


def test_a_distribution_installed_edited_or_removed_later_is_seen(tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    assert "acme" not in _listing(cache, site)["pubsub"]  # type: ignore[operator]
    install(site, "acme_things", {"bus.py": "class Bus:\n    schemes = ('acme',)\n"},
            {"things.pubsub": {"acme": "acme_things.bus:Bus"}})
    seen = _listing(cache, site)
    assert seen["scanned"] and "acme" in seen["pubsub"]  # type: ignore[operator]

    entry_points = site / "acme_things-1.0.dist-info" / "entry_points.txt"
    entry_points.write_text("[things.pubsub]\nacme2 = acme_things.bus:Bus\n")  # edited in place
    _touch_later(entry_points)
    edited = _listing(cache, site)["pubsub"]
    assert "acme2" in edited and "acme" not in edited  # type: ignore[operator]

    for f in (site / "acme_things-1.0.dist-info").iterdir():
        f.unlink()
    (site / "acme_things-1.0.dist-info").rmdir()
    assert "acme2" not in _listing(cache, site)["pubsub"]  # type: ignore[operator]


def test_a_damaged_or_unwritable_cache_only_costs_a_scan(tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    expected = _listing(cache, site)["pubsub"]
    for f in (cache / "things").glob("entry-points-*.json"):
        f.write_text('{"version": 2, "entries": [{"fingerprint": [], "groups": {"things.pubsub": [[')
    damaged = _listing(cache, site)
    assert damaged["scanned"] and damaged["pubsub"] == expected
    blocked = tmp_path / "a-file"
    blocked.write_text("")  # XDG_CACHE_HOME that cannot hold a directory
    unwritable = _listing(blocked, site)
    assert unwritable["scanned"] and unwritable["pubsub"] == expected


def test_other_files_and_other_sys_paths_keep_the_cache(tmp_path: Path) -> None:
    """What does not change the entry points does not cost a scan: files made in a directory
    on sys.path (the working directory is first under ``python -c``/``-m``), and commands of
    the same interpreter run with different sys.path each keep their own entry."""
    site, other, cache = tmp_path / "site", tmp_path / "other", tmp_path / "cache"
    site.mkdir()
    other.mkdir()
    assert _listing(cache, site)["scanned"]
    (site / "notes.txt").write_text("not a distribution")
    _touch_later(site)
    assert not _listing(cache, site)["scanned"]
    assert _listing(cache, other)["scanned"]  # another sys.path: scanned once...
    assert not _listing(cache, site)["scanned"]  # ...without evicting the first
    assert not _listing(cache, other)["scanned"]
