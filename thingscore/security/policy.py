"""Which role may ask for what.

A worker starts, moves and stops programs only for the dispatcher or the scheduler. Other
workers may hand it a program during a live migration (``restore``, ``handover``: the code
and the snapshot they name must still carry valid signatures) and ask read-only questions.
The scheduler takes requests from dispatchers (``things app``, ``things dispatch``).

A ``browser`` key commands nothing on the bus: no table below names it. Web pages reach the
cluster through ``things gateway`` only, which checks their key and lets them do what
:data:`GATEWAY_OPS` says, and only to programs they started (the gateway signs the commands
it sends for them with its own dispatcher key).
"""

from __future__ import annotations

OPERATORS = frozenset({"dispatcher", "scheduler"})
ANYONE = frozenset({"dispatcher", "scheduler", "worker"})
BROWSER = "browser"

WORKER_COMMANDS: dict[str, frozenset[str]] = {
    "run": OPERATORS,
    "migrate": OPERATORS,
    "kill": OPERATORS,
    "pause": OPERATORS,
    "resume": OPERATORS,
    "snapshot": OPERATORS,
    "drain": OPERATORS,
    "restore": ANYONE,      # the source worker of a live migration asks the target
    "handover": ANYONE,     # ...and hands it the messages it held
    "ps": ANYONE,
    "info": ANYONE,
    "logs": OPERATORS,      # a program's output is its owner's business
    "replace": ANYONE,      # `things worker --replace`: a new worker of the same id (a worker key) stops the old
}

SCHEDULER_COMMANDS: dict[str, frozenset[str]] = {
    "app-run": OPERATORS, "app-stop": OPERATORS, "app-ls": OPERATORS, "move": OPERATORS,
    "stop": OPERATORS, "drain": OPERATORS, "status": OPERATORS,
}


def allowed(table: dict[str, frozenset[str]], cmd: str, role: str) -> bool:
    return role in table.get(cmd, frozenset())

#: What a page may ask of ``things gateway`` (thingscore/gateway/wire.py), by the role of the
#: key it authenticated with. Everything that names a program applies to the page's own
#: programs only (those started, offloaded or adopted under its key); "workers" lists the
#: workers without their programs.
GATEWAY_OPS: dict[str, frozenset[str]] = {
    op: frozenset({BROWSER, "dispatcher"})
    for op in ("instrument", "run", "offload", "bringBack", "migrate", "post", "ack", "attach", "pause", "resume",
               "terminate", "ps", "workers")
}
