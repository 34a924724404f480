"""Module items: imports, exports and the names they bind.

Part of the early-error checker (see :mod:`plugins.parsers.early_errors`): one mixin of
:class:`~plugins.parsers.early_errors.Checker`, which walks the tree.
"""

from __future__ import annotations

from .common import _LONE_SURROGATE, Node, _bound_names, _key_name


class ModuleRules:
    # -- modules ---------------------------------------------------------------------------

    def v_ImportDeclaration(self, node: Node) -> None:
        self.module_item(node)
        for spec in node["specifiers"]:
            local = spec["local"]
            self.binding_identifier(local)
            self.declare_lexical(local["name"], local)
        self.module_names(node)
        self.visit(node["source"])

    def module_item(self, node: Node) -> None:
        if not self.module or node is not self.top_item:
            self.fail("Unexpected token", node)

    def attribute_keys(self, node: Node) -> None:
        seen: set[str] = set()
        for attr in node.get("attributes") or ():
            key = _key_name(attr["key"]) or ""
            if key in seen:
                self.fail(f"Import attribute has duplicate key '{key}'", attr)
            seen.add(key)

    def module_names(self, node: Node) -> None:
        self.attribute_keys(node)
        for spec in node.get("specifiers") or ():
            for key in ("imported", "exported", "local"):
                name = spec.get(key)
                if name is not None and name["type"] == "Literal" and _LONE_SURROGATE.search(name["value"]):
                    self.fail("Module names cannot contain lone surrogates", name)
        exported = node.get("exported")
        if exported is not None and exported["type"] == "Literal" and _LONE_SURROGATE.search(exported["value"]):
            self.fail("Module names cannot contain lone surrogates", exported)

    def v_ExportNamedDeclaration(self, node: Node) -> None:
        self.module_item(node)
        self.module_names(node)
        if node["declaration"] is not None:
            self.visit(node["declaration"])
        elif node["source"] is None:
            for spec in node["specifiers"]:
                if spec["local"]["type"] != "Identifier":
                    self.fail("Unexpected string", spec["local"])
                self.identifier_word(spec["local"])

    def v_ExportDefaultDeclaration(self, node: Node) -> None:
        self.module_item(node)
        decl = node["declaration"]
        if decl["type"] == "FunctionDeclaration":
            if decl["id"] is not None:
                self.declare_function(decl)
            self.function(decl)
        elif decl["type"] == "ClassDeclaration":
            self.v_ClassDeclaration(decl)
        elif decl["type"] == "VariableDeclaration":
            self.fail("Unexpected token", decl)
        else:
            if id(decl) not in self.parens:
                self.statement_start(decl["start"], decl, export_default=True)
            self.visit(decl)

    def v_ExportAllDeclaration(self, node: Node) -> None:
        self.module_item(node)
        self.module_names(node)

    def exports(self, body: list[Node]) -> None:
        """Duplicate exports, exports of undeclared names (after the walk declared them all)."""
        seen: set[str] = set()
        top = self.scope

        def export(name: str, node: Node) -> None:
            if name in seen:
                self.fail(f"Duplicate export '{name}'", node)
            seen.add(name)

        for stmt in body:
            t = stmt["type"]
            if t == "ExportDefaultDeclaration":
                export("default", stmt)
            elif t == "ExportAllDeclaration":
                if stmt["exported"] is not None:
                    export(_key_name(stmt["exported"]) or "", stmt["exported"])
            elif t == "ExportNamedDeclaration":
                decl = stmt["declaration"]
                if decl is not None:
                    names: list[Node] = []
                    if decl["type"] == "VariableDeclaration":
                        for d in decl["declarations"]:
                            _bound_names(d["id"], names)
                    elif decl.get("id") is not None:
                        names.append(decl["id"])
                    for ident in names:
                        export(ident["name"], ident)
                for spec in stmt["specifiers"]:
                    export(_key_name(spec["exported"]) or "", spec["exported"])
                    local = spec["local"]
                    if stmt["source"] is None and local["type"] == "Identifier":
                        name = local["name"]
                        if name not in top.lexical and name not in top.var:
                            self.fail(f"Export '{name}' is not defined in module", local)
