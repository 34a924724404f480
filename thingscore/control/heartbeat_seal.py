"""Opening a worker's heartbeat as a listener (scheduler, dispatcher, another worker) does.

With the cluster's keys a heartbeat counts only when sealed by a worker key: anyone else on
the broker could claim a worker's id, its file system or its leaving. Without keys it is the
plain body (a stray seal stripped)."""

from __future__ import annotations

import json
from typing import Any

from thingscore.security import envelope
from thingscore.security.envelope import Guard, Refused


def unseal(payload: bytes, guard: Guard | None) -> bytes:
    """The heartbeat's body; raises Refused when it is not a worker's (with keys)."""
    if guard is None:
        return envelope.strip(payload)
    opened = guard.open(payload)
    if opened.role != "worker":
        raise Refused(f"a heartbeat signed by a {opened.role} key, not a worker's")
    return opened.body


def body_or_none(payload: bytes, guard: Guard | None) -> dict[str, Any] | None:
    """The heartbeat as a dict, or None for one that is refused or not a JSON object (a
    listener that only looks for something in heartbeats ignores those)."""
    try:
        body = json.loads(unseal(payload, guard))
    except (Refused, ValueError):
        return None
    return body if isinstance(body, dict) else None
