"""Classes: constructors, `super`, private names and their declarations, field initializers.

Part of the early-error checker (see :mod:`plugins.parsers.early_errors`): one mixin of
:class:`~plugins.parsers.early_errors.Checker`, which walks the tree.
"""

from __future__ import annotations

from .common import _NOT_CALLEE, Node, _Fn, _identifier_name, _key_name, _line_break_next, _Scope


class ClassRules:
    # -- classes ---------------------------------------------------------------------------

    def v_ClassExpression(self, node: Node) -> None:
        if node["id"] is not None:
            outer = self.strict
            self.strict = True
            try:
                self.binding_identifier(node["id"])
            finally:
                self.strict = outer
        self.class_(node)

    def class_(self, node: Node) -> None:
        outer = self.strict
        self.strict = True
        declared: dict[str, str] = {}
        used: list[Node] = []
        if node["superClass"] is not None:  # in the enclosing private environment
            try:
                self.operand(node["superClass"], _NOT_CALLEE)
                self.visit(node["superClass"])
            finally:
                self.strict = outer
            self.strict = True
        self.classes.append((declared, used))
        try:
            derived = node["superClass"] is not None
            members = node["body"]["body"]
            constructors = 0
            for m in members:
                key = m.get("key")
                if key is not None and key["type"] == "PrivateIdentifier":
                    self.private_declaration(m, key, declared)
                elif key is not None and not m["computed"]:
                    self.property_name(key)
                if m["type"] == "MethodDefinition" and not m["computed"] and _key_name(key) is not None:
                    name = _key_name(key)
                    if m["kind"] == "constructor":
                        constructors += 1
                        if constructors > 1:
                            self.fail("A class may only have one constructor", key)
                        if m["value"]["generator"]:
                            self.fail("Class constructor may not be a generator", key)
                        if m["value"]["async"]:
                            self.fail("Class constructor may not be an async method", key)
                    elif name == "constructor" and not m["static"]:
                        self.fail("Class constructor may not be an accessor", key)
                    elif name == "prototype" and m["static"]:
                        self.fail("Classes may not have static property named prototype", key)
                elif m["type"] == "PropertyDefinition" and not m["computed"]:
                    name = _key_name(key)
                    if name == "constructor" or (name == "prototype" and m["static"]):
                        self.fail(f"Classes may not have a field named '{name}'", key)
            for m in members:
                t = m["type"]
                if t == "MethodDefinition":
                    self.method_head(m)
                    if m["computed"] or m["key"]["type"] == "Literal":
                        self.visit(m["key"])
                    self.accessor_params(m)
                    self.function(m["value"], "method", super_call=derived and m["kind"] == "constructor")
                elif t == "PropertyDefinition":
                    if m["computed"] or m["key"]["type"] == "Literal":
                        self.visit(m["key"])
                    if m["value"] is not None:
                        self.initializer(m["value"])
                else:
                    self.visit(m)
        finally:
            self.strict = outer
            self.classes.pop()
        for ref in used:
            if ref["name"] not in declared:
                if self.classes:
                    self.classes[-1][1].append(ref)
                else:
                    self.fail(f"Private field '#{ref['name']}' must be declared in an enclosing class", ref)

    def property_name(self, key: Node) -> None:
        """A property name spelled with escapes must still be an IdentifierName
        (``this.\\u0023x`` is not ``this.#x``)."""
        if key["type"] == "Identifier" and key["end"] - key["start"] != len(key["name"]) \
                and not _identifier_name(key["name"]):
            self.fail("Invalid Unicode escape sequence", key)

    def private_name(self, key: Node) -> None:
        name = key["name"]
        # (non-ASCII: only the start is checked, Python's Unicode tables lag ECMAScript's)
        if not name or not (_identifier_name(name) if name.isascii() else name[0] not in "\u200c\u200d"):
            self.fail("Invalid or unexpected token", key)

    def private_declaration(self, member: Node, key: Node, declared: dict[str, str]) -> None:
        self.private_name(key)
        name = key["name"]
        if name == "constructor":
            self.fail("Classes may not have a private field named '#constructor'", key)
        kind = member.get("kind") or "field"
        kind = ("static " if member["static"] else "") + (kind if kind in ("get", "set") else "field")
        prior = declared.get(name)
        if prior is not None:
            pair = {prior, kind}
            if pair not in ({"get", "set"}, {"static get", "static set"}):
                self.fail(f"Identifier '#{name}' has already been declared", key)
            kind = "pair"
        declared[name] = kind

    def initializer(self, value: Node) -> None:
        outer_fn, outer_scope = self.fn, self.scope
        self.fn = _Fn("field", False, False, True, False, True, True)
        self.scope = _Scope(None, "function")
        try:
            self.visit(value)
        finally:
            self.fn, self.scope = outer_fn, outer_scope

    def method_head(self, member: Node) -> None:
        """``async`` and the method's name on one line (``async\nfoo() {}`` is an error)."""
        if member["value"]["async"]:
            at = self.source.find("async", member["start"], member["key"]["start"])
            if at >= 0 and _line_break_next(self.source, at + 5):
                self.fail("Unexpected token", member["key"])

    def accessor_params(self, member: Node) -> None:
        kind = member["kind"]
        params = member["value"]["params"]
        if kind == "get" and params:
            self.fail("Getter must not have any formal parameters.", member["value"])
        if kind == "set" and (len(params) != 1 or params[0]["type"] == "RestElement"):
            self.fail("Setter must have exactly one formal parameter.", member["value"])

    def private_reference(self, ident: Node) -> None:
        if not self.classes:
            self.fail(f"Private field '#{ident['name']}' must be declared in an enclosing class", ident)
        self.classes[-1][1].append(ident)
