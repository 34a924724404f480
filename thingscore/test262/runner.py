"""Run one test262 test under plain ``node`` and instrumented, by INTERPRETING.md's rules.

A test runs once per mode (``sloppy`` and ``strict`` by default, one ``strict``/``sloppy``
run for onlyStrict/noStrict, one ``raw`` or ``module`` run). In each mode the plain run
decides whether the test counts at all: a test node itself fails is a *baseline fail*
(node 20 lacks the feature, or the test needs a host hook we do not give it, such as
``$262.createRealm``), and only tests that pass under plain node are held to the target.

Scripts run as what ``things exec`` runs: a CommonJS main file. Module tests run as ES
modules (the test and its ``_FIXTURE`` files in a folder whose package.json says
``"type": "module"``). Negative ``parse`` tests are not run instrumented: both parser
plugins must reject them, which is what instrumenting them would do.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from thingscore.parsing import JSSyntaxError

from .suite import NODE20_LACKS, Meta, parse_meta

PLAIN_TIMEOUT_S = 20.0
INSTRUMENTED_TIMEOUT_S = 60.0
MOVE_EVERY = 1
MOVE_HOPS = 1000

#: Host functions test262 expects (INTERPRETING.md: print, $262). Part of the test's own
#: text, so the instrumented run instruments them like the rest of the program.
PRELUDE_SCRIPT = (
    "var print = function (s) { console.log(String(s)); };\n"
    "var $262 = { global: globalThis, gc: globalThis.gc,\n"
    "  detachArrayBuffer: function (b) { structuredClone(b, { transfer: [b] }); return null; },\n"
    "  evalScript: function (src) { return require('vm').runInThisContext(src); } };\n"
)
PRELUDE_MODULE = (
    "var print = function (s) { console.log(String(s)); };\n"
    "var $262 = { global: globalThis, gc: globalThis.gc,\n"
    "  detachArrayBuffer: function (b) { structuredClone(b, { transfer: [b] }); return null; } };\n"
)

# Outcome kinds, per test and mode.
PASS = "passed"
FAIL = "failed"
REFUSED = "refused"          # instrumentation refused what DESIGN.md allows it to refuse
BASELINE = "baseline-fails"  # plain node fails (or lacks the feature): not held to the target

ALLOWED_REFUSALS = ("`with` statements", "direct eval in sloppy-mode code")


@dataclass
class ModeResult:
    mode: str
    status: str
    reason: str = ""
    category: str = ""
    moves: int | None = None  # moves made in the moving run (async tests), None when not moved


@dataclass
class TestResult:
    __test__ = False  # not a pytest class

    test: str
    status: str
    modes: list[ModeResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def reason(self) -> str:
        for m in self.modes:
            if m.status == self.status:
                return f"[{m.mode}] {m.reason}" if m.reason else ""
        return ""

    @property
    def category(self) -> str:
        for m in self.modes:
            if m.status == self.status and m.category:
                return m.category
        return ""

    def as_dict(self) -> dict[str, Any]:
        return {"test": self.test, "status": self.status, "reason": self.reason, "category": self.category,
                "seconds": round(self.seconds, 3),
                "modes": [{"mode": m.mode, "status": m.status, "reason": m.reason, "category": m.category,
                           **({"moves": m.moves} if m.moves is not None else {})} for m in self.modes]}


def combine(modes: list[ModeResult]) -> str:
    """A test's status over its modes: failed if any mode failed, else refused, else the
    module category, else passed; baseline only when node failed in every mode."""
    held = [m for m in modes if m.status != BASELINE]
    if not held:
        return BASELINE
    for status in (FAIL, REFUSED):
        if any(m.status == status for m in held):
            return status
    return PASS


@dataclass
class Run:
    rc: int
    stdout: str
    stderr: str
    timed_out: bool = False
    note: str = ""
    moves: int = 0


def _node() -> str:
    return shutil.which("node") or "node"


def run_node(file: Path, cwd: Path, timeout: float = PLAIN_TIMEOUT_S) -> Run:
    try:
        p = subprocess.run([_node(), str(file)], cwd=cwd, capture_output=True, timeout=timeout,
                           stdin=subprocess.DEVNULL, env=_child_env())
    except subprocess.TimeoutExpired as exc:
        return Run(-1, _text(exc.stdout), _text(exc.stderr), timed_out=True)
    return Run(p.returncode, _text(p.stdout), _text(p.stderr))


def _text(b: bytes | str | None) -> str:
    if b is None:
        return ""
    return b if isinstance(b, str) else b.decode("utf-8", "replace")


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THINGS_") and k != "NODE_OPTIONS"}
    return env


def run_moving(program: Path, cwd: Path, timeout: float = INSTRUMENTED_TIMEOUT_S,
               every: int = MOVE_EVERY, hops: int = MOVE_HOPS) -> Run:
    """``things exec --every 1 --hops 1000``, with the program's output captured: each process
    snapshots after ``every`` callbacks, stops, and a fresh one resumes from the snapshot."""
    from thingscore.runtime import StartRequest

    runtime = _node_runtime()
    work = program.parent
    out_path, err_path = work / "moving.out", work / "moving.err"
    deadline = time.monotonic() + timeout
    snapshot_in: Path | None = None
    notes: list[str] = []
    hop = 0
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        while True:
            migrate = hop < hops
            snap = work / f"hop-{hop + 1}.json"
            req = StartRequest(program=program, restore_from=snapshot_in, snapshot_every=every if migrate else 0,
                               snapshot_path=snap if migrate else None, cwd=cwd, stdout=out, stderr=err,
                               env={})
            proc = runtime.start(req)
            timer = threading.Timer(max(0.1, deadline - time.monotonic()), proc.kill)
            timer.start()
            took = False
            try:
                for msg in proc.messages():
                    kind = msg.get("type")
                    if kind == "snapshot":
                        took = True
                    elif kind in ("snapshot-error", "restore-error"):
                        notes.append(f"{kind}: {msg.get('message')}")
                rc = proc.wait()
            finally:
                timer.cancel()
            if time.monotonic() >= deadline:
                return Run(rc, _read(out_path), _read(err_path), timed_out=True, note=f"after {hop} moves", moves=hop)
            if not took or not snap.exists():
                break
            if snapshot_in is not None:
                snapshot_in.unlink(missing_ok=True)
            snapshot_in = snap
            hop += 1
    return Run(rc, _read(out_path), _read(err_path), note="; ".join(notes) + (f" (after {hop} moves)" if hop else ""),
               moves=hop)


def _read(p: Path) -> str:
    return p.read_text(encoding="utf-8", errors="replace") if p.exists() else ""


@cache
def _node_runtime() -> Any:
    from thingscore import plugins

    return plugins.load("runtime", plugins.default_name("runtime"))


@cache
def _parser(name: str) -> Any:
    from thingscore import plugins

    return plugins.load("parser", name)


class Harness:
    """The harness files, read once per process."""

    def __init__(self, root: Path) -> None:
        self.dir = root / "harness"
        self._files: dict[str, str] = {}

    def file(self, name: str) -> str:
        text = self._files.get(name)
        if text is None:
            text = self._files[name] = (self.dir / name).read_text(encoding="utf-8")
        return text

    def text(self, meta: Meta, mode: str) -> str:
        if mode == "raw":
            return ""
        names = ["assert.js", "sta.js"]
        if meta.is_async:
            names.append("doneprintHandle.js")
        names += [n for n in meta.includes if n not in names]
        prelude = PRELUDE_MODULE if mode == "module" else PRELUDE_SCRIPT
        if meta.is_async:
            # asyncHelpers.js looks for $DONE on the global object, where a script's function
            # declaration would put it; ours is the CommonJS module's (or the ES module's) own.
            prelude += "globalThis.$DONE = $DONE;\n"
        return prelude + "".join(self.file(n) + "\n" for n in names)


def program_text(harness: Harness, meta: Meta, mode: str, source: str) -> str:
    if mode == "raw":
        return source
    head = '"use strict";\n' if mode == "strict" else ""
    return head + harness.text(meta, mode) + source


def expectation_met(meta: Meta, run: Run) -> tuple[bool, str]:
    """Did a run do what the test expects? (ok, why not)."""
    if run.timed_out:
        return False, f"timed out {run.note}".strip()
    if meta.negative_phase:
        want = meta.negative_type or "Error"
        if run.rc == 0:
            return False, f"expected {want} ({meta.negative_phase}), ran to completion"
        if not re.search(rf"\b{re.escape(want)}\b", run.stderr):
            return False, f"expected {want} ({meta.negative_phase}), got: {_last_error(run.stderr)}"
        return True, ""
    if meta.is_async:
        if "Test262:AsyncTestFailure" in run.stdout:
            line = next(ln for ln in run.stdout.splitlines() if "Test262:AsyncTestFailure" in ln)
            return False, line.strip()[:200]
        if "Test262:AsyncTestComplete" not in run.stdout:
            return False, f"no Test262:AsyncTestComplete (exit {run.rc}): {_last_error(run.stderr)}"
    if run.rc != 0:
        return False, f"exit {run.rc}: {_last_error(run.stderr)}"
    return True, ""


_ERR_LINE = re.compile(r"^(?:Uncaught )?([A-Z]\w*(?:Error|Exception)\b.*|Test262Error.*)$", re.M)


def _last_error(stderr: str) -> str:
    m = _ERR_LINE.findall(stderr)
    if m:
        last = m[-1].strip()
        if last.endswith("{"):  # an error object node shows with util.inspect: take its message
            msg = re.search(r"^\s*message: (.*?),?$", stderr[stderr.rfind(last):], re.M)
            last = last[:-1].strip() + (": " + msg.group(1) if msg else "")
        return _one_line(last)[:200]
    lines = [ln for ln in stderr.strip().splitlines() if ln.strip() and not ln.startswith("    at ")]
    return _one_line(lines[-1] if lines else "no output")[:200]


def pick_mode(rel: str, modes: list[str]) -> str:
    return modes[int(hashlib.sha1(rel.encode()).hexdigest(), 16) % len(modes)]


class PlainCache:
    """Plain node's verdicts, one small file per test text and mode under the suite's cache:
    they depend only on node's version and the text, and are half of a run's node starts."""

    def __init__(self, root: Path) -> None:
        self.dir = root.parent / f"{root.name}-plain-{_node_version()}"

    def key(self, mode: str, text: str, is_async: bool) -> str:
        return hashlib.sha256(f"{mode}\0{is_async}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, key: str) -> tuple[bool, str] | None:
        try:
            data = json.loads((self.dir / key[:2] / key).read_text(encoding="utf-8"))
            return bool(data[0]), str(data[1])
        except (OSError, ValueError, IndexError, TypeError):
            return None

    def put(self, key: str, ok: bool, why: str) -> None:
        target = self.dir / key[:2] / key
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".{os.getpid()}")
            tmp.write_text(json.dumps([ok, why]), encoding="utf-8")
            os.replace(tmp, target)
        except OSError:
            pass


@cache
def _node_version() -> str:
    try:
        return subprocess.run([_node(), "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


_SPECIFIER = re.compile(r"""['"]\./([^'"/\\]+)['"]""")


def _imported(folder: Path, text: str, exclude: str) -> list[str]:
    """The files of ``folder`` that ``text`` names as ``'./x'``, and those they name, and so
    on: a module test's imports (fixtures import sibling tests back), without copying the
    whole folder for every test."""
    seen: set[str] = set()
    todo = [text]
    while todo:
        for name in _SPECIFIER.findall(todo.pop()):
            if name in seen or name == exclude or not (folder / name).is_file():
                continue
            seen.add(name)
            todo.append((folder / name).read_text(encoding="utf-8", errors="replace"))
    return sorted(seen)


def lay_out(path: Path, mode: str, text: str, folder: Path) -> tuple[Path, str]:
    """Write the test (``text``) into ``folder`` with what it imports; returns the file to
    run and a word for the layout.

    A module test becomes an ES module next to the files of its folder it imports (its
    fixtures, and the sibling tests that fixtures import back) under ``"type": "module"``. A script whose
    folder has fixtures imports them with ``import()``: they are ES modules, so they go
    under ``"type": "module"`` too, and the script keeps CommonJS as a ``.cjs`` file."""
    folder.mkdir()
    fixtures = sorted(path.parent.glob("*_FIXTURE*"))
    if mode == "module":
        (folder / "package.json").write_text('{"type": "module"}\n')
        for name in _imported(path.parent, text, exclude=path.name):
            shutil.copyfile(path.parent / name, folder / name)
        layout = "module"
        test_file = folder / path.name
    elif fixtures:
        (folder / "package.json").write_text('{"type": "module"}\n')
        for fixture in fixtures:
            shutil.copyfile(fixture, folder / fixture.name)
        layout = "script+fixtures"
        test_file = folder / (path.stem + ".cjs")
    else:
        layout = "script"
        test_file = folder / path.name
    test_file.write_text(text, encoding="utf-8")
    return test_file, layout


class TestRunner:
    """Runs tests from one unpacked suite; one instance per worker process."""

    __test__ = False  # not a pytest class

    def __init__(self, root: Path, moves: bool = True, parsers: tuple[str, ...] | None = None,
                 plain_cache: bool = True, one_mode: bool = False) -> None:
        self.root = root
        self.harness = Harness(root)
        self.moves = moves
        if parsers is None:  # negative syntax tests must be rejected by every parser plugin
            from thingscore import plugins

            parsers = tuple(plugins.available("parser"))
        self.parsers = parsers
        self.plain_cache: PlainCache | None = PlainCache(root) if plain_cache else None
        self.one_mode = one_mode

    def run(self, rel: str) -> TestResult:
        started = time.monotonic()
        path = self.root / "test" / rel
        source = path.read_text(encoding="utf-8")
        meta = parse_meta(source)
        lacking = sorted(set(meta.features) & NODE20_LACKS)
        if lacking:
            modes = [ModeResult(m, BASELINE, f"node 20 lacks {', '.join(lacking)}", "node-lacks-feature")
                     for m in meta.modes()]
        elif "CanBlockIsFalse" in meta.flags:
            modes = [ModeResult(m, BASELINE, "CanBlockIsFalse: node's main thread can block", "host")
                     for m in meta.modes()]
        else:
            modes = [self._run_mode(rel, path, meta, mode, source) for mode in self.modes(rel, meta)]
        return TestResult(rel, combine(modes), modes, time.monotonic() - started)

    def modes(self, rel: str, meta: Meta) -> list[str]:
        """All the test's modes, or with ``one_mode`` one of them chosen by the test's path
        (half the work for a sample: across tests, both modes are covered)."""
        modes = meta.modes()
        return [pick_mode(rel, modes)] if self.one_mode else modes

    def _run_mode(self, rel: str, path: Path, meta: Meta, mode: str, source: str) -> ModeResult:
        text = program_text(self.harness, meta, mode, source)
        with tempfile.TemporaryDirectory(prefix="things-t262-") as tmp:
            work = Path(tmp)
            plain_dir = work / "plain"
            test_file, layout = lay_out(path, mode, text, plain_dir)
            ok, why = self._plain(meta, mode, test_file, plain_dir, text, layout)
            if not ok:
                return ModeResult(mode, BASELINE, f"plain node: {why}", "node-fails")
            if meta.negative_phase == "parse":
                return self._parsers_reject(text, mode)
            return self._instrumented(meta, mode, test_file, work, layout)

    def _plain(self, meta: Meta, mode: str, test_file: Path, cwd: Path, text: str, layout: str,
               ) -> tuple[bool, str]:
        """The plain run's verdict, from the cache when node and the text are the same."""
        key = self.plain_cache.key(f"{mode}/{layout}", text, meta.is_async) if self.plain_cache else ""
        if self.plain_cache is not None and (hit := self.plain_cache.get(key)) is not None:
            return hit
        ok, why = expectation_met(meta, run_node(test_file, cwd))
        if self.plain_cache is not None and not why.startswith("timed out"):
            self.plain_cache.put(key, ok, why)
        return ok, why

    def _parsers_reject(self, text: str, mode: str) -> ModeResult:
        source_type = "module" if mode == "module" else "script"
        accepted = []
        for name in self.parsers:
            try:
                _parser(name).parse(text, source_type)
            except JSSyntaxError:
                continue
            except RecursionError:
                continue
            accepted.append(name)
        if accepted:
            return ModeResult(mode, FAIL, f"{' and '.join(accepted)} accept(s) this invalid {source_type}",
                              f"parser-accepts-invalid:{'+'.join(accepted)}")
        return ModeResult(mode, PASS)

    def _instrumented(self, meta: Meta, mode: str, test_file: Path, work: Path, layout: str) -> ModeResult:
        from thingscore.instrument.bundle import instrument

        try:
            program = instrument(test_file, cache=False)
            text = program.render()
        except JSSyntaxError as exc:
            msg = _one_line(str(exc))
            kind = type(exc).__name__
            if (meta.negative_phase == "resolution" and meta.negative_type == "SyntaxError"
                    and kind not in ("InstrumentError", "MachineError")):
                # refused before any of it runs, as Node refuses it at link time
                return ModeResult(mode, PASS)
            if any(a in msg for a in ALLOWED_REFUSALS):
                return ModeResult(mode, REFUSED, msg, "refused-allowed")
            category = {"InstrumentError": "instrument-refuses", "MachineError": "machine-unsupported"}.get(
                kind, "instrument-syntax-error")
            return ModeResult(mode, FAIL, f"{kind}: {msg}", category)
        except Exception as exc:  # noqa: BLE001 - an instrumenter crash is a finding, not a runner crash
            return ModeResult(mode, FAIL, f"instrumenter crashed: {type(exc).__name__}: {_one_line(str(exc))}",
                              f"instrument-crash:{type(exc).__name__}")
        inst_dir = work / "inst"
        inst_dir.mkdir()
        program_file = inst_dir / "program.js"
        program_file.write_text(text, encoding="utf-8")
        if meta.is_async and self.moves:
            run = run_moving(program_file, test_file.parent)
            ok, why = expectation_met(meta, run)
            if ok:
                return ModeResult(mode, PASS, moves=run.moves)
            still = run_node(program_file, test_file.parent, INSTRUMENTED_TIMEOUT_S)
            ok_still, why_still = expectation_met(meta, still)
            if ok_still:
                note = f" [{run.note}]" if run.note else ""
                return ModeResult(mode, FAIL, f"moved at every callback: {why}{note}", "fails-when-moved",
                                  moves=run.moves)
            why = why_still
        else:
            run = run_node(program_file, test_file.parent, INSTRUMENTED_TIMEOUT_S)
            ok, why = expectation_met(meta, run)
            if ok:
                return ModeResult(mode, PASS)
        return ModeResult(mode, FAIL, f"instrumented: {why}", "instrumented-run-fails")


_TMP = re.compile(r"\S*/things-t262-[^/\s]+/(?:plain|inst)/")


def _one_line(s: str) -> str:
    """One line, without the temporary folder's name (reasons compare across runs)."""
    return " ".join(_TMP.sub("", s).split())[:300]


def dump(results: list[TestResult]) -> str:
    return json.dumps([r.as_dict() for r in results], indent=1)
