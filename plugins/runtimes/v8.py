"""Runtime plugin ``v8``: the program on V8, embedded in a Python child process by the
``mini-racer`` package.

Everything but the engine is the quickjs runtime's: one program per OS process
(``v8_host.py``), the same JavaScript host (jsruntime/host_quickjs.js, over host_v8.js for
what a bare V8 lacks), control on its own pipes (THINGS_CONTROL_FD / THINGS_COMMAND_FD /
THINGS_RPC_FDS), never the program's stdout or stderr. What V8 brings over QuickJS: node's
own engine (Intl, error messages and stacks as node's, WebAssembly), and its speed.

Limits (``StartRequest.limits``; else constructor arguments, or THINGS_V8_MEMORY_MB /
THINGS_V8_CPU_SECONDS in the environment of the process that runs the plugin): the memory
limit is mini-racer's hard limit on the isolate's heap plus a watch on the host's resident
memory, the CPU limit a watcher of the host's CPU time. Either ends the program with a clear
message on its stderr, exit code 1, and a ``limit`` control message that sets ``stop_reason``.
"""

from __future__ import annotations

from pathlib import Path

from things_plugins.runtimes.quickjs import EmbeddedRuntime


class V8Runtime(EmbeddedRuntime):
    """Programs on V8 (mini-racer), one child process each."""

    name = "v8"
    # Run by path: it needs only the standard library, the engine and embedded_host.py.
    host_script = Path(__file__).with_name("v8_host.py")
    env_prefix = "THINGS_V8"
    engine_module = "py_mini_racer"
