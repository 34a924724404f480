"""The identifiers through which instrumented code reaches the runtime.

``$T$`` is the runtime object itself; every local the instrumenter adds (scope handles
``$T$h<sid>``, dispatcher arguments ``$T$o``/``$T$i``/``$T$x``, the probe flag ``$T$q``)
starts with the same prefix, which is why user programs may not declare names with it.
"""

RT = "$T$"
PREFIX = "$T$"


def handle_var(sid: int) -> str:
    """The variable holding the handle (or identity token) of captured scope ``sid``."""
    return f"{PREFIX}h{sid}"
