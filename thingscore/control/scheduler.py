"""``things scheduler``: places applications on the fleet, checkpoints them, fails them over.

The loop, every ``tick`` seconds:

1. workers silent for longer than the deadline are *lost*; each of their programs goes back
   to pending with its epoch raised by one (the fencing token) and will be restored from its
   latest checkpoint elsewhere;
2. pending programs are placed through the policy plugin (a pure function of the fleet
   view), the assignment is written to the schedule in the global FS *before* the worker is
   told, then the worker runs (or restores) the program at that epoch;
3. the policy's ``rebalance`` moves programs off draining workers and workers over their
   limits, by live migration (nothing is lost);
4. every running program is checkpointed (a snapshot in the global FS) at its interval;
   older checkpoints are pruned.

Every heartbeat is reconciled against the schedule as it arrives: a copy at an older epoch
(its worker was lost and came back) or of a stopped program is killed; a program that ended
is marked so; a program its worker no longer lists (the worker restarted) is restored from
its checkpoint. Commands (``app-run``, ``app-stop``, ``app-ls``, ``move``, ``stop``,
``drain``, ``status``) arrive on ``things/s/cmd`` and are answered like a worker's.

Several schedulers may run on one cluster (for redundancy): one leads, by a lease with a
fencing token in the global FS (:mod:`thingscore.control.lease`), and the others stand by,
listening to heartbeats (so that a successor knows the fleet at once) but sending nothing,
writing nothing and ignoring commands. The leader's token goes on every command it sends (a
worker refuses a token older than one it has seen) and on every schedule it writes (a
compare-and-swap: a deposed leader's write fails, and it stands down). When the leader dies,
a standby takes the lease once it has gone ``lease_ttl`` without renewal, loads the schedule
and carries on from it, as a restarted scheduler does.

Every scheduler, leader or standby, keeps the mail of the scheduled programs
(:mod:`thingscore.control.mailbox`): what is published to a program while it waits for
failover is journaled in the global FS, and a program restored from a checkpoint gets its
journal before its live messages.

With the cluster's keys, it takes requests only from dispatchers, signs what it sends, and
believes only heartbeats signed by a worker key (a forged heartbeat could otherwise keep a
lost worker "alive" or lure programs to a worker that does not exist).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from thingscore import plugins
from thingscore.fs import FileSystem, FSError
from thingscore.hookspecs import load_hooks
from thingscore.pubsub import Message, PubSub
from thingscore.runtime_protocol import needed_builtins
from thingscore.scheduling import Fleet, Program, Resources
from thingscore.security.envelope import Guard, Refused
from thingscore.security.keys import KeyRing
from thingscore.security.policy import SCHEDULER_COMMANDS as SCHEDULER_ROLES

from . import heartbeat_seal, mailbox, program_history, protocol
from . import schedule as sched
from .client import ControlClient, NoReply
from .fleet_view import FleetView, HeartbeatError, WorkerSeen, parse_heartbeat
from .inbox import CommandInbox
from .lease import Lease, LeaseUnsupported
from .protocol import Reply
from .schedule import ACTIVE, ENDED, FAILED, MIGRATING, PENDING, RUNNING, STARTING, STOPPED, TERMINAL, ProgramEntry

log = logging.getLogger("things.scheduler")

LIVE = ("running", "paused", "migrating")
MAIL_SWEEP_EVERY = 60.0  # seconds between two sweeps of the mail of programs gone


class SchedulerError(Exception):
    """A request the scheduler refuses; the message goes back to the sender."""


class Scheduler:
    def __init__(self, pubsub: PubSub, fs: FileSystem, *, policy: str | None = None,
                 checkpoint_every: float | None = None, deadline: float = 5.0, keep_checkpoints: int = 2,
                 tick: float = 0.25, grace: float | None = None, command_timeout: float = 45.0,
                 max_moves: int = 4, keys: KeyRing | None = None, lease_ttl: float | None = None,
                 name: str | None = None) -> None:
        self.pubsub = pubsub
        self.name = name or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:4]}"
        self.keys = keys.as_role("scheduler") if keys is not None else None
        self._guard = Guard(self.keys) if self.keys is not None else None
        self.fs = fs
        self.policy_name = policy or plugins.default_name("scheduler")
        self.policy = plugins.load("scheduler", self.policy_name)
        self.checkpoint_every = checkpoint_every
        self.deadline = deadline
        self.keep_checkpoints = max(1, keep_checkpoints)
        self.tick_every = tick
        self.grace = deadline if grace is None else grace
        self.command_timeout = command_timeout
        self.max_moves = max_moves
        self.fleet = FleetView(deadline)
        self.schedule = sched.Schedule()
        self.hooks = load_hooks()
        self._lock = threading.RLock()
        self._busy: dict[str, str] = {}          # program id -> the action in flight for it
        self._missing: dict[str, int] = {}       # program id -> heartbeats of its worker without it
        self._ckpt_at: dict[str, float] = {}     # program id -> monotonic time of the last checkpoint
        self._not_before: dict[str, float] = {}  # program id -> no new attempt before (back-off)
        self._fencing: set[tuple[str, str, int]] = set()
        self._unplaced: dict[str, str] = {}
        self._hb_refused: dict[str, float] = {}
        self._dirty = False
        self._wake = threading.Event()
        self._stop = threading.Event()
        self.inbox = CommandInbox(pubsub, "scheduler", lambda cmd: getattr(self, "_cmd_" + cmd.replace("-", "_")),
                                  (SchedulerError, ValueError, KeyError, TypeError), log, protocol.SCHEDULER_COMMANDS,
                                  guard=self._guard, policy=SCHEDULER_ROLES, signer=self.keys)
        # Actions wait on workers; a lost worker's requests are abandoned when it is declared
        # lost, but a slow one must not hold up the rest: threads are cheap, waiting is not.
        self._pool = ThreadPoolExecutor(max_workers=64, thread_name_prefix="sched-action")
        self._subs: list[Any] = []
        self.client: ControlClient | None = None
        self.started = time.monotonic()
        # Leadership: the lease's ttl is half the worker deadline by default, so that a standby
        # leads (after ttl) before a worker lost with the leader is even declared lost.
        self.lease_ttl = lease_ttl if lease_ttl is not None else max(0.5, deadline / 2)
        self.lease: Lease | None = None
        try:
            self.lease = Lease(fs, self.name, self.lease_ttl)
        except LeaseUnsupported as exc:
            log.warning("%s: run only one scheduler on this cluster (two would both act)", exc)
        self.fence: int | None = None        # our lease token while we lead
        self._stored: bytes | None = None    # the schedule's bytes as we last read or wrote them
        self._held: deque[tuple[float, Message]] = deque()  # commands a standby saw (time, message)
        self.fatal: sched.ScheduleError | None = None  # why this scheduler stopped by itself
        self.mail = mailbox.MailKeeper(pubsub, fs, resync_every=5.0)
        self._mail_kept: set[str] = set()
        self._mail_read = 0.0  # when a standby last read the schedule for the programs to keep mail for
        self._mail_swept = time.monotonic()

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> None:
        self.started = time.monotonic()
        if self.lease is None:
            self.schedule = sched.load(self.fs, self.keys)
        else:
            self._lead_step()
        self.client = ControlClient(self.pubsub, f"scheduler-{uuid.uuid4().hex[:8]}", self.keys)
        self._subs.append(self.pubsub.subscribe(protocol.HEARTBEATS, self._on_heartbeat))
        self._subs.append(self.pubsub.subscribe(protocol.scheduler_topic(), self._on_command, durable=True))
        self.mail.start()
        self._keep_mail()
        threading.Thread(target=self._loop, name="scheduler-loop", daemon=True).start()
        n = sum(1 for e in self.schedule.programs.values() if e.state not in TERMINAL)
        role = ("the only scheduler (no lease)" if self.lease is None else
                f"leading with token {self.fence}" if self.leads() else
                f"standing by ({self.lease.leader or 'nobody'} leads)")
        log.info("scheduler %s ready, %s (policy %s, deadline %gs, checkpoints %s); %d programs in the schedule",
                 self.name, role, self.policy_name, self.deadline,
                 f"every {self.checkpoint_every:g}s" if self.checkpoint_every else "per program only", n)
        self.hooks.hook.things_scheduler_started(policy=self.policy_name, deadline=self.deadline)

    # -- leadership ---------------------------------------------------------------------

    def leads(self) -> bool:
        """True while this scheduler may act: it holds the lease (or runs without one)."""
        return self.lease is None or (self.fence is not None and self.lease.token() == self.fence)

    def _lead_step(self) -> None:
        """Renew or watch the lease; take over or stand down when that changes."""
        if self.lease is None:
            return
        token = self.lease.step() if self.lease.due() else self.lease.token()
        with self._lock:
            if token is not None and token != self.fence:
                self._take_over(token)
            elif token is None and self.fence is not None:
                self._stand_down("the lease lapsed")

    def _take_over(self, token: int) -> None:
        """Lead from the stored schedule (the previous leader wrote every assignment before
        acting on it), and stamp it with our token at once: from then on a write of the
        deposed leader fails. Commands that came while the previous leader no longer renewed
        its lease went unanswered: they are handled now (a dispatcher takes the first reply)."""
        assert self.lease is not None
        silent_since = self.lease.last_renewal_seen()
        try:
            self.schedule, self._stored = sched.load_stored(self.fs, self.keys)
        except sched.ScheduleError as exc:
            # Holding the lease without acting would leave the cluster with no scheduler:
            # give it back and stop, as a lone scheduler does on an unreadable schedule.
            log.error("scheduler %s cannot lead: %s", self.name, exc)
            self.lease.release()
            self.fatal = exc
            self.stop()
            raise
        if self.schedule.fence >= token:  # the lease file was reset: our token must still be the newest
            raised = self.lease.raise_token(self.schedule.fence + 1)
            if raised is None:
                return
            token = raised
        self._reset_actions()
        self.fence = token
        self._dirty = True
        self._save()
        if self.fence is not None:
            n = sum(1 for e in self.schedule.programs.values() if e.state not in TERMINAL)
            late = [m for t, m in self._held if t >= silent_since]
            log.warning("scheduler %s leads (token %d); %d programs in the schedule, %d commands to answer",
                        self.name, token, n, len(late))
            self._held.clear()
            for m in late:
                self.inbox.on_message(m)
            self._wake.set()

    def _stand_down(self, why: str) -> None:
        log.warning("scheduler %s stands by: %s", self.name, why)
        self.fence = None
        self._reset_actions()  # requests in flight finish; their results are dropped

    def _reset_actions(self) -> None:
        """Forget what was in flight: results of actions started under another lease are dropped
        (``_current`` finds them no longer busy) and heartbeats reconcile the rest."""
        self._busy.clear()
        self._missing.clear()
        self._ckpt_at.clear()
        self._not_before.clear()
        self._fencing.clear()
        self._unplaced.clear()

    def _keep_mail(self) -> None:
        """Keep the mail of every scheduled program not ended. A standby reads the stored
        schedule for them (every second); the leader forgets the mail of programs that ended."""
        now = time.monotonic()
        if self.leads():
            with self._lock:
                live = {e.id for e in self.schedule.programs.values() if self._keeps_mail(e)}
                gone = {pid for pid in self._mail_kept - live
                        if pid not in self.schedule.programs or self.schedule.programs[pid].state in TERMINAL}
            for pid in gone:
                mailbox.forget(self.fs, pid)
            if now - self._mail_swept >= MAIL_SWEEP_EVERY:
                self._mail_swept = now
                self._sweep_mail(live)
        elif now - self._mail_read >= 1.0:
            self._mail_read = now
            try:
                stored = sched.load(self.fs, self.keys)
            except (sched.ScheduleError, FSError) as exc:
                log.debug("standby: cannot read the schedule: %s", exc)
                return
            live = {e.id for e in stored.programs.values() if self._keeps_mail(e)}
        else:
            return
        self._mail_kept = live
        self.mail.keep(live, now)

    def _sweep_mail(self, kept: set[str]) -> None:
        """Workers record the subscriptions of every program, scheduled or run by hand: the
        records of programs that are neither kept nor running anywhere are removed."""
        try:
            pids = {path.split("/")[1] for path in self.fs.list(mailbox.ROOT)}
        except FSError:
            return
        with self._lock:
            running = {pid for w in self.fleet.alive() for pid in w.processes}
        for pid in pids - kept - running:
            mailbox.forget(self.fs, pid)

    def _keeps_mail(self, e: ProgramEntry) -> bool:
        """Mail is kept for programs that are checkpointed (only a restore from a checkpoint
        replays it, and checkpoints bound the journal) and not ended."""
        every = e.checkpoint_every if e.checkpoint_every is not None else self.checkpoint_every
        return bool(every) and e.state not in TERMINAL

    def _on_command(self, msg: Message) -> None:
        """Only the leader answers the scheduler's topic; a standby stays silent (the
        dispatcher takes the first reply)."""
        if self.leads():
            self.inbox.on_message(msg)
            return
        now = time.monotonic()
        with self._lock:
            self._held.append((now, msg))
            while self._held and self._held[0][0] < now - 2 * self.lease_ttl - 1.0:
                self._held.popleft()

    def serve_forever(self) -> None:
        self.start()
        try:
            while not self._stop.wait(0.5):
                pass
        finally:
            self.shutdown()
        if self.fatal is not None:
            raise self.fatal

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def shutdown(self) -> None:
        self.stop()
        for sub in self._subs:
            try:
                self.pubsub.unsubscribe(sub)
            except Exception:  # best effort on the way out
                pass
        self.mail.close()
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            self._save()
            if self.lease is not None and self.fence is not None:
                self.fence = None
                self.lease.release()  # a standby leads on its next read, not after the ttl
        if self.client is not None:
            self.client.close()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._lead_step()
                self.tick()
                self._keep_mail()
            except Exception:  # the loop must go on whatever one round met
                log.exception("scheduler round failed")
            self._wake.wait(self.tick_every)
            self._wake.clear()

    # -- one round ----------------------------------------------------------------------

    def tick(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        actions: list[Callable[[], None]] = []
        with self._lock:
            if not self.leads():
                return  # a standby acts on nothing
            if now - self.started < self.grace:
                return  # first hear from the fleet: a restarted scheduler must not re-place what runs
            for w in self.fleet.newly_lost(now):
                self._worker_lost(w.id, f"worker {w.id} left (it said so as it stopped)" if w.leaving else
                                  f"worker {w.id} lost (silent for more than {self.deadline:g}s)")
            for e in self.schedule.programs.values():
                if e.state in ACTIVE and e.worker and e.worker not in self.fleet.workers and e.id not in self._busy:
                    self._failover(e, f"worker {e.worker} not heard from since the scheduler started")
            actions += self._place(now)
            actions += self._rebalance(now)
            actions += self._checkpoints(now)
            self._save()
        for act in actions:
            self._pool.submit(act)

    def _save(self) -> None:
        if not self._dirty:
            return
        try:
            if self.lease is None:
                sched.save(self.fs, self.schedule, self.keys)
            elif self.fence is None:
                return  # a standby writes nothing
            else:
                self._stored = sched.save(self.fs, self.schedule, self.keys, fence=self.fence, expected=self._stored)
            self._dirty = False
        except sched.Deposed as exc:
            self._stand_down(str(exc))
        except (FSError, OSError) as exc:
            log.warning("could not save the schedule: %s", exc)

    def _set(self, e: ProgramEntry, state: str, reason: str | None = None) -> None:
        e.state = state
        if reason is not None:
            e.reason = reason
        e.since = time.time()
        self._missing.pop(e.id, None)
        self._dirty = True

    def _worker_lost(self, wid: str, why: str) -> None:
        log.warning("%s", why)
        if self.client is not None:
            self.client.abandon(wid, "declared lost")
        self.hooks.hook.things_worker_lost(worker_id=wid)
        self._record_lost(wid, why)
        for e in self.schedule.programs.values():
            if e.worker == wid and e.state in ACTIVE:
                holder = self._live_copy(e, exclude=wid)
                if holder is not None:
                    # A migration the lost worker started had finished: the copy lives on.
                    log.warning("program %s (%s): %s; it already runs on %s (adopted)", e.id, e.name, why, holder)
                    e.worker = holder
                    self._busy.pop(e.id, None)
                    self._set(e, RUNNING, f"adopted on {holder} after {wid} was lost")
                    continue
                self._failover(e, why)

    def _record_lost(self, wid: str, why: str) -> None:
        """Each program the lost worker last said it ran ends its stay there in its history; one
        run by hand (not in the schedule) is not restored by this scheduler: the log says so and
        how to carry on with it."""
        seen = self.fleet.workers.get(wid)
        if seen is not None and seen.leaving:
            return  # a worker that leaves records how each of its programs left
        for pid, p in (seen.processes.items() if seen is not None else ()):
            if p.get("state") not in LIVE or p.get("state") == "migrating":
                continue
            program_history.record(self.fs, pid, "lost", worker=wid, reason=why, epoch=p.get("epoch", 0))
            if pid not in self.schedule.programs:
                log.warning("program %s (%s) was run by hand on %s and is lost with it; "
                            "`things dispatch restore %s WORKER` carries on from its newest snapshot, if any",
                            pid, p.get("name"), wid, pid)

    def _live_copy(self, e: ProgramEntry, exclude: str) -> str | None:
        """An alive worker whose last heartbeat shows ``e`` running at its current epoch."""
        for w in self.fleet.alive():
            if w.id == exclude:
                continue
            p = w.processes.get(e.id)
            if p is not None and p.get("state") in ("running", "paused") and p.get("epoch", 0) == e.epoch:
                return w.id
        return None

    def _failover(self, e: ProgramEntry, why: str) -> None:
        """Back to pending at a new epoch: restored elsewhere from its latest checkpoint; any
        copy at the old epoch that shows up again is stale and gets stopped."""
        e.epoch += 1
        e.restarts += 1
        e.worker = None
        self._busy.pop(e.id, None)
        where = f"from checkpoint {e.checkpoint}" if e.checkpoint else "from the start (no checkpoint yet)"
        self._set(e, PENDING, f"{why}; to be restored {where}")
        log.warning("program %s (%s): %s", e.id, e.name, e.reason)

    def _fleet(self) -> Fleet:
        scheduled = set(self.schedule.programs)
        workers = [w.as_policy_worker(scheduled, w.id in self.schedule.drained) for w in self.fleet.alive()]
        alive = {w.id for w in workers}
        programs, placements = [], {}
        for e in self.schedule.programs.values():
            if e.state in ACTIVE and e.worker in alive:
                self._learn_builtins(e)
                programs.append(_policy_program(e))
                placements[e.id] = e.worker
        return Fleet(workers, programs, placements)

    def _learn_builtins(self, e: ProgramEntry) -> None:
        """Add to ``e.builtins`` the host built-ins its running copy has loaded (its worker's
        heartbeat says, from the program's last pong): a module required by a computed name
        is in no bundle, and a failover or rebalance must not take the program where it is
        missing."""
        w = self.fleet.workers.get(e.worker or "")
        p = w.processes.get(e.id) if w else None
        loaded = needed_builtins(p.get("builtins")) if p else frozenset()
        if loaded - set(e.builtins):
            e.builtins = sorted(loaded | set(e.builtins))
            self._dirty = True

    def _place(self, now: float) -> list[Callable[[], None]]:
        pending = [e for e in self.schedule.programs.values()
                   if e.state == PENDING and e.id not in self._busy and self._not_before.get(e.id, 0.0) <= now]
        if not pending:
            return []
        decision = self.policy.place(self._fleet(), [_policy_program(e) for e in pending])
        actions = []
        for e in pending:
            wid = decision.placements.get(e.id)
            if wid is None:
                why = decision.unplaced.get(e.id, "no worker can take it")
                if self._unplaced.get(e.id) != why:
                    log.warning("program %s (%s) cannot be placed: %s", e.id, e.name, why)
                    self._unplaced[e.id] = why
                    e.reason = f"unplaced: {why}"
                    self._dirty = True
                continue
            self._unplaced.pop(e.id, None)
            e.worker = wid
            self._set(e, STARTING, "")
            self._busy[e.id] = "start"
            actions.append(self._start_action(e.id, e.epoch, wid, e.checkpoint))
        return actions

    def _rebalance(self, now: float) -> list[Callable[[], None]]:
        moving = sum(1 for a in self._busy.values() if a == "move")
        if moving >= self.max_moves:
            return []
        actions = []
        for m in self.policy.rebalance(self._fleet()):
            e = self.schedule.programs.get(m.program)
            if e is None or e.state != RUNNING or e.id in self._busy or self._not_before.get(e.id, 0.0) > now:
                continue
            if not self.fleet.is_alive(m.source) or not self.fleet.is_alive(m.target):
                continue
            log.info("moving %s (%s) from %s to %s: %s", e.id, e.name, m.source, m.target, m.reason)
            self._set(e, MIGRATING)
            self._busy[e.id] = "move"
            actions.append(self._move_action(e.id, e.epoch, m.source, m.target))
            moving += 1
            if moving >= self.max_moves:
                break
        return actions

    def _checkpoints(self, now: float) -> list[Callable[[], None]]:
        actions = []
        for e in self.schedule.programs.values():
            every = e.checkpoint_every if e.checkpoint_every is not None else self.checkpoint_every
            if not every or e.state != RUNNING or e.id in self._busy or not e.worker:
                continue
            last = self._ckpt_at.setdefault(e.id, now)
            if now - last >= every:
                self._ckpt_at[e.id] = now
                self._busy[e.id] = "checkpoint"
                actions.append(self._checkpoint_action(e.id, e.epoch, e.worker))
        return actions

    # -- actions (on the pool; results applied under the lock, if still current) ----------

    def _current(self, pid: str, epoch: int, action: str) -> ProgramEntry | None:
        if not self.leads():
            return None
        e = self.schedule.programs.get(pid)
        if e is None or e.epoch != epoch or self._busy.get(pid) != action:
            return None
        del self._busy[pid]
        return e

    def _start_action(self, pid: str, epoch: int, wid: str, checkpoint: str | None) -> Callable[[], None]:
        e = self.schedule.programs[pid]
        args: dict[str, Any] = {"pid": pid, "program": e.program, "hash": e.hash, "name": e.name, "args": e.args,
                                "epoch": epoch}
        if checkpoint:
            cmd = "restore"
            args.update(snapshot=checkpoint, handover=False, mail=True)
        else:
            cmd = "run"

        def act() -> None:
            reply = self._request(wid, cmd, args)
            with self._lock:
                e = self._current(pid, epoch, "start")
                if e is None:
                    return  # superseded meanwhile (lost worker, stop): heartbeats fence any copy
                if reply.ok:
                    self._set(e, RUNNING, "")
                    log.info("program %s (%s) %s on %s at epoch %d", pid, e.name,
                             "restored" if checkpoint else "started", wid, epoch)
                else:
                    # Nothing runs there (or a late copy will be fenced): retry at a new epoch.
                    e.epoch += 1
                    e.worker = None
                    self._set(e, PENDING, f"{wid} refused to {cmd} it: {reply.error}")
                    self._not_before[pid] = time.monotonic() + 2.0
                    log.warning("program %s: %s", pid, e.reason)
            self._wake.set()

        return act

    def _move_action(self, pid: str, epoch: int, source: str, target: str) -> Callable[[], None]:
        def act() -> None:
            reply = self._request(source, "migrate", {"pid": pid, "target": target}, extra=30.0)
            with self._lock:
                e = self._current(pid, epoch, "move")
                if e is None:
                    return
                if reply.ok:
                    e.worker = target
                    self._set(e, RUNNING, f"moved from {source}")  # things_migration_done fired on the source
                else:
                    self._set(e, RUNNING, f"move to {target} failed: {reply.error}")
                    self._not_before[pid] = time.monotonic() + 5.0
                    log.warning("program %s: %s", pid, e.reason)
            self._wake.set()

        return act

    def _checkpoint_action(self, pid: str, epoch: int, wid: str) -> Callable[[], None]:
        def act() -> None:
            reply = self._request(wid, "snapshot", {"pid": pid})
            pruned: list[str] = []
            with self._lock:
                e = self._current(pid, epoch, "checkpoint")
                path = (reply.result or {}).get("snapshot") if reply.ok and isinstance(reply.result, dict) else None
                if e is None or not isinstance(path, str):
                    if e is not None:
                        log.info("checkpoint of %s skipped: %s", pid, reply.error)
                    return
                e.checkpoints.append(path)
                while len(e.checkpoints) > self.keep_checkpoints:
                    pruned.append(e.checkpoints.pop(0))
                self._dirty = True
                oldest = _checkpoint_time(e.checkpoints[0])
            for old in pruned:
                _delete(self.fs, old)
            if pruned and oldest is not None:
                mailbox.trim(self.fs, pid, before=oldest)

        return act

    def _kill_action(self, pid: str, wid: str, below_epoch: int | None) -> Callable[[], None]:
        def act() -> None:
            args: dict[str, Any] = {"pid": pid}
            if below_epoch is not None:
                args["below_epoch"] = below_epoch
            reply = self._request(wid, "kill", args)
            if not reply.ok:
                log.info("stopping %s on %s: %s", pid, wid, reply.error)
            with self._lock:
                self._fencing.discard((wid, pid, below_epoch or -1))

        return act

    def _request(self, wid: str, cmd: str, args: dict[str, Any], extra: float = 0.0) -> Reply:
        assert self.client is not None
        if self.lease is not None:
            if not self.leads():  # a lease that lapsed (we were frozen, cut off) sends nothing
                return Reply(re="", ok=False, worker=wid, error="this scheduler no longer leads")
            args = {**args, "fence": self.fence}  # a worker refuses it once it has seen a newer token
        try:
            return self.client.request(wid, cmd, args, timeout=self.command_timeout + extra)
        except (NoReply, OSError) as exc:
            return Reply(re="", ok=False, worker=wid, error=str(exc))

    # -- heartbeats ---------------------------------------------------------------------

    def _on_heartbeat(self, msg: Message) -> None:
        try:
            payload = heartbeat_seal.unseal(msg.payload, self._guard)
        except Refused as exc:
            self._refused_heartbeat(msg.topic, str(exc))
            return
        try:
            hb = parse_heartbeat(payload)
        except HeartbeatError as exc:
            log.warning("refused a malformed heartbeat on %s: %s", msg.topic, exc)
            return
        actions: list[Callable[[], None]] = []
        with self._lock:
            w, fresh = self.fleet.update(hb)
            if fresh:
                log.info("worker %s is here (%d processes)", w.id, len(w.processes))
                self.hooks.hook.things_worker_joined(worker_id=w.id, status=hb)
            actions = self._reconcile(w) if self.leads() else []  # a standby only listens
        for act in actions:
            self._pool.submit(act)

    def _refused_heartbeat(self, topic: str, why: str) -> None:
        """Logged once a minute per topic: a worker without keys beats every second."""
        now = time.monotonic()
        if now - self._hb_refused.get(topic, -60.0) >= 60.0:
            self._hb_refused[topic] = now
            log.warning("refused a heartbeat on %s: %s", topic, why)

    def _reconcile(self, w: WorkerSeen) -> list[Callable[[], None]]:
        actions = []
        for pid, p in w.processes.items():
            e = self.schedule.programs.get(pid)
            if e is None:
                continue  # not the scheduler's (run by hand)
            epoch = p.get("epoch", 0)
            epoch = epoch if isinstance(epoch, int) else 0
            live = p.get("state") in LIVE
            if live and (epoch < e.epoch or e.state == STOPPED):
                key = (w.id, pid, e.epoch if e.state != STOPPED else -1)
                if key not in self._fencing:
                    self._fencing.add(key)
                    log.warning("stopping %s on %s: %s", pid, w.id, "stale copy at epoch "
                                f"{epoch} (now {e.epoch})" if e.state != STOPPED else "the program was stopped")
                    actions.append(self._kill_action(pid, w.id, e.epoch if e.state != STOPPED else None))
                continue
            if epoch != e.epoch or pid in self._busy:
                continue
            if live and p.get("state") != "migrating":
                if e.worker != w.id or e.state != RUNNING:
                    if e.worker != w.id:
                        log.info("program %s now runs on %s (moved by someone else)", pid, w.id)
                    e.worker = w.id
                    self._set(e, RUNNING, "")
            elif not live and e.worker == w.id and e.state in (RUNNING, STARTING):
                reason = str(p.get("reason") or "")
                if reason.startswith(("migrated", "fenced")):
                    continue
                self._set(e, ENDED if p.get("state") == "exited" else FAILED, reason or str(p.get("state")))
                log.info("program %s (%s) %s: %s", pid, e.name, e.state, e.reason)
        # A program assigned here that the worker no longer lists (it restarted, or never got
        # the command before a scheduler crash): after two heartbeats without it, restore it.
        for e in self.schedule.programs.values():
            if e.worker != w.id or e.state not in (RUNNING, STARTING) or e.id in self._busy:
                continue
            if e.id in w.processes:
                self._missing.pop(e.id, None)
                continue
            self._missing[e.id] = self._missing.get(e.id, 0) + 1
            if self._missing[e.id] >= 2:
                self._failover(e, f"worker {w.id} no longer runs it")
        return actions

    # -- commands -----------------------------------------------------------------------

    def _wait(self, done: Callable[[], bool], timeout: float) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._lock:
                if done():
                    return True
            time.sleep(0.05)
        with self._lock:
            return done()

    def _cmd_status(self, args: dict[str, Any]) -> dict[str, Any]:
        now = time.monotonic()
        with self._lock:
            counts: dict[str, int] = {}
            for e in self.schedule.programs.values():
                counts[e.state] = counts.get(e.state, 0) + 1
            return {"scheduler": self.name, "fence": self.fence, "lease_ttl": self.lease_ttl if self.lease else None,
                    "policy": self.policy_name, "deadline": self.deadline, "checkpoint_every": self.checkpoint_every,
                    "workers": [w.describe(now) for w in sorted(self.fleet.workers.values(), key=lambda w: w.id)],
                    "drained": sorted(self.schedule.drained), "programs": counts,
                    "apps": sorted(self.schedule.apps)}

    def _cmd_app_run(self, args: dict[str, Any]) -> dict[str, Any]:
        app = args.get("app")
        if not isinstance(app, dict):
            raise SchedulerError("app-run needs an application object")
        name = app.get("name")
        specs = app.get("programs")
        if not isinstance(name, str) or not name or not isinstance(specs, list) or not specs:
            raise SchedulerError("an application needs a name and at least one program")
        entries = [_entry(name, s, i) for i, s in enumerate(specs)]
        with self._lock:
            old = self.schedule.apps.get(name, [])
            if any(self.schedule.programs[pid].state not in TERMINAL for pid in old if pid in self.schedule.programs):
                raise SchedulerError(f"application {name!r} is already running (stop it first: things app stop {name})")
            for pid in old:
                gone = self.schedule.programs.pop(pid, None)
                if gone is not None:
                    for path in gone.checkpoints:
                        _delete(self.fs, path)
            for e in entries:
                e.since = time.time()
                self.schedule.programs[e.id] = e
            self.schedule.apps[name] = [e.id for e in entries]
            self._dirty = True
            self._save()
        self._wake.set()
        ids = [e.id for e in entries]

        def settled() -> bool:
            return all(self.schedule.programs[i].state not in (STARTING,) and
                       (self.schedule.programs[i].state != PENDING or i in self._unplaced) for i in ids)

        self._wait(settled, float(args.get("wait", 20.0)))
        return self._describe_app(name)

    def _describe_app(self, name: str) -> dict[str, Any]:
        with self._lock:
            ids = self.schedule.apps.get(name)
            if ids is None:
                raise SchedulerError(f"no application {name!r}")
            progs = [self._describe(self.schedule.programs[i]) for i in ids if i in self.schedule.programs]
        states = {p["state"] for p in progs}
        overall = "running" if states <= {RUNNING} else "stopped" if states <= {STOPPED} else ",".join(sorted(states))
        return {"app": name, "state": overall, "programs": progs}

    def _describe(self, e: ProgramEntry) -> dict[str, Any]:
        body = {"id": e.id, "name": e.name, "app": e.app, "state": e.state, "worker": e.worker, "epoch": e.epoch,
                "reason": e.reason, "restarts": e.restarts, "checkpoint": e.checkpoint,
                "needs": {"memory_mb": e.memory_mb, "cpu": e.cpu}, "labels": e.labels,
                "anti_affinity": e.anti_affinity, "builtins": e.builtins}
        w = self.fleet.workers.get(e.worker or "")
        p = w.processes.get(e.id) if w else None
        if p:
            body["cpu_seconds"] = p.get("cpu_seconds")
            body["rss_bytes"] = p.get("rss_bytes")
        return body

    def _cmd_app_ls(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        with self._lock:
            names = sorted(self.schedule.apps)
        return [self._describe_app(n) for n in names]

    def _cmd_app_stop(self, args: dict[str, Any]) -> dict[str, Any]:
        name = args.get("name")
        with self._lock:
            ids = self.schedule.apps.get(name) if isinstance(name, str) else None
            if ids is None:
                raise SchedulerError(f"no application {name!r}")
        for pid in ids:
            self._stop_program(pid)
        self._wait(lambda: all(not self._live_anywhere(pid) for pid in ids), float(args.get("wait", 10.0)))
        return self._describe_app(name)

    def _live_anywhere(self, pid: str) -> bool:
        return any(w.processes.get(pid, {}).get("state") in LIVE for w in self.fleet.alive())

    def _stop_program(self, pid: str) -> None:
        with self._lock:
            e = self.schedule.programs.get(pid)
            if e is None:
                raise SchedulerError(f"no program {pid!r} in the schedule")
            wid = e.worker
            self._busy.pop(pid, None)
            if e.state not in TERMINAL:
                self._set(e, STOPPED, "stopped on request")
            self._save()
        if wid and self.fleet.is_alive(wid):
            self._kill_action(pid, wid, None)()

    def _cmd_stop(self, args: dict[str, Any]) -> dict[str, Any]:
        pid = args.get("pid")
        if not isinstance(pid, str):
            raise SchedulerError("stop needs a program id")
        self._stop_program(pid)
        with self._lock:
            return self._describe(self.schedule.programs[pid])

    def _cmd_move(self, args: dict[str, Any]) -> dict[str, Any]:
        pid, target = args.get("pid"), args.get("worker")
        with self._lock:
            e = self.schedule.programs.get(pid) if isinstance(pid, str) else None
            if e is None:
                raise SchedulerError(f"no program {pid!r} in the schedule")
            if not isinstance(target, str) or not self.fleet.is_alive(target):
                raise SchedulerError(f"no live worker {target!r}")
            if e.state != RUNNING or e.id in self._busy or not e.worker:
                raise SchedulerError(f"program {pid} is {e.state}{' and busy' if e.id in self._busy else ''}")
            if e.worker == target:
                raise SchedulerError(f"program {pid} already runs on {target}")
            self._set(e, MIGRATING)
            self._busy[e.id] = "move"
            act = self._move_action(e.id, e.epoch, e.worker, target)
        act()
        with self._lock:
            return self._describe(self.schedule.programs[pid])

    def _cmd_drain(self, args: dict[str, Any]) -> dict[str, Any]:
        """Move every program off a worker, live: the scheduled ones through the policy's
        rebalance, and those started by hand (``things dispatch run``), which the schedule
        does not know, by migrating them here to where the policy would place them. Each one
        that could not move is in ``remaining`` with the reason."""
        wid = args.get("worker")
        if not isinstance(wid, str) or not wid:
            raise SchedulerError("drain needs a worker id")
        on = bool(args.get("on", True))
        with self._lock:
            there = [e.id for e in self.schedule.programs.values() if e.worker == wid and e.state in ACTIVE]
            if on:
                self.schedule.drained.add(wid)
            else:
                self.schedule.drained.discard(wid)
            self._dirty = True
            self._save()
            seen = self.fleet.workers.get(wid)
            by_hand = {pid: p for pid, p in (seen.processes.items() if seen else ())
                       if pid not in self.schedule.programs and p.get("state") in LIVE} if on else {}
        self._wake.set()
        moved_by_hand, stuck = self._move_by_hand(wid, by_hand)

        def drained() -> bool:
            return not any(e.worker == wid and e.state in ACTIVE for e in self.schedule.programs.values())

        if on:
            self._wait(drained, float(args.get("wait", 60.0)))
        with self._lock:
            remaining = [self._describe(e) for e in self.schedule.programs.values()
                         if e.worker == wid and e.state in ACTIVE]
            moved = [{"id": pid, "worker": self.schedule.programs[pid].worker} for pid in there
                     if pid in self.schedule.programs and self.schedule.programs[pid].worker not in (wid, None)]
        return {"worker": wid, "draining": on, "moved": moved + moved_by_hand, "remaining": remaining + stuck}

    def _move_by_hand(self, wid: str, procs: dict[str, dict[str, Any]]) -> tuple[list[dict[str, Any]],
                                                                                   list[dict[str, Any]]]:
        """Migrate programs the schedule does not know off ``wid``, to the workers the policy
        picks for them (their memory as the worker last reported it); (moved, not moved)."""
        if not procs:
            return [], []
        with self._lock:
            fleet = self._fleet()  # ``wid`` is drained now: the policy places nothing there
            wanted = [Program(id=pid, needs=Resources(memory_mb=float(p.get("rss_bytes") or 0.0) / (1024 * 1024),
                                                      cpu=0.0)) for pid, p in procs.items()]
            decision = self.policy.place(fleet, wanted)
        moved, stuck = [], []
        for pid, p in procs.items():
            target = decision.placements.get(pid)
            if p.get("state") != "running":
                stuck.append({"id": pid, "name": p.get("name"), "worker": wid, "state": p.get("state"),
                              "reason": f"it is {p.get('state')}: only a running program moves (resume it first)"})
                continue
            if target is None:
                stuck.append({"id": pid, "name": p.get("name"), "worker": wid, "state": p.get("state"),
                              "reason": f"no worker can take it: {decision.unplaced.get(pid, 'no other worker')}"})
                continue
            log.info("moving %s (started by hand) from %s to %s: %s is drained", pid, wid, target, wid)
            reply = self._request(wid, "migrate", {"pid": pid, "target": target}, extra=30.0)
            if reply.ok:
                moved.append({"id": pid, "worker": target})
            else:
                log.warning("program %s stays on %s: %s", pid, wid, reply.error)
                stuck.append({"id": pid, "name": p.get("name"), "worker": wid, "state": p.get("state"),
                              "reason": f"move to {target} failed: {reply.error}"})
        return moved, stuck


def _policy_program(e: ProgramEntry) -> Program:
    return Program(id=e.id, needs=Resources(memory_mb=e.memory_mb, cpu=e.cpu), app=e.app, labels=e.labels,
                   anti_affinity=frozenset(e.anti_affinity), builtins=needed_builtins(e.builtins))


def _entry(app: str, spec: Any, index: int) -> ProgramEntry:
    """A schedule entry from one program of an ``app-run`` request (already checked by the
    sender, checked again here: the scheduler trusts no message)."""
    if not isinstance(spec, dict):
        raise SchedulerError(f"program {index} is not an object")
    for key in ("name", "program", "hash"):
        if not isinstance(spec.get(key), str) or not spec[key]:
            raise SchedulerError(f"program {index}: {key!r} is required")
    every = spec.get("checkpoint_every")
    if every is not None and (not isinstance(every, int | float) or every <= 0):
        raise SchedulerError(f"program {index}: checkpoint_every must be a number of seconds > 0")
    return ProgramEntry(
        id=str(spec.get("id") or uuid.uuid4().hex[:12]), app=app, name=spec["name"], program=spec["program"],
        hash=spec["hash"], args=[str(a) for a in spec.get("args", [])],
        memory_mb=float(spec.get("memory_mb", 0.0)), cpu=float(spec.get("cpu", 0.0)),
        labels={str(k): str(v) for k, v in dict(spec.get("labels", {})).items()},
        anti_affinity=[str(g) for g in spec.get("anti_affinity", [])], checkpoint_every=every, epoch=1,
        builtins=sorted(needed_builtins(spec.get("builtins"))))


def _checkpoint_time(path: str) -> float | None:
    """Wall-clock seconds a checkpoint was taken (``snapshots/<pid>/<time_ns>.json``)."""
    try:
        return int(path.rsplit("/", 1)[-1].split(".", 1)[0]) / 1e9
    except ValueError:
        return None


def _delete(fs: FileSystem, path: str) -> None:
    try:
        fs.delete(path)
    except (FSError, OSError) as exc:
        log.debug("could not prune %s: %s", path, exc)
