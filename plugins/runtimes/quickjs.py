"""Runtime plugin ``quickjs``: the program on QuickJS-ng, embedded in a Python child process.

The engine is the ``quickjs-ng`` package (QuickJS-ng, ES2023+); each program gets its own
context in its own OS process (``quickjs_host.py``), so that a hung program is ended by
killing the process, and its memory and CPU are the process's. Control travels exactly as
with the node runtime: two pipes of their own (THINGS_CONTROL_FD / THINGS_COMMAND_FD) and
the synchronous request pipes (THINGS_RPC_FDS), never the program's stdout or stderr.

Limits (``StartRequest.limits``; else constructor arguments, or THINGS_QJS_MEMORY_MB /
THINGS_QJS_CPU_SECONDS in the environment of the process that runs the plugin): the memory
limit is the engine's own heap limit (every JS allocation, ArrayBuffers included), the CPU
limit a watcher of the host process's CPU time. Either ends the program with a clear message
on its stderr, exit code 1, and a ``limit`` control message that sets ``stop_reason``.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from things_plugins.runtimes.node import NodeProcess

from thingscore.runtime import Limits, StartRequest
from thingscore.runtime_protocol import base_env, program_env, spawn

# Run by path: it needs only the standard library and the engine, no package imports.
HOST_SCRIPT = Path(__file__).with_name("quickjs_host.py")


class EmbeddedRuntime:
    """A runtime whose programs run in a Python child process that embeds an engine (the
    host script): the quickjs runtime, and the v8 one built on it. A subclass names its
    host script, the prefix of its limits' environment variables and its engine's module."""

    name = "embedded"
    #: The Node built-in modules the host gives a program (jsruntime/host_quickjs.js, PROVIDED);
    #: the runtime conformance suite checks each can be loaded, and that others cannot.
    node_builtins: frozenset[str] | None = frozenset(
        {"events", "util", "util/types", "sys", "path", "path/posix", "buffer", "process", "console", "crypto",
         "diagnostics_channel", "querystring"})
    host_script: Path = HOST_SCRIPT
    env_prefix = "THINGS_QJS"
    engine_module = "_quickjs"

    def __init__(self, memory_mb: float | None = None, cpu_seconds: float | None = None,
                 python: str | None = None) -> None:
        self.memory_mb = memory_mb if memory_mb is not None else _env_float(f"{self.env_prefix}_MEMORY_MB")
        self.cpu_seconds = cpu_seconds if cpu_seconds is not None else _env_float(f"{self.env_prefix}_CPU_SECONDS")
        self.python = python or sys.executable

    def available(self) -> bool:
        return importlib.util.find_spec(self.engine_module) is not None

    def limits(self, request: StartRequest) -> Limits:
        """The request's limits, this plugin's own where the request sets none."""
        return (request.limits or Limits()).over(Limits(self.memory_mb, self.cpu_seconds))

    def _env(self, request: StartRequest) -> dict[str, str]:
        env = {**base_env(), **program_env(request)}
        limits = self.limits(request)
        for key, value in ((f"{self.env_prefix}_MEMORY_MB", limits.memory_mb),
                           (f"{self.env_prefix}_CPU_SECONDS", limits.cpu_seconds)):
            if value:
                env[key] = f"{value:g}"
            else:
                env.pop(key, None)
        return env

    def start(self, request: StartRequest) -> NodeProcess:
        sp = spawn([self.python, str(self.host_script), str(request.program), *request.args], self._env(request),
                   request.cwd, request.stdout, request.stderr)
        # The host counts its own limits (in the engine, and a CPU watcher): no watcher here.
        return NodeProcess(sp.popen, sp.control_fd, sp.command_fd, sp.rpc, limits=self.limits(request), watch=False)


class QuickjsRuntime(EmbeddedRuntime):
    """Programs on QuickJS-ng, one child process each."""

    name = "quickjs"
    #: The default runtime where node is missing: the engine ships in the package.
    default_priority = 50

    def __init__(self, memory_mb: float | None = None, cpu_seconds: float | None = None,
                 stack_kb: int | None = None, python: str | None = None) -> None:
        super().__init__(memory_mb, cpu_seconds, python)
        self.stack_kb = stack_kb

    def _env(self, request: StartRequest) -> dict[str, str]:
        env = super()._env(request)
        if self.stack_kb:
            env["THINGS_QJS_STACK_KB"] = str(self.stack_kb)
        return env


def _env_float(name: str) -> float | None:
    try:
        value = float(os.environ.get(name, "") or 0)
    except ValueError:
        return None
    return value or None
