"""The static half of linking an ES module graph: what each exported name resolves to.

Node links every module of a program before it runs any of them, and refuses the program
(a SyntaxError) when an import names an export that does not exist or that two
``export *`` provide differently. The graph is known when instrumenting, so the
instrumenter answers those questions the same way (the spec's ResolveExport): it refuses
such a program with ``file:line:col``, and it tells the runtime which names each module's
``export *`` provides (ambiguous ones are left out of the module's namespace). Modules that
are not ES modules (CommonJS, built-ins) have names only at run time: a star export of one
is resolved by the runtime, and imports from one are not checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .esm import ModuleFacts

UNKNOWN = "unknown"  # an export of a module that is not an ES module
AMBIGUOUS = "ambiguous"


@dataclass
class LinkModule:
    """What linking needs of one module: its facts (None: not an ES module) and targets."""

    mid: str
    facts: ModuleFacts | None
    requests: list[str]  # request index -> module id (or "node:NAME")


Binding = tuple[str, str, Any]  # (module id, "l" | "n", arrow index | request index)


class Linker:
    """Export resolution over a module graph (cycles and deep re-export chains included)."""

    def __init__(self, modules: list[LinkModule]) -> None:
        self.by_id = {m.mid: m for m in modules}

    def resolve(self, mid: str, name: str, seen: frozenset[tuple[str, str]] = frozenset()
                ) -> Binding | str | None:
        """The binding ``name`` of module ``mid`` resolves to; ``AMBIGUOUS``; ``UNKNOWN``
        (somewhere a module that is not an ES module); None (no such export)."""
        m = self.by_id.get(mid)
        if m is None or m.facts is None:
            return UNKNOWN
        if (mid, name) in seen:
            return None  # a circular import request resolves to nothing
        seen = seen | {(mid, name)}
        e = m.facts.exports.get(name)
        if e is not None:
            if e[0] == "i":
                return self.resolve(m.requests[e[1]], e[2], seen)
            return (mid, e[0], e[1])
        if name == "default":
            return None  # `export *` never provides a default
        star: Binding | None = None
        for k in m.facts.stars:
            r = self.resolve(m.requests[k], name, seen)
            if r == AMBIGUOUS or r == UNKNOWN:
                return r
            if r is None:
                continue
            assert isinstance(r, tuple)
            if star is None:
                star = r
            elif star != r:
                return AMBIGUOUS
        return star

    def export_names(self, mid: str, seen: frozenset[str] = frozenset()) -> list[str]:
        """Every name the module exports (its own and through `export *`), before resolution."""
        m = self.by_id.get(mid)
        if m is None or m.facts is None or mid in seen:
            return []
        names = list(m.facts.exports)
        for k in m.facts.stars:
            for n in self.export_names(m.requests[k], seen | {mid}):
                if n != "default" and n not in names:
                    names.append(n)
        return names

    def star_names(self, mid: str) -> tuple[dict[str, int], list[int]]:
        """For module ``mid``: each name its `export *` provides unambiguously, with the request
        that provides it; and the star requests whose names only the runtime can know."""
        m = self.by_id[mid]
        assert m.facts is not None
        provided: dict[str, int] = {}
        dynamic: list[int] = []
        for k in m.facts.stars:
            target = self.by_id.get(m.requests[k])
            if target is None or target.facts is None:
                dynamic.append(k)
                continue
            for name in self.export_names(target.mid):
                if name == "default" or name in m.facts.exports or name in provided:
                    continue
                r = self.resolve(mid, name)
                if isinstance(r, tuple) or r == UNKNOWN:  # (another star's names are the runtime's)
                    provided[name] = self._provider(m, name, r, k)
        return provided, dynamic

    def _provider(self, m: LinkModule, name: str, binding: Binding | str, first: int) -> int:
        """The star request through which ``name`` resolves to ``binding``: not the first that
        lists the name when that one's leads back in a cycle (it resolves to nothing there)."""
        assert m.facts is not None
        seen = frozenset({(m.mid, name)})
        for k in m.facts.stars:
            if self.resolve(m.requests[k], name, seen) == binding:
                return k
        return first
