"""Node's stream modules as shipped code (thingscore/instrument/substitutes.py): a program that
names them gets the vendored readable-stream bundled and instrumented with it; the corpus
programs (tests/corpus/features/streams_*.{js,mjs}, packages/csvparse_stream.js) check that
such streams move, on every engine."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from thingscore.instrument.bundle import instrument
from thingscore.instrument.substitutes import STREAM_MODULES, VENDOR_ID_PREFIX, substitute, vendor_dir

PROGRAM = """
const { Transform } = require('stream');
const { StringDecoder } = require('node:string_decoder');
const legacy = require('_stream_readable');
import('node:stream/promises').then((p) => console.log(typeof p.pipeline, typeof Transform, typeof legacy,
  typeof StringDecoder));
"""


def _write(tmp_path: Path, text: str, name: str = "app.js") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_stream_builtins_are_bundled_under_stable_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("THINGS_NATIVE_STREAMS", raising=False)
    prog = instrument(_write(tmp_path, PROGRAM), cache=False)
    builtins = prog.meta["builtins"]
    assert builtins["stream"] == VENDOR_ID_PREFIX + "readable-stream/lib/stream.js"
    assert builtins["stream/promises"] == VENDOR_ID_PREFIX + "readable-stream/lib/stream/promises.js"
    assert builtins["_stream_readable"] == VENDOR_ID_PREFIX + "readable-stream/lib/_stream_readable.js"
    assert builtins["string_decoder"] == VENDOR_ID_PREFIX + "string_decoder/lib/string_decoder.js"
    vendored = [mid for mid in prog.meta["modules"] if mid.startswith(VENDOR_ID_PREFIX)]
    # the copy's own packages come from the vendor folder, never from where Things is installed
    assert VENDOR_ID_PREFIX + "abort-controller/dist/abort-controller.js" in vendored
    assert VENDOR_ID_PREFIX + "event-target-shim/dist/event-target-shim.js" in vendored
    assert all(".." not in mid for mid in prog.meta["modules"])
    # the program's requests stay built-in requests: the runtime maps them (jsruntime/modules.js)
    assert prog.meta["modules"]["app.js"]["deps"]["stream"] is None


def test_native_streams_opt_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THINGS_NATIVE_STREAMS", "1")
    assert substitute("stream") is None
    prog = instrument(_write(tmp_path, PROGRAM), cache=False)
    assert "builtins" not in prog.meta
    assert list(prog.meta["modules"]) == ["app.js"]


def test_esm_import_of_node_stream(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("THINGS_NATIVE_STREAMS", raising=False)
    main = _write(tmp_path, "import { Readable } from 'node:stream';\nconsole.log(typeof Readable);\n", "app.mjs")
    prog = instrument(main, cache=False)
    assert prog.meta["modules"]["app.mjs"]["esm"]["requests"] == ["node:stream"]
    assert prog.meta["builtins"]["stream"] in prog.meta["modules"]


def test_program_runs_with_shipped_streams(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("THINGS_NATIVE_STREAMS", raising=False)
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    prog = instrument(_write(tmp_path, PROGRAM), cache=False)
    out = tmp_path / "out.js"
    out.write_text(prog.render(), encoding="utf-8")
    res = subprocess.run(["node", str(out)], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout == "function function function function\n"


@pytest.mark.parametrize("rel", sorted(set(STREAM_MODULES.values())))
def test_vendored_files_exist(rel: str) -> None:
    assert (vendor_dir() / rel).is_file()


@pytest.mark.parametrize("name", ["readable-stream", "string_decoder", "abort-controller", "event-target-shim"])
def test_vendored_packages_are_pristine_plus_patch(name: str) -> None:
    """Each vendored package keeps its license, and its patch (if any) is exactly what differs
    from the registry's files where it applies: reversing it leaves those files as published
    (``python jsruntime/vendor/regenerate.py --check`` compares the whole folder, with the
    network)."""
    folder = vendor_dir() / name
    assert (folder / "LICENSE").is_file()
    patch = vendor_dir() / f"{name}.patch"
    if not patch.is_file():
        return
    if shutil.which("patch") is None:
        pytest.skip("no patch(1)")
    res = subprocess.run(["patch", "-p1", "-R", "--dry-run", "-s", "-f", "-i", str(patch)], cwd=folder,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_shipped_modules_are_instrumented_once_for_every_program(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The first program that names `stream` leaves the shipped modules instrumented in the cache
    (instrument/vendor_cache.py); another program reuses them as they are, without parsing them,
    and gets exactly the text a fresh instrumentation gives. Their functions are numbered in
    ranges of their own, above the program's, so the text is the same in every program."""
    from thingscore import plugins
    from thingscore.instrument import verify
    from thingscore.instrument.graph import ModuleGraph
    from thingscore.instrument.vendor_cache import VENDOR_ID_BASE, VendorCache

    monkeypatch.delenv("THINGS_NATIVE_STREAMS", raising=False)
    monkeypatch.setenv("THINGS_CACHE_DIR", str(tmp_path / "cache"))
    first = instrument(_write(tmp_path, PROGRAM))
    assert len(list((tmp_path / "cache" / "vendor").glob("*.json"))) >= 20
    second = _write(tmp_path, "import { PassThrough } from 'node:stream';\n"
                    "function own() { return 1; }\nconsole.log(typeof PassThrough, own());\n", "other.mjs")
    parser_name = plugins.default_name("parser")
    parser = plugins.load("parser", parser_name)

    def graph(cache: VendorCache | None) -> ModuleGraph:
        g = ModuleGraph(second.resolve(), parser, cache)
        g.build()
        return g

    cached = graph(VendorCache(parser_name, verify.enabled()))
    fresh = graph(None)
    vendored = [p for p, m in cached.modules.items() if m.mid.startswith(VENDOR_ID_PREFIX)]
    assert len(vendored) >= 20
    for p in vendored:
        hit, made = cached.modules[p], fresh.modules[p]
        assert hit.cached and hit.program is None and not made.cached  # from the cache: not even parsed
        assert hit.result is not None and made.result is not None
        assert (hit.result.module_text, hit.result.recreator_text) == (made.result.module_text,
                                                                        made.result.recreator_text)
        assert hit.result.fns == made.result.fns and hit.result.scopes == made.result.scopes
        assert hit.deps == made.deps and hit.cjs_names == made.cjs_names
        assert all(fid >= VENDOR_ID_BASE for fid in hit.result.fns)
    own = cached.modules[second.resolve()].result
    assert own is not None and own.fns and all(fid < VENDOR_ID_BASE for fid in own.fns)
    # the whole first program, instrumented again from the module cache alone, is the same text
    again = instrument(tmp_path / "app.js", cache=False)
    assert again.tables == first.tables
