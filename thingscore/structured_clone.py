"""Structured clones as text, from Python: what a page (or a test, or a bridge) posts to a
program written as a Web Worker, and reads from its ``postMessage``.

The format is jsruntime/structured_clone.js's (JSON; a value that is not a JSON scalar is an
array whose first element is a tag). Python's values map to JavaScript's as JSON's do (dict:
a plain object, list: an array, None: null), float NaN/infinities and -0.0 included. Reading,
every JavaScript value has a Python one: undefined and null are None, Map a dict (a list of
pairs when its keys are not hashable), Set a list, Date a timezone-aware datetime, BigInt an
int, ArrayBuffer bytes, typed arrays and DataView the bytes they view, RegExp
``{"source", "flags"}``, Error ``{"name", "message"}``; shared references stay shared.
"""

from __future__ import annotations

import base64
import json
import math
from datetime import UTC, datetime
from typing import Any

#: (typed array name, bytes per element) for the views a message may hold
_ITEM_SIZES = {"Int8Array": 1, "Uint8Array": 1, "Uint8ClampedArray": 1, "Int16Array": 2, "Uint16Array": 2,
               "Int32Array": 4, "Uint32Array": 4, "Float32Array": 4, "Float64Array": 8, "BigInt64Array": 8,
               "BigUint64Array": 8}


class MalformedClone(ValueError):
    """A text that is not a structured clone."""


def _number(x: float) -> Any:
    if math.isnan(x):
        return ["n", "NaN"]
    if math.isinf(x):
        return ["n", "Infinity" if x > 0 else "-Infinity"]
    if x == 0 and math.copysign(1.0, x) < 0:
        return ["n", "-0"]
    return x


def serialize(value: Any) -> str:
    """The structured clone of a JSON-like Python value, as text (ValueError for others)."""
    seen: dict[int, int] = {}

    def enc(v: Any) -> Any:
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, int):
            return v if abs(v) <= 2**53 else ["b", str(v)]
        if isinstance(v, float):
            return _number(v)
        if id(v) in seen:
            return ["r", seen[id(v)]]
        if isinstance(v, (list, tuple)):
            seen[id(v)] = len(seen)
            return ["A", len(v), [[str(i), enc(x)] for i, x in enumerate(v)]]
        if isinstance(v, dict):
            seen[id(v)] = len(seen)
            return ["O", [[str(k), enc(x)] for k, x in v.items()]]
        if isinstance(v, (bytes, bytearray)):
            seen[id(v)] = len(seen)
            return ["B", base64.b64encode(bytes(v)).decode("ascii")]
        raise ValueError(f"cannot post a {type(v).__name__} (JSON-like values only)")

    return json.dumps(enc(value), ensure_ascii=False, separators=(",", ":"))


def deserialize(text: str | bytes) -> Any:
    """The Python value a structured clone text stands for (MalformedClone when it is not one)."""
    try:
        tree = json.loads(text)
    except ValueError as exc:
        raise MalformedClone("not JSON") from exc
    objs: list[Any] = []

    def num(x: Any) -> float:
        if isinstance(x, (int, float)) and not isinstance(x, bool):
            return x
        special = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf, "-0": -0.0}
        if isinstance(x, list) and len(x) == 2 and x[0] == "n" and x[1] in special:
            return special[x[1]]
        raise MalformedClone("bad number")

    def dec(x: Any) -> Any:
        if x is None or isinstance(x, (bool, str, int, float)):
            return x
        if not isinstance(x, list) or not x or not isinstance(x[0], str):
            raise MalformedClone("bad value")
        tag = x[0]
        try:
            if tag == "u":
                return None
            if tag == "n":
                return num(x)
            if tag == "b":
                return int(x[1])
            if tag == "r":
                return objs[x[1]]
            if tag == "A":
                out: list[Any] = [None] * int(x[1])
                objs.append(out)
                for key, v in x[2]:
                    if key.isdigit() and int(key) < len(out):
                        out[int(key)] = dec(v)
                    else:
                        dec(v)  # (an array's extra properties have no place in a Python list)
                return out
            if tag == "O":
                obj: dict[str, Any] = {}
                objs.append(obj)
                for key, v in x[1]:
                    obj[str(key)] = dec(v)
                return obj
            if tag == "D":
                ms = num(x[1])
                value = None if math.isnan(ms) else datetime.fromtimestamp(ms / 1000, UTC)
                objs.append(value)
                return value
            if tag == "R":
                objs.append({"source": x[1], "flags": x[2]})
                return objs[-1]
            if tag == "W":
                inner = {"Boolean": bool, "Number": num, "String": str, "BigInt": int}[x[1]](x[2])
                objs.append(inner)
                return inner
            if tag == "B":
                raw = base64.b64decode(x[1], validate=True)
                objs.append(raw)
                return raw
            if tag in ("V", "T"):
                slot = len(objs)
                objs.append(None)
                buf = dec(x[1] if tag == "V" else x[2])
                if not isinstance(buf, bytes):
                    raise MalformedClone("bad buffer")
                if tag == "V":
                    view = buf[x[2]:x[2] + x[3]]
                else:
                    size = _ITEM_SIZES[x[1]]
                    view = buf[x[3]:x[3] + x[4] * size]
                objs[slot] = view
                return view
            if tag == "M":
                pairs: list[list[Any]] = []
                holder: dict[Any, Any] = {}
                objs.append(holder)
                for k, v in x[1]:
                    pairs.append([dec(k), dec(v)])
                try:
                    holder.update((k, v) for k, v in pairs)
                    return holder
                except TypeError:
                    return pairs
            if tag == "S":
                items: list[Any] = []
                objs.append(items)
                items.extend(dec(v) for v in x[1])
                return items
            if tag == "E":
                err = {"name": x[1], "message": x[2] or ""}
                objs.append(err)
                if len(x) > 4:
                    err["cause"] = dec(x[4])
                return err
        except (IndexError, KeyError, TypeError, ValueError) as exc:
            raise MalformedClone(f"bad {tag!r} value") from exc
        raise MalformedClone(f"unknown tag {tag!r}")

    return dec(tree)
