"""The ``things`` command line.

Start-up is part of every command's answer time (``things dispatch ps`` should answer in a
fraction of a second), so this module imports only argparse: each command's module, and the
plugins it needs, are imported when that command runs.

The cluster flags (``--pubsub``, ``--fs``, ``--keys``, ``--timeout``) are accepted before
and after the subcommand (``things --pubsub=X dispatch ps`` and ``things dispatch ps
--pubsub=X``): people type them where they think of them. Errors are one line and an exit
code of the convention in :mod:`thingscore.console`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any


def _cmd_instrument(args: argparse.Namespace) -> int:
    from thingscore.commands.instrument import run

    return run(args)


def _cmd_exec(args: argparse.Namespace) -> int:
    from thingscore.commands.exec import run

    return run(args)


def _cmd_restore(args: argparse.Namespace) -> int:
    from thingscore.commands.restore import run

    return run(args)


def _cmd_worker(args: argparse.Namespace) -> int:
    from thingscore.commands.worker import run

    return run(args)


def _cmd_dispatch(args: argparse.Namespace) -> int:
    from thingscore.commands.dispatch import run

    return run(args)


def _cmd_scheduler(args: argparse.Namespace) -> int:
    from thingscore.commands.scheduler import run

    return run(args)


def _cmd_app(args: argparse.Namespace) -> int:
    from thingscore.commands.app import run

    return run(args)


def _cmd_demo(args: argparse.Namespace) -> int:
    from thingscore.commands.demo import run

    return run(args)


def _cmd_pubsub(args: argparse.Namespace) -> int:
    from thingscore.commands.pubsub import run

    return run(args)


def _cmd_simulate(args: argparse.Namespace) -> int:
    from thingscore.commands.simulate import run

    return run(args)


def _cmd_gateway(args: argparse.Namespace) -> int:
    from thingscore.commands.gateway import run

    return run(args)


def _cmd_conformance(args: argparse.Namespace) -> int:
    from thingscore.commands.conformance import run

    return run(args)


KEYS_HELP = ("the cluster's key file (things keygen); default $THINGS_KEYS. Without keys nothing is signed "
             "or checked")

#: The flags that say which cluster a command talks to, and the commands that take each.
CLUSTER_FLAGS: dict[str, dict[str, Any]] = {
    "--pubsub": {"metavar": "URL|NAME", "help": "pub/sub plugin name or URL (default: $THINGS_PUBSUB or the "
                 "default plugin's URL, where `things pubsub` serves; `things plugins` lists them)"},
    "--fs": {"metavar": "URL|DIR", "help": "global FS plugin name, URL or directory (default: $THINGS_FS or the "
             "default plugin's, ~/.things/fs)"},
    "--keys": {"metavar": "FILE", "help": KEYS_HELP},
    "--timeout": {"metavar": "S", "type": float, "help": "seconds to wait for a reply (default 15)"},
}
CLUSTER_COMMANDS: dict[str, tuple[str, ...]] = {
    "dispatch": ("--pubsub", "--fs", "--keys", "--timeout"),
    "app": ("--pubsub", "--fs", "--keys", "--timeout"),
    "worker": ("--pubsub", "--fs", "--keys"),
    "scheduler": ("--pubsub", "--fs", "--keys"),
    "gateway": ("--pubsub", "--fs", "--keys", "--timeout"),
}
DEFAULT_TIMEOUT = 15.0


def _cluster_flags(parser: argparse.ArgumentParser, flags: Sequence[str]) -> None:
    """Add cluster flags that leave no default behind: a value typed before the subcommand
    is not overwritten by a sub-parser's default (filled in by :func:`_fill_cluster_flags`)."""
    for flag in flags:
        parser.add_argument(flag, default=argparse.SUPPRESS, **CLUSTER_FLAGS[flag])


def _fill_cluster_flags(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    allowed = CLUSTER_COMMANDS.get(args.command, ())
    if args.command == "conformance":
        allowed = ("--pubsub", "--fs")
    for flag in CLUSTER_FLAGS:
        dest = flag[2:]
        if hasattr(args, dest) and flag not in allowed:
            parser.error(f"{flag} is not an option of `things {args.command}`")
        if not hasattr(args, dest):
            setattr(args, dest, DEFAULT_TIMEOUT if dest == "timeout" else None)
    if args.timeout is not None and not args.timeout > 0:
        parser.error("--timeout must be a number of seconds > 0")


class _Version(argparse.Action):
    """``things --version``: read from the installed distribution only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("things")
        except PackageNotFoundError:
            number = "unknown (not installed)"
        print(f"things {number}")
        parser.exit(0)


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def _sub_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return [p for a in actions for p in dict.fromkeys(a.choices.values())]


def _cmd_plugins(args: argparse.Namespace) -> int:
    from thingscore.commands.plugins import run

    return run(args)


def _cmd_web_assets(args: argparse.Namespace) -> int:
    from thingscore.commands.web_assets import run

    return run(args)


def _cmd_keygen(args: argparse.Namespace) -> int:
    from thingscore.commands.keygen import run

    return run(args)


METRICS_HELP = ("serve metrics for Prometheus at http://HOST:PORT/metrics (HOST 127.0.0.1 unless given) through "
                "the hook plugins that export them; the same as $THINGS_METRICS_PORT")


def _setup_instrument(ins: argparse.ArgumentParser) -> None:
    ins.add_argument("file")
    ins.add_argument("-o", "--output", help="output file (default: stdout)")
    ins.add_argument("--parser", help="parser plugin (default: the default parser; `things plugins` lists them)")
    ins.set_defaults(func=_cmd_instrument)


def _setup_exec(ex: argparse.ArgumentParser) -> None:
    ex.add_argument("file")
    ex.add_argument("args", nargs="*", help="arguments passed to the program (after --)")
    ex.add_argument("--hops", type=int, default=0, help="number of migrations (default 0)")
    ex.add_argument("--every", type=int, default=1, help="event-loop callbacks between migrations")
    ex.add_argument("--runtimes", default="", help="comma-separated runtime plugins, cycled per process "
                    "(default: the default runtime)")
    ex.add_argument("--report", help="write a JSON report of the hops to this file")
    ex.add_argument("--snapshot-dir", help="keep every snapshot as hop-N.json in this directory")
    ex.add_argument("--parser", help="parser plugin (default: the default parser; `things plugins` lists them)")
    ex.add_argument("--max-memory-mb", type=float, help="stop the program when it needs more memory than this")
    ex.add_argument("--max-cpu-seconds", type=float, help="stop the program after this much CPU time (per process)")
    ex.set_defaults(func=_cmd_exec)


def _setup_restore(rs: argparse.ArgumentParser) -> None:
    rs.add_argument("snapshot")
    rs.add_argument("-o", "--output", help="output file (default: stdout)")
    rs.add_argument("--program", help="the program's main file (default: the one named in the snapshot)")
    rs.add_argument("--parser", help="parser plugin (default: the default parser; `things plugins` lists them)")
    rs.set_defaults(func=_cmd_restore)


def _setup_worker(wk: argparse.ArgumentParser) -> None:
    wk.add_argument("--id", help="worker id (default: $THINGS_WORKER_ID or the host name)")
    wk.add_argument("--runtime", help="runtime plugin for programs (default: $THINGS_RUNTIME or the default runtime)")
    wk.add_argument("--heartbeat", type=float, help="seconds between heartbeats (default 1)")
    wk.add_argument("--label", action="append", help="KEY=VALUE label for placement (repeatable)")
    wk.add_argument("--memory-mb", type=float, help="memory this worker offers to programs (default 1024)")
    wk.add_argument("--cpus", type=float, help="CPUs this worker offers to programs (default: its core count)")
    wk.add_argument("--low-memory-mb", type=float,
                    help="drain (ask for its programs to move) when the machine has less memory available than this")
    wk.add_argument("--max-memory-mb", type=float,
                    help="memory limit of each program run here (default: none; `dispatch run` may set its own)")
    wk.add_argument("--max-cpu-seconds", type=float,
                    help="CPU-time limit of each program run here (default: none; `dispatch run` may set its own)")
    wk.add_argument("--output-max-mb", type=float, metavar="MB",
                    help="output history kept per program in the global FS: its oldest output is dropped past "
                    "this (default 8)")
    wk.add_argument("--output-max-age", metavar="DURATION",
                    help="drop a program's output older than this from its history (7d, 12h; default: none)")
    wk.add_argument("--config", help="TOML config file ([worker] id, pubsub, fs, runtime, heartbeat, labels, "
                    "output_max_mb, output_max_age)")
    wk.add_argument("--encrypt-snapshots", action="store_true",
                    help="encrypt the snapshots this worker stores (AES-256-GCM with the cluster's snapshot key)")
    wk.add_argument("--replace", action="store_true",
                    help="if a worker with this id already runs, tell it to stop and take its place")
    wk.add_argument("-v", "--verbose", action="store_true")
    wk.add_argument("--metrics-port", metavar="[HOST:]PORT", help=METRICS_HELP)
    _cluster_flags(wk, CLUSTER_COMMANDS["worker"])
    wk.set_defaults(func=_cmd_worker)


def _setup_dispatch(dp: argparse.ArgumentParser) -> None:
    dsub = dp.add_subparsers(dest="action", required=True)
    d_run = dsub.add_parser("run", help="run a program on a worker; prints JSON {id, worker, status}")
    d_run.add_argument("worker")
    d_run.add_argument("file")
    d_run.add_argument("args", nargs="*", help="program arguments (after --)")
    d_run.add_argument("--max-memory-mb", type=float, help="this program's memory limit (default: the worker's)")
    d_run.add_argument("--max-cpu-seconds", type=float, help="this program's CPU-time limit (default: the worker's)")
    for name in ("ps", "workers"):
        dsub.add_parser(name, help=f"list {'processes' if name == 'ps' else 'workers'}")
    d_mig = dsub.add_parser("migrate", help="move a running program to another worker")
    d_mig.add_argument("id")
    d_mig.add_argument("worker")
    for name in ("pause", "resume", "kill", "snapshot"):
        dsub.add_parser(name, help=f"{name} a program").add_argument("id")
    d_rest = dsub.add_parser("restore", help="carry on with a program that stopped from its last snapshot in the "
                             "global FS (saved when its worker left, or by dispatch snapshot), on a worker")
    d_rest.add_argument("id")
    d_rest.add_argument("worker")
    d_rest.add_argument("--snapshot", metavar="PATH", help="this snapshot of it (default: the newest)")
    d_drain = dsub.add_parser("drain", help="move every program off a worker, live (through the scheduler if one runs)")
    d_drain.add_argument("worker")
    d_drain.add_argument("--undo", action="store_true", help="let the worker take programs again")
    d_drain.add_argument("--wait", type=float, default=60.0, help="seconds to wait for the moves")
    d_logs = dsub.add_parser("logs", help="a program's console output, across moves, failovers and restarts")
    d_logs.add_argument("id")
    d_logs.add_argument("--follow", "-f", action="store_true")
    d_logs.add_argument("--tail", type=int, metavar="N", help="only the last N lines")
    d_logs.add_argument("--since", metavar="WHEN",
                        help="only what was printed since WHEN: 5m, 2h, 04:10, 2026-12-07T04:10")
    d_hist = dsub.add_parser("history", help="where a program has been: workers, runtimes, times, moves")
    d_hist.add_argument("id")
    for action in _sub_parsers(dp):
        _json_flag(action)
        _cluster_flags(action, CLUSTER_COMMANDS["dispatch"])
    _cluster_flags(dp, CLUSTER_COMMANDS["dispatch"])
    dp.set_defaults(func=_cmd_dispatch)


def _setup_scheduler(sc: argparse.ArgumentParser) -> None:
    sc.add_argument("--policy", help="placement policy plugin (default: the default policy)")
    sc.add_argument("--checkpoint-every", metavar="DURATION",
                    help="checkpoint every running program this often (5s, 500ms, 2m); default: only programs "
                    "whose application sets checkpoint_every")
    sc.add_argument("--deadline", default="5s", metavar="DURATION",
                    help="a worker silent this long is lost and its programs are restored elsewhere (default 5s)")
    sc.add_argument("--keep-checkpoints", type=int, default=2, help="checkpoints kept per program (default 2)")
    sc.add_argument("--lease", metavar="DURATION",
                    help="with several schedulers on one cluster, a standby leads once the leader has not "
                    "renewed its lease for this long (default: half the deadline)")
    sc.add_argument("-v", "--verbose", action="store_true")
    _cluster_flags(sc, CLUSTER_COMMANDS["scheduler"])
    sc.add_argument("--metrics-port", metavar="[HOST:]PORT", help=METRICS_HELP)
    sc.set_defaults(func=_cmd_scheduler)


def _setup_gateway(gw: argparse.ArgumentParser) -> None:
    gw.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    gw.add_argument("--port", type=int, default=7902, help="port to listen on (default 7902)")
    gw.add_argument("--policy", help="placement policy plugin for programs pages send without naming a worker "
                    "(default: the default policy)")
    gw.add_argument("-v", "--verbose", action="store_true")
    _cluster_flags(gw, CLUSTER_COMMANDS["gateway"])
    gw.set_defaults(func=_cmd_gateway)


def _setup_app(ap: argparse.ArgumentParser) -> None:
    ap_sub = ap.add_subparsers(dest="app_command", required=True)
    ap_run = ap_sub.add_parser("run", help="run an application file (YAML, JSON or TOML); prints JSON")
    ap_run.add_argument("file")
    ap_run.add_argument("--wait", type=float, default=20.0, help="seconds to wait for the programs to start")
    ap_run.add_argument("--parser", help="parser plugin for instrumenting (default: the default parser)")
    ap_sub.add_parser("ls", help="applications and their programs")
    ap_sub.add_parser("stop", help="stop an application's programs").add_argument("name")
    for action in _sub_parsers(ap):
        _json_flag(action)
        _cluster_flags(action, CLUSTER_COMMANDS["app"])
    _cluster_flags(ap, CLUSTER_COMMANDS["app"])
    ap.set_defaults(func=_cmd_app)


def _setup_keygen(kg: argparse.ArgumentParser) -> None:
    kg.add_argument("--out", required=True, metavar="FILE", help="where to write the full key file")
    kg.add_argument("--force", action="store_true", help="overwrite existing key files")
    _json_flag(kg)
    kg.set_defaults(func=_cmd_keygen)


def _setup_web_assets(wa: argparse.ArgumentParser) -> None:
    wa.add_argument("--out", required=True, metavar="DIR", help="where to write things-web.js and the files it loads")
    wa.add_argument("--runtime", metavar="NAME",
                    help="the runtime plugin whose host runs programs in the page (default: one that can)")
    _json_flag(wa)
    wa.set_defaults(func=_cmd_web_assets)


def _setup_plugins(pl: argparse.ArgumentParser) -> None:
    pl.add_argument("--json", action="store_true", help="the listing as JSON")
    pl.set_defaults(func=_cmd_plugins)


def _setup_demo(dm: argparse.ArgumentParser) -> None:
    dm.set_defaults(func=_cmd_demo)


def _setup_pubsub(pb: argparse.ArgumentParser) -> None:
    pb.add_argument("--host", default="127.0.0.1")
    pb.add_argument("--port", type=int, help="default: the broker plugin's own port")
    pb.add_argument("--backend", help="the pub/sub plugin whose broker runs (default: the default pub/sub plugin; "
                    "those that can serve one are listed by `things plugins`)")
    pb.add_argument("--curve-keys", metavar="FILE",
                    help="run with CURVE using this key pair file, made if absent (public key in FILE.pub); "
                         "default $THINGS_PUBSUB_CURVE_KEYS")
    pb.add_argument("--curve-clients", metavar="PATH",
                    help="with CURVE: only admit clients whose public key is in this directory of key files "
                         "(or file of keys), read at each connection; default $THINGS_PUBSUB_CURVE_CLIENTS")
    pb.add_argument("-v", "--verbose", action="store_true")
    pb.set_defaults(func=_cmd_pubsub)


def _setup_simulate(sm: argparse.ArgumentParser) -> None:
    sm.add_argument("--workers", type=int, default=1000)
    sm.add_argument("--programs", type=int, default=5000)
    sm.add_argument("--policy", help="policy name(s), comma-separated to compare (default: the default policy)")
    sm.add_argument("--churn", type=float, default=0.0, help="fraction of workers that leave/join per round")
    sm.add_argument("--rounds", type=int, default=10)
    sm.add_argument("--seed", type=int, default=0)
    sm.add_argument("--json", action="store_true")
    sm.set_defaults(func=_cmd_simulate)


def _setup_conformance(cf: argparse.ArgumentParser) -> None:
    cf_sub = cf.add_subparsers(dest="conformance_command", required=True)
    cfr = cf_sub.add_parser("run", help="run the conformance suite of a plugin")
    cfr.add_argument("--parser", help="parser plugin name")
    cfr.add_argument("--pubsub", metavar="URL|NAME", default=argparse.SUPPRESS,
                     help="pub/sub plugin to check: a URL of a scheme a plugin declares, or a plugin name")
    cfr.add_argument("--scheduler", metavar="NAME", help="placement policy plugin to check")
    cfr.add_argument("--runtime", metavar="NAME", help="runtime plugin to check against the runtime contract")
    cfr.add_argument("--fs", metavar="URL|DIR|NAME", default=argparse.SUPPRESS,
                     help="file-system plugin to check: a URL of a scheme a plugin declares, a directory or a name")
    cfr.add_argument("--test262", action="store_true",
                     help="test262 under plain node and instrumented: shares by folder, failures listed")
    cfr.add_argument("--filter", action="append", metavar="PREFIX",
                     help="with --test262: a path prefix under test/ (language/expressions/class); repeatable")
    cfr.add_argument("--sample", type=int, metavar="N", help="with --test262: a fixed sample of N tests")
    cfr.add_argument("--json", action="store_true", help="machine-readable results on stdout")
    cfr.add_argument("-j", "--jobs", type=int, metavar="N", help="with --test262: tests at once (default: CPUs)")
    cfr.add_argument("--results", metavar="FILE", help="with --test262: append each result to FILE (JSON lines) "
                     "as it comes; tests already in FILE are not run again (resume a long run)")
    cfr.add_argument("--verbose", "-v", action="store_true")
    cfr.set_defaults(func=_cmd_conformance)


COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "instrument": ("instrument a program so that it can be snapshotted and resumed", _setup_instrument),
    "exec": ("run a program, migrating it to a fresh runtime process every K callbacks", _setup_exec),
    "restore": ("write a standalone JS file that resumes a program from a snapshot", _setup_restore),
    "worker": ("run programs for the control plane (until interrupted)", _setup_worker),
    "dispatch": ("command workers: run, ps, migrate, pause, resume, kill, snapshot, logs", _setup_dispatch),
    "scheduler": ("place applications, checkpoint them, fail them over (until interrupted)", _setup_scheduler),
    "app": ("applications: run, ls, stop (through the scheduler)", _setup_app),
    "gateway": ("the WebSocket door for web pages into the cluster (until interrupted)", _setup_gateway),
    "web-assets": ("write things-web.js (Mobile Web Workers for web pages) and the files it loads into DIR",
                   _setup_web_assets),
    "keygen": ("make the keys of a cluster: FILE (all roles) and FILE.dispatcher, FILE.scheduler, FILE.worker, "
               "FILE.browser", _setup_keygen),
    "demo": ("the whole system on one machine: migrations between processes and workers", _setup_demo),
    "plugins": ("the installed plugins and what each declares (schemes, default URL...)", _setup_plugins),
    "pubsub": ("the embedded broker for one machine (of the default pub/sub plugin)", _setup_pubsub),
    "simulate": ("compare placement policies on a simulated fleet (no processes)", _setup_simulate),
    "conformance": ("conformance suites for plugins", _setup_conformance),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with ``command``, only that one is filled in (argparse builds
    a parser object per subcommand: a tenth of a second of start-up for all of them)."""
    p = argparse.ArgumentParser(prog="things", description="Run and live-migrate JavaScript programs.",
                                epilog="exit codes: 0 ok, 1 failed, 2 usage, 3 unreachable, 4 incomplete, "
                                "130 interrupted (README: Exit codes)")
    p.add_argument("--version", action=_Version)
    _cluster_flags(p, list(CLUSTER_FLAGS))
    sub = p.add_subparsers(dest="command", required=True)
    for name, (text, setup) in COMMANDS.items():
        parser = sub.add_parser(name, help=text)
        if command is None or command == name:
            setup(parser)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _quiet_libraries()
    # Everything after the first `--` belongs to the program (`things exec app.js --every 3 -- a b`).
    tail: list[str] | None = None
    if "--" in argv:
        cut = argv.index("--")
        argv, tail = argv[:cut], argv[cut + 1:]
    parser = build_parser(_command_in(argv))
    args = parser.parse_args(argv)
    _fill_cluster_flags(args, parser)
    if tail is not None:
        if not hasattr(args, "args"):
            parser.error("arguments after -- are only for exec and dispatch run")
        args.args = [*(args.args or []), *tail]
    if getattr(args, "metrics_port", None):  # read by hook plugins (the Prometheus exporter) where they start
        os.environ["THINGS_METRICS_PORT"] = args.metrics_port
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one line and an exit code, never a traceback (THINGS_DEBUG=1 shows it)
        if os.environ.get("THINGS_DEBUG"):
            raise
        from thingscore.errors import explain

        error = explain(exc)
        print(error.line(args.command), file=sys.stderr, flush=True)
        return int(error.code)


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand typed (past the top-level flags and their values); None when unsure,
    and then every command's parser is built, for help and for argparse's own errors."""
    takes_value = set(CLUSTER_FLAGS)
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token.startswith("-"):
            if token in ("-h", "--help"):
                return None
            skip = token in takes_value
            continue
        return token if token in COMMANDS else None
    return None


def _quiet_libraries() -> None:
    """Warnings meant for the authors of the libraries we use (deprecations) are not the
    user's business: keep stderr for things' own messages. ``-W``/PYTHONWARNINGS still win."""
    if not sys.warnoptions:
        import warnings

        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", PendingDeprecationWarning)


if __name__ == "__main__":
    sys.exit(main())
