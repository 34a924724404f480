"""Lifecycle hook specifications (pluggy).

A plugin observes the kernel by implementing any of these with
``@thingscore.hookspecs.hookimpl`` in a module (or object) registered under the
``things.hooks`` entry-point group; the kernel calls ``hooks.hook.<name>(...)`` and never
knows who answers. Hooks run in the process where the event happens: the worker's hooks in
``things worker`` (each worker process loads the hook plugins), the scheduler's in
``things scheduler``. They are called with keyword arguments only; an implementation may
take any subset of them. A hook that raises is logged and ignored: an observer must never
break a worker. Hooks run on the kernel's threads: keep them short.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pluggy

PROJECT = "things"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

log = logging.getLogger("things.hooks")


# -- in a worker process ------------------------------------------------------------------

@hookspec
def things_worker_started(worker_id: str, runtime: str, labels: dict[str, str]) -> None:
    """A worker subscribed to its commands and is about to send its first heartbeat."""


@hookspec
def things_worker_heartbeat(worker_id: str, status: dict[str, Any]) -> None:
    """A worker is sending a heartbeat; ``status`` is its document: ``usage`` (the worker's own
    ``cpu_seconds``, ``rss_bytes``), ``processes`` (each as ``dispatch ps`` shows it, with
    ``cpu_seconds`` and ``rss_bytes`` while it runs), ``capacity``, ``draining``..."""


@hookspec
def things_process_started(worker_id: str, process_id: str, runtime: str, program_hash: str,
                           restored: bool) -> None:
    """A program's runtime process started on a worker: fresh (``run``) or from a snapshot
    (``restored``: a migration's target, or a failover from a checkpoint)."""


@hookspec
def things_snapshot_taken(worker_id: str, process_id: str, size_bytes: int, ms: float) -> None:
    """A program was snapshotted at an event-loop boundary (a checkpoint, a ``snapshot``
    command, or the first step of a migration); ``ms`` is the time the runtime took."""


@hookspec
def things_migration_done(process_id: str, source: str, target: str, downtime_ms: float,
                          snapshot_bytes: int) -> None:
    """A live migration finished: the program runs on ``target`` and its copy on ``source``
    is gone. Fired on the source worker; ``downtime_ms`` runs from the program's pause on
    the source to the target's confirmation that it runs."""


@hookspec
def things_process_exited(worker_id: str, process_id: str, exit_code: int | None, state: str,
                          reason: str) -> None:
    """A program ended on a worker and will not run there again: it finished (``state``
    "exited", reason "ended"), failed (an uncaught error, a limit), or was killed or fenced.
    Not fired for the copy a migration leaves behind (see ``things_migration_done``)."""


# -- in a scheduler process -----------------------------------------------------------------

@hookspec
def things_scheduler_started(policy: str, deadline: float) -> None:
    """A scheduler loaded its schedule and listens to the fleet."""


@hookspec
def things_worker_joined(worker_id: str, status: dict[str, Any]) -> None:
    """The scheduler heard a worker it did not know (new, or back after being lost)."""


@hookspec
def things_worker_lost(worker_id: str) -> None:
    """A worker stopped sending heartbeats for longer than the deadline and was declared
    lost; its programs are about to be restored elsewhere from their checkpoints."""


class _SafeRelay:
    """``hooks.hook.<name>(**kwargs)``: every implementation is called, each in isolation.

    Why not pluggy's own call: when one implementation raises, pluggy stops and the later ones
    never see the event, so one buggy observer would blind the others. Here each one's error
    is logged and the next is called. Our hooks are notifications (no result, no first-result
    rule), so wrapper implementations are not called.
    """

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self._pm = pm

    def __getattr__(self, name: str) -> Callable[..., None]:
        caller = getattr(self._pm.hook, name)

        def call(**kwargs: Any) -> None:
            for impl in reversed(caller.get_hookimpls()):  # pluggy's order: the last registered first
                if impl.hookwrapper or getattr(impl, "wrapper", False):
                    continue  # observers only: there is no result for a wrapper to wrap
                try:
                    impl.function(*[kwargs[arg] for arg in impl.argnames])
                except Exception:
                    log.exception("the %s hook of %s failed", name, impl.plugin_name)

        return call


class Hooks:
    """The hook plugins of this process, called as ``hooks.hook.things_...(**kwargs)``."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm
        self.hook = _SafeRelay(pm)


def plugin_manager() -> pluggy.PluginManager:
    """A plugin manager with our hookspecs and every ``things.hooks`` entry point loaded."""
    import sys

    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(sys.modules[__name__])
    from thingscore import plugins  # the entry points as every other plugin kind finds them (cached)

    for ep in plugins.hook_entry_points():
        if pm.get_plugin(ep.name) is not None:
            continue
        try:
            pm.register(ep.load(), name=ep.name)
        except Exception:  # a broken hook plugin must not stop a worker: the others run, and we say so
            log.exception("hook plugin %r (entry point things.hooks) could not be loaded: skipped", ep.name)
    return pm


def load_hooks() -> Hooks:
    """The hook plugins installed for this process (``things.hooks`` entry points)."""
    return Hooks(plugin_manager())
