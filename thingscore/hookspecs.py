"""Lifecycle hook specifications (pluggy).

A plugin observes or extends the kernel by implementing any of these with
``@thingscore.hookspecs.hookimpl``; the kernel calls ``pm.hook.<name>(...)`` and never
knows who answers.
"""

from __future__ import annotations

from typing import Any

import pluggy

PROJECT = "things"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def things_process_started(process_id: str, runtime: str, program_hash: str) -> None:
    """A program began running in a runtime process (fresh or restored)."""


@hookspec
def things_snapshot_taken(process_id: str, snapshot: dict[str, Any], size_bytes: int, ms: float) -> None:
    """A snapshot of a program was taken at an event-loop boundary."""


@hookspec
def things_migration_done(process_id: str, source: str, target: str, downtime_ms: float) -> None:
    """A program resumed on ``target`` after being snapshotted on ``source``."""


@hookspec
def things_worker_lost(worker_id: str) -> None:
    """A worker stopped sending heartbeats and was declared lost."""


@hookspec
def things_process_exited(process_id: str, exit_code: int) -> None:
    """A program ended (normally or by an uncaught error)."""


def plugin_manager() -> pluggy.PluginManager:
    """A plugin manager with our hookspecs and every ``things.hooks`` entry point loaded."""
    import sys

    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(sys.modules[__name__])
    pm.load_setuptools_entrypoints("things.hooks")
    return pm
