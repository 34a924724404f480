"""ES modules as a user runs them: a `"type": "module"` app with an ESM-only package from
node_modules (conditional exports, subpath patterns, `#imports`), moved between processes
and between workers on every runtime, and Node's link-time refusals as clear errors.
The feature programs of the corpus (tests/corpus/features/esm_*.mjs) cover the semantics."""

from __future__ import annotations

import json
import threading
import time
import uuid
from pathlib import Path

import pytest

from thingscore import plugins
from thingscore.control import protocol
from thingscore.control.dispatcher import Dispatcher
from thingscore.control.worker import Worker


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


APP = {
    "server/package.json": json.dumps({"name": "app", "type": "module",
                                       "imports": {"#store/*": "./store/*.js"}}),
    "server/index.js": """
import { Clock, tick as doTick } from 'clockwork';
import fmt from 'clockwork/format';
import { makeStore } from '#store/memory';
import legacy from 'clockwork/legacy';
const store = makeStore();
const clock = new Clock('c1');
console.log(typeof require, legacy.kind);
let n = 0;
const t = setInterval(() => {
  n++;
  doTick(clock);
  store.put(n, clock.now);
  console.log(fmt(clock), store.size(), store.sum());
  if (n === 8) clearInterval(t);
}, 5);
""",
    "server/store/memory.js": """
export function makeStore() {
  const m = new Map();
  return { put: (k, v) => m.set(k, v), size: () => m.size, sum: () => [...m.values()].reduce((a, b) => a + b, 0) };
}
""",
    "server/node_modules/clockwork/package.json": json.dumps({
        "name": "clockwork", "type": "module",
        "exports": {
            ".": {"require": "./dist/index.cjs", "import": "./dist/index.js"},
            "./format": "./dist/format.js",
            "./*": {"node": {"import": "./dist/extra/*.js"}, "default": "./nothing.js"},
        }}),
    "server/node_modules/clockwork/dist/index.js": """
export let ticks = 0;
export class Clock { constructor(name) { this.name = name; this.now = 0; } }
export function tick(c) { ticks++; c.now += ticks; }
""",
    "server/node_modules/clockwork/dist/index.cjs": "throw new Error('the require condition was chosen');\n",
    "server/node_modules/clockwork/dist/format.js": """
import { ticks } from 'clockwork';
export default (c) => `${c.name}@${c.now} after ${ticks} ticks`;
""",
    "server/node_modules/clockwork/dist/extra/legacy.js": "export default { kind: 'pattern export' };\n",
}


@pytest.fixture
def app(tmp_path: Path) -> Path:
    _write(tmp_path, APP)
    return tmp_path / "server" / "index.js"


@pytest.mark.parametrize("runtimes", ["node", "node,quickjs", "node,v8"])
def test_type_module_app_with_esm_only_package_moves(things, node, app: Path, runtimes: str) -> None:
    expected = node(str(app), cwd=app.parent)
    assert expected.returncode == 0, expected.stderr
    r = things("exec", str(app), "--hops", "5", "--every", "3", "--runtimes", runtimes, cwd=app.parent)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout == expected.stdout


def test_instrumented_esm_runs_under_plain_node(things, node, app: Path, tmp_path: Path) -> None:
    out = tmp_path / "app.inst.js"
    assert things("instrument", str(app), "-o", str(out)).returncode == 0
    assert node(str(out)).stdout == node(str(app), cwd=app.parent).stdout


@pytest.mark.parametrize(("files", "message", "where"), [
    ({"a.mjs": "import { x } from './missing.mjs';\n"}, "Cannot find module './missing.mjs'", "a.mjs:1:19"),
    ({"a.mjs": "\nimport d from './d.json';\n", "d.json": "{}"}, "ERR_IMPORT_ATTRIBUTE_MISSING", "a.mjs:2:15"),
    ({"a.mjs": "import d from './b.mjs' with { type: 'json' };\n", "b.mjs": ""},
     "ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE", "a.mjs:1:15"),
    ({"a.mjs": "export const x = 1;\nexport const x = 2;\n"}, "", "a.mjs:2:"),
    ({"a.mjs": "let $T$i0 = 1;\n"}, "reserved by the instrumenter", "a.mjs:1:5"),
    ({"a.mjs": "import './b.mjs';\n", "b.mjs": "with (a) {}\n"}, "", "b.mjs:1:"),
    ({"a.mjs": "import { q } from './b.mjs';\n", "b.mjs": "export const z = 1;\n"},
     "does not provide an export named 'q'", "a.mjs:1:10"),
    ({"a.mjs": "import { y } from './b.mjs';\n", "b.mjs": "export * from './c.mjs';\nexport * from './d.mjs';\n",
      "c.mjs": "export const y = 1;\n", "d.mjs": "export const y = 2;\n"},
     "conflicting star exports for name 'y'", "a.mjs:1:10"),
    ({"a.mjs": "export { v } from './b.mjs';\n", "b.mjs": "export default 1;\n"},
     "does not provide an export named 'v'", "a.mjs:1:10"),
    ({"a.mjs": "import { name } from './d.json' with { type: 'json' };\n", "d.json": '{"name": 1}'},
     "does not provide an export named 'name'", "a.mjs:1:10"),
])
def test_link_errors_name_file_line_col(things, tmp_path: Path, files: dict[str, str], message: str,
                                        where: str) -> None:
    _write(tmp_path, files)
    r = things("exec", str(tmp_path / "a.mjs"))
    err = r.stderr.decode()
    assert r.returncode == 1 and r.stdout == b""
    assert where in err and message in err, err
    assert "Traceback" not in err


def test_es_module_moves_between_workers(tmp_path: Path, app: Path) -> None:
    """`things dispatch run pi-1 app.mjs`, then migrations node -> quickjs -> v8 -> node workers."""
    bus = f"local://{uuid.uuid4().hex}"
    fs = plugins.load("fs", "local", url=str(tmp_path / "fs"))

    def pubsub(cid: str):
        ps = plugins.load("pubsub", "local", url=bus, client_id=cid)
        ps.connect()
        return ps

    prog = tmp_path / "loop.mjs"
    prog.write_text("""
import { setTimeout as sleep } from 'node:timers/promises';
import * as lib from './lib.mjs';
for (let i = 1; i <= 150; i++) {
  await sleep(30);
  lib.add(i);
  console.log(i, lib.total, lib.history.length);
}
""")
    (tmp_path / "lib.mjs").write_text("export let total = 0; export const history = [];\n"
                                      "export function add(n) { total += n; history.push(n); }\n")
    runtimes = {"N1": "node", "Q": "quickjs", "V": "v8", "N2": "node"}
    workers = {w: Worker(w, pubsub(w), fs, runtime=rt, heartbeat=0.2, migrate_timeout=30)
               for w, rt in runtimes.items()}
    for w in workers.values():
        w.start()
    d = Dispatcher(pubsub("dispatch"), fs, timeout=30, gather=0.4)
    try:
        chunks: list[bytes] = []
        done = threading.Event()
        pid = "esm-" + uuid.uuid4().hex[:6]
        ps = pubsub("collector")
        ps.subscribe(protocol.output_topic(pid, "stdout"), lambda m: chunks.append(m.payload))

        def on_event(m) -> None:
            body = json.loads(m.payload)
            if body.get("state") in ("exited", "failed") and not str(body.get("reason", "")).startswith("migrated"):
                done.set()

        ps.subscribe(protocol.event_topic(pid), on_event)
        from thingscore.control import store
        from thingscore.instrument.bundle import instrument
        built = instrument(prog)
        path = store.put_program(fs, built.hash, built.render())
        res = d.request("N1", "run", {"program": path, "hash": built.hash, "pid": pid, "args": [], "name": "loop"})
        assert res["status"] == "running"
        for target in ("Q", "V", "N2"):
            time.sleep(0.3)
            moved = d.migrate(pid, target)
            assert moved["worker"] == target, moved
        assert done.wait(60), "the program did not finish"
        total = 0
        expected = []
        for i in range(1, 151):
            total += i
            expected.append(f"{i} {total} {i}\n")
        assert b"".join(chunks).decode() == "".join(expected)
    finally:
        d.close()
        for w in workers.values():
            w.shutdown()
