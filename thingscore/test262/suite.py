"""The test262 suite on disk: where the tarball is, its unpacked cache, the tests' metadata.

The tarball lives outside the project (``<repo>/../shared/test262/`` or ``$THINGS_TEST262``)
and is unpacked once into a cache of our own (``$THINGS_CACHE_DIR/test262/<commit>`` or
``~/.cache/things/test262/<commit>``): tests never copy it into the repository.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT = re.compile(r"/\*---(.*?)---\*/", re.S)

#: Features node 20 does not have: such tests are baseline fails without being run (running
#: them would only show that node lacks them).
NODE20_LACKS = frozenset({
    "Array.fromAsync", "Atomics.pause", "Error.isError", "Float16Array", "IsHTMLDDA", "Math.sumPrecise",
    "RegExp.escape", "ShadowRealm", "Temporal", "await-dictionary", "canonical-tz", "cross-realm", "decorators",
    "explicit-resource-management", "immutable-arraybuffer", "import-bytes", "import-defer", "import-text",
    "iterator-helpers", "json-parse-with-source", "promise-try", "promise-with-resolvers", "regexp-modifiers",
    "regexp-duplicate-named-groups", "set-methods", "source-phase-imports", "source-phase-imports-module-source",
    "tail-call-optimization", "uint8array-base64", "upsert", "array-grouping", "error-stack-accessor",
    "nonextensible-applies-to-private", "host-gc-required",
})


class SuiteMissing(RuntimeError):
    """The test262 tarball is not where we look for it."""


def tarball(repo: Path | None = None) -> Path:
    """The suite's tarball: ``$THINGS_TEST262`` (a tarball or the folder holding it) when
    set, else ``<repo>/../shared/test262/``. Raises :class:`SuiteMissing` saying where it
    looked."""
    repo = repo or Path(__file__).resolve().parents[2]
    env = os.environ.get("THINGS_TEST262")
    places = [Path(env)] if env else [repo.parent / "shared" / "test262"]
    for place in places:
        if place.is_file():
            return place
        found = sorted(place.glob("test262-*.tar.gz")) if place.is_dir() else []
        if found:
            return found[-1]
    raise SuiteMissing("test262 not found (looked in " + ", ".join(str(p) for p in places)
                       + "); set $THINGS_TEST262 to the tarball test262-<commit>.tar.gz")


def cache_root() -> Path:
    env = os.environ.get("THINGS_CACHE_DIR")
    return (Path(env) if env else Path.home() / ".cache" / "things") / "test262"


def unpacked(archive: Path | None = None) -> Path:
    """The suite's root (harness/, test/), unpacking the tarball the first time."""
    archive = archive or tarball()
    m = re.match(r"test262-([0-9a-f]+)\.tar\.gz$", archive.name)
    key = m.group(1) if m else hashlib.sha256(str(archive.resolve()).encode()).hexdigest()[:12]
    root = cache_root() / key
    if (root / ".complete").exists():
        return root
    root.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=root.parent))
    with tarfile.open(archive) as tar:
        tar.extractall(tmp, filter="data")
    inner = tmp
    if not (inner / "test").is_dir():  # the archive has one top folder
        subs = [p for p in tmp.iterdir() if p.is_dir()]
        inner = subs[0] if len(subs) == 1 else tmp
    (inner / ".complete").write_text("ok\n")
    if root.exists() and not (root / ".complete").exists():
        shutil.rmtree(root, ignore_errors=True)  # a partial copy left by an interrupted unpack
    try:
        inner.rename(root)
    except OSError:  # another process won the race
        if not (root / ".complete").exists():
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return root


@dataclass
class Meta:
    """A test's front matter, as INTERPRETING.md defines it."""

    includes: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    features: list[str] = field(default_factory=list)
    negative_phase: str | None = None
    negative_type: str | None = None

    @property
    def module(self) -> bool:
        return "module" in self.flags

    @property
    def is_async(self) -> bool:
        return "async" in self.flags

    def modes(self) -> list[str]:
        """The modes to run in: ``strict``, ``sloppy``, or one ``module``/``raw`` run."""
        if self.module:
            return ["module"]
        if "raw" in self.flags:
            return ["raw"]
        if "onlyStrict" in self.flags:
            return ["strict"]
        if "noStrict" in self.flags:
            return ["sloppy"]
        return ["sloppy", "strict"]


def parse_meta(source: str) -> Meta:
    m = _FRONT.search(source)
    if not m:
        return Meta()
    try:
        data = yaml.load(m.group(1), Loader=_LOADER) or {}
    except yaml.YAMLError:
        return Meta()
    neg = data.get("negative") or {}
    return Meta(includes=list(data.get("includes") or []), flags=set(data.get("flags") or []),
                features=list(data.get("features") or []), negative_phase=neg.get("phase"),
                negative_type=neg.get("type"))


def list_tests(root: Path, filters: list[str] | None = None) -> list[str]:
    """Test paths relative to ``root/test`` (``language/expressions/...js``), sorted; fixtures
    (``*_FIXTURE.js``) are not tests. ``filters`` are path prefixes under test/."""
    base = root / "test"
    prefixes = [f.strip("/") for f in filters or [] if f.strip("/")]
    starts = [base / p for p in prefixes] if prefixes else [base]
    out: set[str] = set()
    for start in starts:
        if start.is_file():
            out.add(start.relative_to(base).as_posix())
            continue
        parent = start if start.is_dir() else start.parent
        if not parent.is_dir():
            continue
        for path in parent.rglob("*.js"):
            rel = path.relative_to(base).as_posix()
            if "_FIXTURE" in path.name or not any(rel.startswith(p) for p in prefixes or [""]):
                continue
            out.add(rel)
    return sorted(out)


def sample(tests: list[str], n: int) -> list[str]:
    """A fixed sample of ``n`` tests spread over folders: the same ``n`` gives the same tests.

    Half is taken folder by folder (round robin over the leaf folders, in an order given by
    a hash of their names, each folder's tests in hash order), so that small folders are
    represented; the other half in hash order over the whole suite, so that big folders
    (language/expressions) weigh as much as their size says."""
    if n <= 0 or n >= len(tests):
        return list(tests)

    def h(s: str) -> str:
        return hashlib.sha1(s.encode()).hexdigest()

    by_dir: dict[str, list[str]] = {}
    for t in tests:
        by_dir.setdefault(t.rsplit("/", 1)[0], []).append(t)
    queues = [sorted(v, key=h) for _, v in sorted(by_dir.items(), key=lambda kv: h(kv[0]))]
    chosen: set[str] = set()
    depth = 0
    while len(chosen) < n // 2:
        for q in queues:
            if depth < len(q):
                chosen.add(q[depth])
                if len(chosen) == n // 2:
                    break
        depth += 1
    for t in sorted(tests, key=h):
        if len(chosen) == n:
            break
        chosen.add(t)
    return sorted(chosen)


def folder_of(test: str) -> str:
    """The folder a test is reported under: ``language/expressions``, ``built-ins/Promise``."""
    parts = test.split("/")
    return "/".join(parts[:2]) if len(parts) > 2 else parts[0]
