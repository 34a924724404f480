"""ES-module forms of the CPU workloads, for ``bench/run.py overhead --esm``.

Each workload becomes an ``.mjs`` file: its ``require()`` calls become imports of the same
files (default import = ``module.exports``, as Node gives a CommonJS module to an ES module),
``__dirname`` a constant. The program is the same; what changes is that it runs as module
code (a strict module function, its imports through records), which is what the ESM target
compares. ``bench/workloads_esm/`` adds workloads written as modules, whose hot loops call
imported functions (live bindings read through the exporter's accessors).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from thingscore.instrument.resolve import is_builtin, resolve  # noqa: E402

REQUIRE = re.compile(r"^const (\{[^}]*\}|[\w$]+) = require\('([^']+)'\);$", re.M)


def esm_form(workload: Path, out_dir: Path) -> Path:
    """Write the ES-module form of ``workload`` into ``out_dir``; returns its path."""
    text = workload.read_text(encoding="utf-8")
    imports: list[str] = []

    def swap(m: re.Match[str]) -> str:
        binding, request = m.group(1), m.group(2)
        if is_builtin(request):
            spec = request
        else:
            target = resolve(request, workload)
            if target is None:
                raise ValueError(f"{workload.name}: cannot resolve {request}")
            spec = target.as_uri()
        var = f"$req{len(imports)}"
        imports.append(f"import {var} from {json.dumps(spec)};")
        return f"const {binding} = {var};"

    body = REQUIRE.sub(swap, text)
    if "require(" in body:
        raise ValueError(f"{workload.name}: a require() this converter does not handle")
    body = body.replace("'use strict';\n", "", 1)
    head = "".join(imports) + f"const __dirname = {json.dumps(str(workload.parent))};"
    out = out_dir / (workload.stem + ".mjs")
    out.write_text(head + body, encoding="utf-8")
    return out
