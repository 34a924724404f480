"""Structural comparison of two ESTree values, reporting the path of the first difference.

Every field counts, ranges and ``loc`` included; the only normalizations are the ones JSON
forces on the acorn side (see tests/js/acorn_dump.js): non-finite numbers are
``{"$nonfinite": ...}``, and ``1`` equals ``1.0`` because JavaScript has one number type.
"""

from __future__ import annotations

import math
from typing import Any


def _scalar_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)  # JSON may print a big double as an integer
    return type(a) is type(b) and a == b


def _normalize(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return {"$nonfinite": "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")}
    if isinstance(value, tuple):
        return list(value)
    return value


def _short(value: Any) -> str:
    if isinstance(value, dict):
        kind = value.get("type")
        return f"<{kind} node>" if kind else "{" + ", ".join(sorted(value)) + "}"
    if isinstance(value, list):
        return f"[{len(value)} items]"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def first_difference(ours: Any, theirs: Any, path: str = "") -> str | None:
    """``None`` if equal, else ``"path: ours != theirs"`` for the first differing field."""
    ours = _normalize(ours)
    if isinstance(theirs, dict) and isinstance(ours, dict):
        for key in theirs:
            if key not in ours:
                return f"{path}.{key}: missing (acorn has {_short(theirs[key])})".lstrip(".")
        for key in ours:
            if key not in theirs:
                return f"{path}.{key}: extra field {_short(ours[key])} (not in acorn)".lstrip(".")
        # type first, then positions, then children: the most useful report comes first
        keys = sorted(theirs, key=lambda k: (k != "type", k not in ("start", "end"), k))
        for key in keys:
            diff = first_difference(ours[key], theirs[key], f"{path}.{key}")
            if diff is not None:
                return diff
        return None
    if isinstance(theirs, list) and isinstance(ours, list):
        for i, (a, b) in enumerate(zip(ours, theirs, strict=False)):
            diff = first_difference(a, b, f"{path}[{i}]")
            if diff is not None:
                return diff
        if len(ours) != len(theirs):
            return f"{path}: {len(ours)} items != {len(theirs)} in acorn".lstrip(".")
        return None
    if isinstance(theirs, (dict, list)) or isinstance(ours, (dict, list)):
        return f"{path}: {_short(ours)} != {_short(theirs)} in acorn".lstrip(".")
    if not _scalar_equal(ours, theirs):
        return f"{path}: {_short(ours)} != {_short(theirs)} in acorn".lstrip(".")
    return None


def comments_as_dicts(comments: list[Any]) -> list[dict[str, Any]]:
    return [{"type": c.type, "value": c.value, "start": c.start, "end": c.end} for c in comments]
