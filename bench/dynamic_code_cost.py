"""What instrumenting code made at run time costs (thingscore/instrument/dynamic.py), on ajv.

    .venv/bin/python bench/dynamic_code_cost.py [--schemas N] [--runs R]

ajv compiles each schema to a validator with ``new Function``; under things each distinct text
is instrumented by the host when it is made (an rpc round trip, a Python parse and transform,
cached by content hash in memory and on disk) and again at each restore. Measured:

* the host alone: CPU time of ``instrument_unit`` over the texts ajv makes (recorded by running
  the program under plain node with a recording Function), and its throughput;
* in the program: ajv's compile time under plain node, and under ``things exec`` with the disk
  cache cold (first run on a machine) and warm (median of R runs);
* per move: restore time and snapshot size (``things exec --every 1 --hops 3 --report``).

Needs tests/node_modules (``make node-deps``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from thingscore.instrument import dynamic  # noqa: E402

THINGS = [str(Path(sys.executable).parent / "things")]

PROGRAM = r"""
const Ajv = require('ajv');
const N = Number(process.argv[2] || 50);
const ajv = new Ajv({ allErrors: true });
const t0 = performance.now();
const validators = [];
for (let i = 0; i < N; i++) {
  validators.push(ajv.compile({ type: 'object', properties: { id: { type: 'integer', minimum: i },
    name: { type: 'string', maxLength: 10 + i }, tags: { type: 'array', items: { type: 'string' } } },
    required: ['id', 'name'], additionalProperties: false }));
}
process.stderr.write('compile-ms ' + (performance.now() - t0).toFixed(2) + '\n');
let tick = 0;
const t = setInterval(() => {
  tick++;
  let ok = 0;
  for (const v of validators) if (v({ id: tick * 3, name: 'n' + tick, tags: ['a'] })) ok++;
  console.log(tick, ok);
  if (tick === 4) clearInterval(t);
}, 1);
"""

RECORD = r"""
const RF = Function; const texts = [];
const rec = (f) => { texts.push(RF.prototype.toString.call(f)); return f; };
globalThis.Function = new Proxy(RF, {
  construct: (t, a) => rec(Reflect.construct(RF, a)),
  apply: (t, th, a) => rec(Reflect.apply(RF, th, a)),
});
RF.prototype.constructor = globalThis.Function;
process.on('exit', () => require('fs').writeFileSync(process.env.TEXTS_OUT, JSON.stringify(texts)));
require('./prog.js');
"""


def compile_ms(stderr: str) -> float:
    m = re.search(r"compile-ms ([\d.]+)", stderr)
    if m is None:
        raise RuntimeError(stderr[-2000:])
    return float(m.group(1))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schemas", type=int, default=50)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    n = str(args.schemas)
    with tempfile.TemporaryDirectory(prefix="things-dyn-bench-") as tmp:
        work = Path(tmp)
        (work / "node_modules").symlink_to(ROOT / "tests" / "node_modules")
        (work / "prog.js").write_text(PROGRAM)
        (work / "record.js").write_text(RECORD)
        env = {**os.environ, "THINGS_CACHE_DIR": str(work / "cache"), "TEXTS_OUT": str(work / "texts.json")}
        env.pop("THINGS_VERIFY_OUTPUT", None)

        subprocess.run(["node", "record.js", n], cwd=work, env=env, check=True, capture_output=True)
        texts = json.loads((work / "texts.json").read_text())
        exprs = ["function (" + t[len("function anonymous("):] for t in texts]
        chars = sum(map(len, exprs))
        dynamic.instrument_unit("function () {}", 1, 1)  # the parser plugin loaded
        cpu = []
        for _ in range(max(1, args.runs // 2)):
            start = time.process_time()
            for e in exprs:
                dynamic.instrument_unit(e, 1000, 1000)
            cpu.append(time.process_time() - start)
        host = statistics.median(cpu)
        print(f"host: {len(exprs)} texts, {chars} chars: {host * 1000:.0f} ms CPU, "
              f"{host * 1000 / len(exprs):.1f} ms a text, {chars / host / 1024:.0f} KB/s")

        def run(*argv: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True, check=True)

        node = statistics.median(compile_ms(run("node", "prog.js", n).stderr) for _ in range(args.runs))
        cold = compile_ms(run(*THINGS, "exec", "prog.js", "--hops", "0", "--", n).stderr)
        warm = statistics.median(compile_ms(run(*THINGS, "exec", "prog.js", "--hops", "0", "--", n).stderr)
                                 for _ in range(args.runs))
        per = len(exprs)
        print(f"ajv compiling {n} schemas: node {node:.0f} ms; things exec, disk cache cold {cold:.0f} ms, "
              f"warm {warm:.0f} ms (+{(warm - node) / per:.1f} ms a text over node)")
        run(*THINGS, "exec", "prog.js", "--every", "1", "--hops", "3", "--report", str(work / "r.json"), "--", n)
        hops = json.loads((work / "r.json").read_text())["hops"]
        print("per move: restore " + ", ".join(f"{h['restore_ms']:.0f}" for h in hops) + " ms; snapshot "
              + ", ".join(f"{h['snapshot_bytes'] // 1024}" for h in hops) + " KB")


if __name__ == "__main__":
    main()
