"""``things pubsub``: the embedded broker that makes one machine a whole system.

The broker is a pub/sub plugin's: one that declares the "serve_broker" capability and
implements ``serve_broker`` (see :class:`thingscore.pubsub.PubSub`). ``--backend NAME``
picks it; without one, the default pub/sub plugin's broker runs (the one workers use when
nothing is configured). ``--port`` defaults to the plugin's ``broker_port``. Prints
``things pubsub: <what runs where>`` with the URL clients use on its first line of output,
then runs until SIGINT or SIGTERM (exit 0).

Options of one broker only (``--curve-keys``, ``--curve-clients``) are passed to the plugin
when it declares them in ``broker_options`` and refused otherwise; each also comes from
``THINGS_PUBSUB_<OPTION>`` (``THINGS_PUBSUB_CURVE_KEYS``), so that a service definition can
set it without a command line.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable

from thingscore import plugins
from thingscore.pubsub import PubSubError

#: Options of ``things pubsub`` that belong to some broker plugin, not to the command.
BROKER_OPTIONS = ("curve_keys", "curve_clients")


def broker_plugins() -> list[str]:
    """Names of the installed pub/sub plugins that can serve a broker."""
    return [d.name for d in plugins.declarations("pubsub")
            if "serve_broker" in getattr(plugins.load_class("pubsub", d.name), "capabilities", ())]


def _default_backend() -> str:
    default = plugins.default_name("pubsub")
    serving = broker_plugins()
    if default in serving or not serving:
        return default
    return serving[0]


def run(args: argparse.Namespace) -> int:
    host = getattr(args, "host", None) or "127.0.0.1"
    options = {opt: value for opt in BROKER_OPTIONS
               if (value := getattr(args, opt, None) or os.environ.get(f"THINGS_PUBSUB_{opt.upper()}"))}
    try:
        backend = getattr(args, "backend", None) or _default_backend()
        cls = plugins.load_class("pubsub", backend)
    except plugins.PluginNotFound as exc:
        print(f"things pubsub: {exc}", file=sys.stderr)
        return 2
    if "serve_broker" not in getattr(cls, "capabilities", ()):
        print(f"things pubsub: the {backend} pub/sub plugin serves no broker (those that do: "
              f"{', '.join(broker_plugins()) or 'none'})", file=sys.stderr)
        return 2
    taken = tuple(getattr(cls, "broker_options", ()))
    unknown = [opt for opt in options if opt not in taken]
    if unknown:
        flags = ", ".join("--" + opt.replace("_", "-") for opt in unknown)
        takers = [n for n in broker_plugins() if set(unknown) <= set(getattr(plugins.load_class("pubsub", n),
                                                                             "broker_options", ()))]
        print(f"things pubsub: the {backend} broker takes no {flags} (brokers that do: {', '.join(takers) or 'none'})",
              file=sys.stderr)
        return 2
    port = getattr(args, "port", None) or getattr(cls, "broker_port", None)
    if not port:
        print(f"things pubsub: the {backend} broker has no default port: give --port", file=sys.stderr)
        return 2
    try:
        broker = cls.serve_broker(host, int(port), options)
    except PubSubError as exc:  # a key file that is not one, a --port already taken: what was typed cannot work
        print(f"things pubsub: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a key file that cannot be read or written
        print(f"things pubsub: {exc}", file=sys.stderr)
        return 1
    print(f"things pubsub: {broker.description}", flush=True)
    for note in broker.notes:
        print(f"things pubsub: {note}", flush=True)
    _on_signals(broker.stop)
    return broker.serve_forever()


def _on_signals(stop: Callable[[], None]) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop())
