"""The process that runs one program on V8 (the ``v8`` runtime plugin's child), through the
``mini-racer`` package (an embedded V8 isolate).

``python v8_host.py PROGRAM [ARGS...]``. One program, one isolate, one OS process, exactly as
the quickjs host: the same JavaScript (jsruntime/host_quickjs.js over jsruntime/host_v8_engine.js and host_v8.js),
the same pumping, control channel and limits (embedded_host.py). Limits from the environment:

* ``THINGS_V8_MEMORY_MB``: mini-racer's hard memory limit on the isolate's heap (V8 stops the
  program: a clear "out of memory" message, exit code 1), with the process's resident memory
  watched too, above the limit plus :data:`V8_OWN_MB` (ArrayBuffers live outside the heap);
* ``THINGS_V8_CPU_SECONDS``: total CPU time of the process (exit code 1 when spent).

mini-racer's own ``setTimeout`` is not used (it misfires for a delay of 0): the timers are
jsruntime's, armed by host_quickjs.js and pumped from here. JavaScript calls Python
synchronously through shared memory (see host_v8.js); for that this file makes its context
with its own callback (mini-racer's public API only offers asynchronous functions), which ties
it to mini-racer's 0.14 internals: the dependency is pinned to that series.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
import time
from importlib import metadata
from itertools import count
from pathlib import Path
from typing import Any

from py_mini_racer import JSEvalException, JSOOMException, JSParseException
from py_mini_racer._context import Context, ContextType
from py_mini_racer._dll import init_mini_racer, mr_callback_func
from py_mini_racer._objects import ObjectFactoryImpl

if __package__:
    from things_plugins.runtimes import embedded_host as common
else:  # run by path (the plugin does): this file's folder is on sys.path
    import embedded_host as common  # type: ignore[no-redef]

#: Resident memory of this process beyond the program's heap (Python, V8's code and young
#: generation): only above the memory limit plus this is a program stopped by the watcher.
V8_OWN_MB = 64
#: The calls host_v8.js makes, by number (their order is the protocol).
OPS = ("write", "writeJson", "send", "rpc", "readFile", "writeFile", "source", "memory", "hold", "terminate",
       "fatal", "cwd", "now", "more", "randomBytes")
CALL_ID = 1 << 40  # mini-racer's callback id of the synchronous channel (its own are small)
HEAD = 32
HEAP_STATS_EVERY_S = 0.5


def engine_version() -> str:
    try:
        racer = metadata.version("mini-racer")
    except metadata.PackageNotFoundError:
        racer = "unknown"
    dll = init_mini_racer(ignore_duplicate_init=True)
    return f"{dll.mr_v8_version().decode()} (mini-racer {racer})"


class _Context(Context):
    """mini-racer's context, driven from this thread only: the calls block until V8 answers,
    with no asyncio loop in between (nothing here is cancelable or asynchronous)."""

    def are_we_running_on_the_mini_racer_event_loop(self) -> bool:
        return True


class Host(common.EmbeddedHost):
    """One program on one V8 isolate."""

    engine = "v8"
    env_prefix = "THINGS_V8"

    def __init__(self, program: Path, args: list[str]) -> None:
        super().__init__(program, args)
        self.dll = init_mini_racer(ignore_duplicate_init=True)
        self.started = time.monotonic()
        self.pending_in = b""
        self.pending_out = b""
        self.heap: dict[str, Any] = {}
        self.heap_at = 0.0
        self.py = self.callables()
        self._callback = mr_callback_func(self._on_v8)  # kept: V8 holds only its address
        raw = self.dll.mr_init_context(self._callback)
        self.ctx = _Context(self.dll, ContextType(raw), asyncio.new_event_loop(), ObjectFactoryImpl(), count(1))
        if self.memory_mb > 0:
            self.ctx.set_hard_memory_limit(int(self.memory_mb * 1024 * 1024))

    def close(self) -> None:
        """Free the isolate (mini-racer's close()); the process may then end cleanly."""
        ctx, self.ctx = self.ctx, None  # type: ignore[assignment]
        if ctx is not None:
            self.dll.mr_free_context(ctx._ctx)

    # ---- JavaScript's calls, on V8's thread ----

    def _on_v8(self, callback_id: int, raw: Any) -> None:
        if callback_id != CALL_ID:
            self.ctx.handle_callback_from_v8(callback_id, raw)
            return
        self.dll.mr_free_value(self.ctx._ctx, raw)  # the (empty) argument list: not read
        try:
            self._answer()
        except Exception as exc:  # never into ctypes, which would only print it
            self.head[2], self.head[4] = 2, 0
            self._stderr(f"things: v8 host: {type(exc).__name__}: {exc}\n")

    def _answer(self) -> None:
        head = self.head
        op, n, flags, num = OPS[head[0]], head[1], head[2], head[3]
        if op == "now":
            self.clock[0] = (time.monotonic() - self.started) * 1000.0
            return
        if op == "more":
            self._reply_chunk()
            return
        self.pending_in += bytes(self.data[:2 * n])
        if flags & 1:
            head[2], head[4] = 0, 0
            return
        text = self.pending_in.decode("utf-16-le", "surrogatepass")
        self.pending_in = b""
        py = self.py
        if op in ("write", "writeJson", "terminate"):
            result = py[op](num, text) if op != "terminate" else py[op](num)
        elif op == "writeFile":
            path, _, body = text.partition("\0")
            result = py[op](path, body)
        elif op in ("memory", "hold", "cwd"):
            result = py[op]()
        else:
            result = py[op](text)
        if result is None:
            head[2], head[4] = 2, 0
            return
        self.pending_out = str(result).encode("utf-16-le", "surrogatepass")
        self._reply_chunk()

    def _reply_chunk(self) -> None:
        cap = len(self.data) & ~1
        chunk, self.pending_out = self.pending_out[:cap], self.pending_out[cap:]
        self.data[:len(chunk)] = chunk
        self.head[4] = len(chunk) // 2
        self.head[2] = 1 if self.pending_out else 0

    def engine_memory(self) -> dict[str, Any]:
        # Read between two calls into V8 (from V8's thread it would wait for itself).
        return {"malloc_size": self.heap.get("total_heap_size", 0),
                "memory_used_size": self.heap.get("used_heap_size", 0)}

    # ---- entering V8 ----

    def _call(self, fn: Any, *args: Any) -> Any:
        """Call into V8; an error V8 itself raises (the memory limit, a syntax error of the
        program's) ends the program clearly."""
        try:
            if not args:
                # one round trip (call_function would first build an argument array, element by element)
                return self.ctx._run_uncancelable_mr_task(self.dll.mr_call_function, fn.raw_handle.raw,
                                                          self.undefined.raw, self.no_args.raw)
            return self.ctx.call_function(fn, *args)
        except JSEvalException as exc:
            # Stopped at the memory limit, V8 reports an out-of-memory error, a termination, or
            # (as the error of the call it stopped) a bare "null": the limit names it.
            if isinstance(exc, JSOOMException) or self.ctx.was_hard_memory_limit_reached():
                self._fatal("oom")
            self._fatal(f"things: v8: {exc}\n")
        return None

    def boot(self) -> None:
        root = common.jsruntime_dir()
        ctx = self.ctx
        notify = ctx._value_handle_to_python(ctx._wrap_raw_handle(self.dll.mr_make_js_callback(ctx._ctx, CALL_ID)))
        setup = ctx.eval((root / "host_v8.js").read_text(encoding="utf-8"))
        api = ctx.call_function(setup, notify, ",".join(OPS))
        channel = api["channel"]  # type: ignore[index]
        self.head = channel[:24].cast("i")
        self.clock = channel[24:HEAD].cast("d")
        self.data = channel[HEAD:]
        make = ctx.eval((root / "host_quickjs.js").read_text(encoding="utf-8"))
        engine_start = ctx.eval((root / "host_v8_engine.js").read_text(encoding="utf-8"))
        boot = ctx.call_function(api["start"], make, json.dumps(self.config(engine_version())),  # type: ignore[index]
                                 engine_start)
        self.undefined = ctx._python_to_value_handle(ctx.eval("undefined"))
        self.no_args = ctx._python_to_value_handle(ctx.eval("[]"))
        self.fns = {name: boot[name] for name in ("runMain", "pump", "ticks", "command", "exit")}  # type: ignore[index]

    def start_main(self, text: str) -> None:
        # Node's CommonJS wrapper, on the first line so that line numbers stay the file's; the
        # sourceURL names the file in stacks, as node does.
        source = ("(function (exports, require, module, __filename, __dirname) {" + text + "\n})\n"
                  f"//# sourceURL={self.program}\n")
        try:
            main = self.ctx.eval(source)
        except JSParseException as exc:
            self._stderr(f"{exc}\nthings: syntax error (v8 runtime)\n")
            self._terminate(1)
        except JSEvalException as exc:
            self._fatal(f"things: v8: {exc}\n")
        self._call(self.fns["runMain"], main)

    def pump(self) -> float | None:
        now = time.monotonic()
        if now - self.heap_at >= HEAP_STATS_EVERY_S:
            self.heap_at = now
            try:
                self.heap = json.loads(self.ctx.heap_stats())
            except (JSEvalException, ValueError):
                pass
        wait = self._call(self.fns["pump"])
        return wait if isinstance(wait, (int, float)) else None

    def drain(self) -> None:
        while self._call(self.fns["ticks"]) is True:
            pass

    def deliver(self, line: str) -> None:
        self._call(self.fns["command"], line)
        self.drain()

    def finish(self) -> None:
        self._call(self.fns["exit"])

    def run(self) -> int:
        if self.memory_mb > 0:
            self._watch_rss()
        try:
            return super().run()
        finally:
            self.close()

    def _watch_rss(self) -> None:
        """What the isolate's heap limit does not count (ArrayBuffers, Buffers) still counts
        against the program: its process's resident memory is watched as node's is."""
        limit = (self.memory_mb + V8_OWN_MB) * 1024 * 1024

        def watch() -> None:
            while True:
                if common.rss() > limit:
                    self._fatal("oom")
                time.sleep(0.05)

        threading.Thread(target=watch, name="memory-limit", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    return common.main(Host, argv)


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)
