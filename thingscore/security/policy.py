"""Which role may ask for what.

A worker starts, moves and stops programs only for the dispatcher or the scheduler. Other
workers may hand it a program during a live migration (``restore``, ``handover``: the code
and the snapshot they name must still carry valid signatures) and ask read-only questions.
The scheduler takes requests from dispatchers (``things app``, ``things dispatch``).
"""

from __future__ import annotations

OPERATORS = frozenset({"dispatcher", "scheduler"})
ANYONE = frozenset({"dispatcher", "scheduler", "worker"})

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
