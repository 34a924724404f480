"""A Prometheus exporter, built only on the lifecycle hooks (``thingscore.hookspecs``).

Enabled in a worker or a scheduler by ``--metrics-port [HOST:]PORT`` or the environment
variable ``THINGS_METRICS_PORT`` (HOST defaults to 127.0.0.1; ``0.0.0.0:9100`` lets a
Prometheus on another machine scrape it). It then serves ``http://HOST:PORT/metrics``; without
it, every hook returns at once and ``prometheus_client`` is not even imported.

What a worker exports (labels in braces):

- ``things_worker_info{worker,runtime}``: 1 while the worker runs;
- ``things_worker_cpu_seconds{worker}``, ``things_worker_resident_memory_bytes{worker}``: the
  worker process itself, at each heartbeat;
- ``things_processes{worker,state}``: its programs by state (running, paused, migrating...);
- ``things_process_cpu_seconds{worker,process,name}``, ``things_process_resident_memory_bytes{...}``:
  each running program (CPU time counts per runtime process: it starts again after a move);
- ``things_processes_started_total{worker,restored}``, ``things_processes_exited_total{worker,state}``;
- ``things_snapshot_size_bytes{worker}`` and ``things_snapshot_duration_seconds{worker}`` (histograms);
- ``things_migrations_total{source,target}`` and ``things_migration_downtime_seconds`` (a
  histogram: from the pause on the source to the target's confirmation).

A scheduler exports ``things_fleet_workers`` (workers it hears) and ``things_workers_lost_total``.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from thingscore.hookspecs import hookimpl

ENV = "THINGS_METRICS_PORT"
DEFAULT_HOST = "127.0.0.1"
DOWNTIME_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
SNAPSHOT_BYTES_BUCKETS = (1e3, 1e4, 1e5, 1e6, 1e7, 1e8)
SNAPSHOT_SECONDS_BUCKETS = (0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0)

log = logging.getLogger("things.hooks.prometheus")


def parse_address(value: str) -> tuple[str, int]:
    """``9100`` -> (127.0.0.1, 9100); ``0.0.0.0:9100`` -> (0.0.0.0, 9100). ValueError when not so."""
    host, _, port = value.strip().rpartition(":")
    number = int(port)
    if not 0 < number < 65536:
        raise ValueError(f"{value!r}: a port is 1..65535")
    return host.strip("[]") or DEFAULT_HOST, number


class _Metrics:
    """The metrics of one process, in a registry of their own (nothing else of the process leaks)."""

    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        r = self.registry = CollectorRegistry()
        self.worker_info = Gauge("things_worker_info", "1 while the worker runs", ["worker", "runtime"], registry=r)
        self.worker_cpu = Gauge("things_worker_cpu_seconds", "CPU time of the worker process", ["worker"], registry=r)
        self.worker_rss = Gauge("things_worker_resident_memory_bytes", "resident memory of the worker process",
                                ["worker"], registry=r)
        self.processes = Gauge("things_processes", "programs on the worker by state", ["worker", "state"], registry=r)
        self.process_cpu = Gauge("things_process_cpu_seconds", "CPU time of a running program's runtime process",
                                 ["worker", "process", "name"], registry=r)
        self.process_rss = Gauge("things_process_resident_memory_bytes", "resident memory of a running program",
                                 ["worker", "process", "name"], registry=r)
        self.started = Counter("things_processes_started", "programs started (restored: from a snapshot)",
                               ["worker", "restored"], registry=r)
        self.exited = Counter("things_processes_exited", "programs that ended, by final state",
                              ["worker", "state"], registry=r)
        self.snapshot_bytes = Histogram("things_snapshot_size_bytes", "size of snapshots taken", ["worker"],
                                        buckets=SNAPSHOT_BYTES_BUCKETS, registry=r)
        self.snapshot_seconds = Histogram("things_snapshot_duration_seconds", "time to take a snapshot", ["worker"],
                                          buckets=SNAPSHOT_SECONDS_BUCKETS, registry=r)
        self.migrations = Counter("things_migrations", "live migrations done", ["source", "target"], registry=r)
        self.downtime = Histogram("things_migration_downtime_seconds", "a migrated program's downtime",
                                  buckets=DOWNTIME_BUCKETS, registry=r)
        self.fleet_workers = Gauge("things_fleet_workers", "workers the scheduler hears", registry=r)
        self.workers_lost = Counter("things_workers_lost", "workers declared lost by the scheduler", registry=r)


class PrometheusExporter:
    """The hook implementations; one instance per process (the entry point ``exporter``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._metrics: _Metrics | None = None
        self._server: Any = None
        self.address: tuple[str, int] | None = None
        self._per_worker: dict[str, dict[str, set[tuple[str, ...]]]] = {}  # worker -> metric -> label sets
        self._fleet: set[str] = set()

    # -- enabling ---------------------------------------------------------------------------

    def _enable(self) -> _Metrics | None:
        """The metrics, serving on the configured address from the first call on; None when disabled."""
        with self._lock:
            if self._metrics is not None or self.address is not None:
                return self._metrics
            setting = os.environ.get(ENV, "").strip()
            if not setting:
                return None
            try:
                self.address = parse_address(setting)
            except ValueError as exc:
                log.warning("metrics disabled: %s=%s is not [HOST:]PORT (%s)", ENV, setting, exc)
                self.address = ("", 0)
                return None
            from prometheus_client import start_http_server

            metrics = _Metrics()
            try:
                self._server, _ = start_http_server(self.address[1], addr=self.address[0], registry=metrics.registry)
            except OSError as exc:
                log.warning("metrics disabled: cannot serve on %s:%d: %s", *self.address, exc)
                return None
            log.info("metrics on http://%s:%d/metrics", *self.address)
            self._metrics = metrics
            return metrics

    def _active(self) -> _Metrics | None:
        return self._metrics

    # -- worker hooks -----------------------------------------------------------------------

    @hookimpl
    def things_worker_started(self, worker_id: str, runtime: str) -> None:
        m = self._enable()
        if m is not None:
            m.worker_info.labels(worker_id, runtime).set(1)

    @hookimpl
    def things_worker_heartbeat(self, worker_id: str, status: dict[str, Any]) -> None:
        m = self._active()
        if m is None:
            return
        usage = status.get("usage") or {}
        m.worker_cpu.labels(worker_id).set(float(usage.get("cpu_seconds") or 0.0))
        m.worker_rss.labels(worker_id).set(float(usage.get("rss_bytes") or 0.0))
        by_state: dict[str, int] = {}
        now: dict[str, set[tuple[str, ...]]] = {"processes": set(), "process": set()}
        for p in status.get("processes") or []:
            state = str(p.get("state"))
            by_state[state] = by_state.get(state, 0) + 1
            if "rss_bytes" in p or "cpu_seconds" in p:
                labels = (worker_id, str(p.get("id")), str(p.get("name")))
                m.process_cpu.labels(*labels).set(float(p.get("cpu_seconds") or 0.0))
                m.process_rss.labels(*labels).set(float(p.get("rss_bytes") or 0.0))
                now["process"].add(labels)
        for state, n in by_state.items():
            m.processes.labels(worker_id, state).set(n)
            now["processes"].add((worker_id, state))
        before = self._per_worker.get(worker_id, {})
        for labels in before.get("process", set()) - now["process"]:  # programs gone: their series go too
            m.process_cpu.remove(*labels)
            m.process_rss.remove(*labels)
        for labels in before.get("processes", set()) - now["processes"]:
            m.processes.labels(*labels).set(0)
            now["processes"].add(labels)
        self._per_worker[worker_id] = now

    @hookimpl
    def things_process_started(self, worker_id: str, restored: bool) -> None:
        m = self._active()
        if m is not None:
            m.started.labels(worker_id, "true" if restored else "false").inc()

    @hookimpl
    def things_process_exited(self, worker_id: str, state: str) -> None:
        m = self._active()
        if m is not None:
            m.exited.labels(worker_id, state).inc()

    @hookimpl
    def things_snapshot_taken(self, worker_id: str, size_bytes: int, ms: float) -> None:
        m = self._active()
        if m is not None:
            m.snapshot_bytes.labels(worker_id).observe(size_bytes)
            m.snapshot_seconds.labels(worker_id).observe(ms / 1000)

    @hookimpl
    def things_migration_done(self, source: str, target: str, downtime_ms: float) -> None:
        m = self._active()
        if m is not None:
            m.migrations.labels(source, target).inc()
            m.downtime.observe(downtime_ms / 1000)

    # -- scheduler hooks --------------------------------------------------------------------

    @hookimpl
    def things_scheduler_started(self) -> None:
        m = self._enable()
        if m is not None:
            m.fleet_workers.set(len(self._fleet))

    @hookimpl
    def things_worker_joined(self, worker_id: str) -> None:
        self._fleet.add(worker_id)
        m = self._active()
        if m is not None:
            m.fleet_workers.set(len(self._fleet))

    @hookimpl
    def things_worker_lost(self, worker_id: str) -> None:
        self._fleet.discard(worker_id)
        m = self._active()
        if m is not None:
            m.fleet_workers.set(len(self._fleet))
            m.workers_lost.inc()


exporter = PrometheusExporter()
