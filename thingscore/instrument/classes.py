"""Classes in restore mode: instances made without running user code, private state
readable and writable from outside.

Restore builds an instance of a class with private members by constructing it with
``$T$.r`` set: constructors return at once and field initializers yield undefined,
so no user code runs; the private values are then written through accessors that
an injected static block registers (only code inside the class can touch #names).
Static initializers and static blocks are skipped the same way when a restored
class is re-evaluated.
"""

from __future__ import annotations

from .edits import EditList
from .runtime_names import PREFIX, RT
from .syntax import CLASS_TYPES, FUNCTION_TYPES, Node


def computed_keys(node: Node) -> list[Node]:
    """The computed keys of a class's members, in order (their values are recorded when the
    class is defined: its restore factory is given them instead of evaluating them again)."""
    return [m["key"] for m in node["body"]["body"]
            if m.get("computed") and m.get("key") is not None and m["key"]["type"] != "PrivateIdentifier"]


def instrument_class(edits: EditList, source: str, node: Node, depth: int) -> None:
    """Add the restore-mode guards and the private-state accessors to class ``node``, and
    record its computed keys as they are evaluated (``$T$.ck(key)``)."""
    body = node["body"]
    members = body["body"]
    d = depth + 1.5
    for key in computed_keys(node):
        edits.open(key["start"], f"{RT}.ck(", depth + 2.75)
        edits.close(key["end"], ")", depth + 2.75)
    inst_fields: list[str] = []
    static_fields: list[str] = []
    brand: str | None = None  # a private instance name: `#brand in o` tells instances apart
    for m in members:
        key = m.get("key")
        if m["type"] == "PropertyDefinition":
            value = m.get("value")
            # Making a function runs no user code; and a guard would cost it its inferred name.
            if value is not None and value["type"] not in (*FUNCTION_TYPES, *CLASS_TYPES):
                edits.open(value["start"], f"({RT}.r ? void 0 : (", depth + 2.5)
                edits.close(value["end"], "))", depth + 2.5)
            if key is not None and key["type"] == "PrivateIdentifier":
                (static_fields if m.get("static") else inst_fields).append(key["name"])
                if not m.get("static") and brand is None:
                    brand = key["name"]
        elif m["type"] == "MethodDefinition":
            if key is not None and key["type"] == "PrivateIdentifier" and not m.get("static") and brand is None:
                brand = key["name"]
            if m.get("kind") == "constructor":
                cbody = m["value"]["body"]
                guard = (f"if ({RT}.r) {{ super(...{RT}.ra); return; }}" if node.get("superClass") is not None
                         else f"if ({RT}.r) return;")
                edits.open(cbody["start"] + 1, guard, -0.9)
        elif m["type"] == "StaticBlock" and m["body"]:  # (an empty one has nothing to guard)
            pos = source.index("{", m["start"]) + 1
            edits.open(pos, f"if (!{RT}.r) {{", -0.75)
            edits.close(m["end"] - 1, "}", -0.75)
    if brand is None and not static_fields:
        return
    inst = "null"
    if brand is not None:
        o, v = f"{PREFIX}o", f"{PREFIX}v"
        reads = ", ".join(f"{o}.#{n}" for n in inst_fields)
        writes = " ".join(f"{o}.#{n} = {v}[{i}];" for i, n in enumerate(inst_fields))
        inst = f"[({o}) => #{brand} in {o} ? [{reads}] : void 0, ({o}, {v}) => {{ {writes} }}]"
    stat = "null"
    if static_fields:
        o, v = f"{PREFIX}o", f"{PREFIX}v"
        reads = ", ".join(f"{o}.#{n}" for n in static_fields)
        writes = " ".join(f"{o}.#{n} = {v}[{i}];" for i, n in enumerate(static_fields))
        stat = f"[({o}) => [{reads}], ({o}, {v}) => {{ {writes} }}]"
    edits.open(body["start"] + 1, f"static {{ {RT}.pv(this, {inst}, {stat}); }}", d)
