"""The process that runs one program on QuickJS-ng (the ``quickjs`` runtime plugin's child).

``python quickjs_host.py PROGRAM [ARGS...]``. One program, one engine context, one OS
process: a program stuck in a loop is ended by killing the process, and its memory is the
process's. The environment carries what the node runtime's does (THINGS_CONTROL_FD,
THINGS_COMMAND_FD, THINGS_RPC_FDS, THINGS_RESTORE, ...), plus the limits:

* ``THINGS_QJS_MEMORY_MB``: the engine's heap limit (an allocation beyond it is a clean
  "out of memory" error, exit code 1);
* ``THINGS_QJS_CPU_SECONDS``: total CPU time the program's process may use (exit code 1
  when spent);
* ``THINGS_QJS_STACK_KB``: the engine's stack limit (deep recursion is a RangeError-like
  InternalError, as node's RangeError).

The event loop is jsruntime's (timers.js) over jsruntime/host_quickjs.js; the pumping, the
control commands (on their own pipe, never the program's stdout/stderr) and the limits are
embedded_host.py's, shared with the v8 host. This file only enters QuickJS: one callback at a
time, then process.nextTick and the engine's promise jobs.
"""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import _quickjs

if __package__:
    from things_plugins.runtimes import embedded_host as common
else:  # run by path (the plugin does): this file's folder is on sys.path
    import embedded_host as common  # type: ignore[no-redef]


def engine_version() -> str:
    try:
        return metadata.version("quickjs-ng")
    except metadata.PackageNotFoundError:
        return "unknown"


class Host(common.EmbeddedHost):
    """One program on one QuickJS context."""

    engine = "quickjs"
    env_prefix = "THINGS_QJS"

    def __init__(self, program: Path, args: list[str]) -> None:
        super().__init__(program, args)
        stack_kb = int(self.env.get("THINGS_QJS_STACK_KB", "0") or 0) or 4096
        self.ctx = _quickjs.Context()
        if self.memory_mb > 0:
            self.ctx.set_memory_limit(int(self.memory_mb * 1024 * 1024))
        self.ctx.set_max_stack_size(stack_kb * 1024)

    def engine_memory(self) -> dict[str, Any]:
        return dict(self.ctx.memory())

    def boot(self) -> None:
        root = common.jsruntime_dir()
        py = self.callables()
        names = []
        for key, fn in py.items():
            self.ctx.add_callable(f"__qjs_{key}", fn)
            names.append(key)
        config = self.config(engine_version())
        py_obj = "{" + ", ".join(f"{k}: __qjs_{k}" for k in names) + "}"
        host_src = (root / "host_quickjs.js").read_text(encoding="utf-8")
        make = self.ctx.eval(host_src)  # the script's value: the host's factory
        boot = make(self.ctx.eval(f"({py_obj})"), self.ctx.parse_json(json.dumps(config)))
        self.ctx.eval("".join(f"delete globalThis.__qjs_{k};\n" for k in names))
        self.ctx.set("__qjs_boot", boot)
        get = self.ctx.eval
        self.run_main = get("__qjs_boot.runMain")
        self.step = get("__qjs_boot.step")
        self.ticks = get("__qjs_boot.ticks")
        self.has_ticks = get("__qjs_boot.hasTicks")
        self.command = get("__qjs_boot.command")
        self.exit = get("__qjs_boot.exit")
        self.ctx.eval("delete globalThis.__qjs_boot;")

    def start_main(self, text: str) -> None:
        # Node's CommonJS wrapper, on the first line so that line numbers stay the file's.
        main = self.ctx.eval("(function (exports, require, module, __filename, __dirname) {" + text + "\n})")
        self._call(self.run_main, main)

    def pump(self) -> float | None:
        wait = self._call(self.step)
        if wait == 0:
            self.drain()
        return wait

    def drain(self) -> None:
        ctx = self.ctx
        while True:
            self._call(self.ticks)
            while self._call(ctx.execute_pending_job):
                pass
            if not self._call(self.has_ticks):
                return

    def deliver(self, line: str) -> None:
        self._call(self.command, line)
        self.drain()

    def finish(self) -> None:
        self._call(self.exit)

    def _call(self, fn: Any, *args: Any) -> Any:
        """Call into the engine; an error the engine itself raises ends the program clearly."""
        try:
            return fn(*args)
        except _quickjs.JSException as exc:
            message = str(exc)
            if "out of memory" in message or message == "null":
                self._fatal("oom")
            self._fatal(f"things: quickjs: {message}\n")
        return None


def main(argv: list[str] | None = None) -> int:
    return common.main(Host, argv)


if __name__ == "__main__":
    sys.exit(main())
