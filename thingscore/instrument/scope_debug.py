"""A normalized, JSON-able dump of a scope analysis, for tests and debugging.

The shape is the one ``tests/js/scope_oracle.js`` prints for eslint-scope, so the two can
be compared field by field: every scope in creation (pre-)order with its type, block
range, strictness, variables, references (resolution as ``[scope index, variable
index]``) and through-references; the global scope also lists its implicit globals.
"""

from __future__ import annotations

from typing import Any

from .scope import ScopeManager
from .scope_model import Reference, Scope, Variable


def _flag(ref: Reference) -> str:
    if ref.is_read_write():
        return "rw"
    return "w" if ref.is_write() else "r"


def dump(manager: ScopeManager) -> list[dict[str, Any]]:
    index = {id(s): i for i, s in enumerate(manager.scopes)}

    def var_index(v: Variable) -> list[int]:
        return [index[id(v.scope)], v.scope.variables.index(v)]

    def dump_var(v: Variable) -> dict[str, Any]:
        return {
            "name": v.name,
            "defs": [[d.type, list(d.name["range"]), d.kind] for d in v.defs],
            "ids": [list(i["range"]) for i in v.identifiers],
        }

    def dump_scope(s: Scope) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": s.type,
            "range": list(s.node["range"]),
            "upper": None if s.parent is None else index[id(s.parent)],
            "variableScope": index[id(s.variable_scope)],
            "isStrict": s.is_strict,
            "dynamic": s.dynamic,
            "evalHere": s.direct_call_to_eval,
            "thisFound": s.this_found,
            "variables": [dump_var(v) for v in s.variables],
            "references": [
                {
                    "id": list(r.identifier["range"]),
                    "name": r.identifier["name"],
                    "flag": _flag(r),
                    "init": r.init if r.is_write() else None,
                    "partial": r.partial if r.is_write() else None,
                    "writeExpr": list(r.write_expr["range"]) if r.is_write() and r.write_expr else None,
                    "tainted": r.tainted,
                    "resolved": None if r.resolved is None else var_index(r.resolved),
                }
                for r in s.references
            ],
            "through": [list(r.identifier["range"]) for r in s.through],
        }
        if s.type == "global":
            assert s.implicit is not None
            out["implicit"] = [dump_var(v) for v in s.implicit.variables]
        return out

    return [dump_scope(s) for s in manager.scopes]
