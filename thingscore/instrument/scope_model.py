"""Data model of the scope analysis: scopes, variables, references, definitions.

This mirrors eslint-scope 8 (``lib/scope.js``, ``variable.js``, ``reference.js``,
``definition.js``) closely, including its resolution algorithm (``Scope.close``), because
eslint-scope is our test oracle: every quirk we copy is a difference we do not have to
explain. The traversal that builds these objects lives in :mod:`.scope`; the facts the
instrumenter needs on top of eslint-scope's model (``captured``, ``lexical`` and friends)
are filled in there after the traversal.

Nodes are plain ESTree dicts; identity of a node is ``id(node)`` (the manager keeps the
tree alive, so ids cannot be reused while it exists).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .scope import ScopeManager

Node = dict[str, Any]

READ = 0x1
WRITE = 0x2
RW = READ | WRITE

# Definition types (eslint-scope's Variable.* constants).
CATCH_CLAUSE = "CatchClause"
CLASS_NAME = "ClassName"
FUNCTION_NAME = "FunctionName"
IMPLICIT_GLOBAL_VARIABLE = "ImplicitGlobalVariable"
IMPORT_BINDING = "ImportBinding"
PARAMETER = "Parameter"
VARIABLE = "Variable"

# Scope types whose scope is its own ``variable_scope`` (where ``var`` declarations go).
VARIABLE_SCOPE_TYPES = frozenset(
    {"global", "module", "function", "class-field-initializer", "class-static-block"}
)


class Definition:
    """One declaring occurrence of a variable (eslint-scope's Definition).

    ``node`` is the enclosing declaring node (VariableDeclarator, FunctionDeclaration,
    CatchClause, an import specifier...), ``parent`` the statement (VariableDeclaration,
    ImportDeclaration) or None. ``rest`` is only meaningful for parameters.
    """

    __slots__ = ("type", "name", "node", "parent", "index", "kind", "rest")

    def __init__(
        self,
        type: str,
        name: Node,
        node: Node,
        parent: Node | None = None,
        index: int | None = None,
        kind: str | None = None,
        rest: bool = False,
    ) -> None:
        self.type = type
        self.name = name
        self.node = node
        self.parent = parent
        self.index = index
        self.kind = kind
        self.rest = rest

    def __repr__(self) -> str:
        return f"Definition({self.type}, {self.name.get('name')!r}, kind={self.kind})"


class Variable:
    """A binding in one scope, with every definition and every resolved reference.

    ``references`` holds what eslint-scope resolved (empty for uses that went through a
    dynamic scope); ``lexical_references`` holds every reference that binds here by
    lexical scoping alone, which is what capture analysis needs.
    """

    __slots__ = (
        "name",
        "scope",
        "defs",
        "identifiers",
        "references",
        "lexical_references",
        "tainted",
        "stack",
        "captured",
        "annex_b",
    )

    def __init__(self, name: str, scope: Scope) -> None:
        self.name = name
        self.scope = scope
        self.defs: list[Definition] = []
        self.identifiers: list[Node] = []
        self.references: list[Reference] = []
        self.lexical_references: list[Reference] = []
        self.tainted = False
        self.stack = True
        #: Referenced from another activation (a nested function, class field initializer
        #: or static block), or visible to a direct eval: a closure may hold on to it.
        self.captured = False
        #: A sloppy-mode block function's extra ``var`` binding (Annex B.3.3), kept in
        #: ``Scope.annex_b`` of the function scope, outside eslint-scope's model.
        self.annex_b = False

    @property
    def is_implicit(self) -> bool:
        """The automatic ``arguments`` binding of a function has no definition."""
        return not self.defs

    @property
    def is_lexical(self) -> bool:
        """let/const/class bindings: they have a temporal dead zone and block scope."""
        return bool(self.defs) and all(
            d.type == CLASS_NAME or (d.type == VARIABLE and d.kind != "var") for d in self.defs
        )

    def __repr__(self) -> str:
        return f"Variable({self.name!r} in {self.scope.type}@{self.scope.node.get('start')})"


class Reference:
    """One occurrence of an identifier that reads and/or writes a binding."""

    __slots__ = (
        "identifier",
        "from_scope",
        "flag",
        "resolved",
        "lexical",
        "write_expr",
        "partial",
        "init",
        "tainted",
        "maybe_implicit_global",
    )

    def __init__(
        self,
        identifier: Node,
        scope: Scope,
        flag: int,
        write_expr: Node | None,
        maybe_implicit_global: tuple[Node, Node] | None,
        partial: bool,
        init: bool,
    ) -> None:
        self.identifier = identifier
        self.from_scope = scope
        self.flag = flag
        #: What eslint-scope resolves (None through global/with/eval-tainted scopes).
        self.resolved: Variable | None = None
        #: The binding by lexical scoping alone, ignoring the dynamism of global, ``with``
        #: and direct eval (None for a name declared nowhere). Set after the analysis.
        self.lexical: Variable | None = None
        self.tainted = False
        self.maybe_implicit_global = maybe_implicit_global
        if flag & WRITE:
            self.write_expr: Node | None = write_expr
            self.partial: bool | None = partial
            self.init: bool | None = init
        else:
            self.write_expr = None
            self.partial = None
            self.init = None

    @property
    def name(self) -> str:
        return self.identifier["name"]

    def is_read(self) -> bool:
        return bool(self.flag & READ)

    def is_write(self) -> bool:
        return bool(self.flag & WRITE)

    def is_read_only(self) -> bool:
        return self.flag == READ

    def is_write_only(self) -> bool:
        return self.flag == WRITE

    def is_read_write(self) -> bool:
        return self.flag == RW

    def is_static(self) -> bool:
        return not self.tainted and self.resolved is not None and not self.resolved.scope.dynamic

    def __repr__(self) -> str:
        return f"Reference({self.name!r}@{self.identifier.get('start')}, flag={self.flag})"


def _is_strict_scope(scope: Scope, block: Node, is_method_definition: bool) -> bool:
    """eslint-scope's isStrictScope: inherited, implied by classes/modules, or a directive."""
    upper = scope.parent
    if upper is not None and upper.is_strict:
        return True
    if is_method_definition:
        return True
    stype = scope.type
    if stype == "class" or stype == "module":
        return True
    if stype == "block" or stype == "switch":
        return False
    if stype == "function":
        btype = block["type"]
        if btype == "ArrowFunctionExpression" and block["body"]["type"] != "BlockStatement":
            return False
        body = block if btype == "Program" else block.get("body")
        if not body:
            return False
    elif stype == "global":
        body = block
    else:
        return False
    for stmt in body["body"]:
        directive = stmt.get("directive")
        if not isinstance(directive, str):
            break
        if directive == "use strict":
            return True
    return False


def _should_be_statically(d: Definition) -> bool:
    return d.type == CLASS_NAME or (d.type == VARIABLE and d.parent is not None and d.parent["kind"] != "var")


class ImplicitGlobals:
    """Names assigned without declaration in sloppy code (eslint-scope's ``implicit``)."""

    __slots__ = ("set", "variables", "left")

    def __init__(self) -> None:
        self.set: dict[str, Variable] = {}
        self.variables: list[Variable] = []
        self.left: list[Reference] = []


class Scope:
    """A lexical scope, eslint-scope style. Equality is identity.

    ``node`` is eslint-scope's ``block`` and ``parent`` its ``upper``. ``function_node`` is
    the node of the activation (a function call, the program, a class field initializer
    or static block) whose frame holds this scope's bindings at run time; it decides
    whether a use of a variable is a closure capture. A function-expression-name scope
    belongs to its function expression (the name binding is created per closure, so uses
    from the function's own body are no captures).
    """

    __slots__ = (
        "type",
        "node",
        "parent",
        "children",
        "variables",
        "set",
        "taints",
        "references",
        "through",
        "variable_scope",
        "is_strict",
        "dynamic",
        "function_node",
        "function_expression_scope",
        "direct_call_to_eval",
        "this_found",
        "implicit",
        "annex_b",
        "captured",
        "this_captured",
        "arguments_captured",
        "new_target_captured",
        "super_captured",
        "_left",
        "_manager",
    )

    def __init__(
        self,
        manager: ScopeManager,
        type: str,
        upper: Scope | None,
        block: Node,
        is_method_definition: bool = False,
    ) -> None:
        self.type = type
        self.node = block
        self.parent = upper
        self.children: list[Scope] = []
        self.variables: list[Variable] = []
        self.set: dict[str, Variable] = {}
        self.taints: dict[str, bool] = {}
        self.references: list[Reference] = []
        self.through: list[Reference] = []
        self.dynamic = type == "global" or type == "with"
        if type in VARIABLE_SCOPE_TYPES:
            self.variable_scope: Scope = self
        else:
            assert upper is not None
            self.variable_scope = upper.variable_scope
        if type in ("function", "class-field-initializer", "class-static-block", "function-expression-name"):
            self.function_node: Node = block
        elif upper is None or type == "module":
            self.function_node = block
        else:
            self.function_node = upper.function_node
        self.function_expression_scope = False
        self.direct_call_to_eval = False
        self.this_found = False
        self.implicit: ImplicitGlobals | None = ImplicitGlobals() if type == "global" else None
        #: Annex B ``var`` bindings of sloppy block functions, by name (see scope._annex_b).
        self.annex_b: dict[str, Variable] | None = None
        self.captured = False
        self.this_captured = False
        self.arguments_captured = False
        self.new_target_captured = False
        self.super_captured = False
        self._left: list[Reference] | None = []
        self._manager = manager
        self.is_strict = _is_strict_scope(self, block, is_method_definition)
        if upper is not None:
            upper.children.append(self)
        manager._register(self)
        if type == "function" and block["type"] != "ArrowFunctionExpression":
            # FunctionDeclarationInstantiation: every non-arrow function has `arguments`.
            self._define_generic("arguments", self.set, self.variables, None, None)
            self.taints["arguments"] = True
        elif type == "function-expression-name":
            self._define(block["id"], Definition(FUNCTION_NAME, block["id"], block))
            self.function_expression_scope = True

    # eslint-scope spelling, for readers who know that API.
    @property
    def block(self) -> Node:
        return self.node

    @property
    def upper(self) -> Scope | None:
        return self.parent

    @property
    def child_scopes(self) -> list[Scope]:
        return self.children

    def is_static(self) -> bool:
        return not self.dynamic

    @property
    def per_iteration(self) -> bool:
        """Each loop iteration gets a fresh copy of this scope's bindings at run time
        (``for (let ...;;)``, ``for (let/const ... in/of ...)``), so closures made in
        different iterations see different variables."""
        if self.type != "for":
            return False
        if self.node["type"] == "ForStatement":
            return self.node["init"]["kind"] == "let"
        return True

    def __repr__(self) -> str:
        return f"Scope({self.type}@{self.node.get('start')})"

    # -- building -------------------------------------------------------------------

    def _define_generic(
        self,
        name: str,
        table: dict[str, Variable],
        variables: list[Variable],
        node: Node | None,
        d: Definition | None,
    ) -> None:
        variable = table.get(name)
        if variable is None:
            variable = Variable(name, self)
            table[name] = variable
            variables.append(variable)
        if d is not None:
            variable.defs.append(d)
            self._manager._add_declared(variable, d.node)
            self._manager._add_declared(variable, d.parent)
        if node is not None:
            variable.identifiers.append(node)
            if table is self.set:
                self._manager._variable_by_ident.setdefault(id(node), variable)

    def _define(self, node: Node | None, d: Definition) -> None:
        if node is not None and node["type"] == "Identifier":
            self._define_generic(node["name"], self.set, self.variables, node, d)

    def _referencing(
        self,
        node: Node | None,
        flag: int = READ,
        write_expr: Node | None = None,
        maybe_implicit_global: tuple[Node, Node] | None = None,
        partial: bool = False,
        init: bool = False,
    ) -> None:
        if node is None or node["type"] != "Identifier" or node["name"] == "super":
            return
        ref = Reference(node, self, flag or READ, write_expr, maybe_implicit_global, partial, init)
        self.references.append(ref)
        assert self._left is not None
        self._left.append(ref)
        self._manager._reference_by_ident.setdefault(id(node), ref)

    def _detect_eval(self) -> None:
        self.direct_call_to_eval = True
        current: Scope | None = self
        while current is not None:
            current.dynamic = True
            current = current.parent

    # -- closing: eslint-scope's resolution ------------------------------------------

    def _is_valid_resolution(self, ref: Reference, variable: Variable) -> bool:
        """Uses in parameter defaults do not see declarations of the function body."""
        if self.type != "function" or self.node["type"] == "Program":
            return True
        body_start = self.node["body"]["range"][0]
        return not (
            variable.scope is self
            and ref.identifier["range"][0] < body_start
            and all(d.name["range"][0] >= body_start for d in variable.defs)
        )

    def _resolve(self, ref: Reference) -> bool:
        variable = self.set.get(ref.identifier["name"])
        if variable is None or not self._is_valid_resolution(ref, variable):
            return False
        variable.references.append(ref)
        variable.stack = variable.stack and ref.from_scope.variable_scope is self.variable_scope
        if ref.tainted:
            variable.tainted = True
            self.taints[variable.name] = True
        ref.resolved = variable
        return True

    def _delegate_to_upper(self, ref: Reference) -> None:
        if self.parent is not None:
            left = self.parent._left
            assert left is not None
            left.append(ref)
        self.through.append(ref)

    def _static_close_ref(self, ref: Reference) -> None:
        if not self._resolve(ref):
            self._delegate_to_upper(ref)

    def _dynamic_close_ref(self, ref: Reference) -> None:
        current: Scope | None = self
        while current is not None:
            current.through.append(ref)
            current = current.parent

    def _global_close_ref(self, ref: Reference) -> None:
        variable = self.set.get(ref.identifier["name"])
        if variable is not None and variable.defs and all(_should_be_statically(d) for d in variable.defs):
            self._static_close_ref(ref)
        else:
            self._dynamic_close_ref(ref)

    def _close(self) -> Scope | None:
        left = self._left
        assert left is not None
        if self.type == "global":
            assert self.implicit is not None
            for ref in left:
                mig = ref.maybe_implicit_global
                if mig is not None and ref.identifier["name"] not in self.set:
                    pattern, node = mig
                    if pattern["type"] == "Identifier":
                        self._define_generic(
                            pattern["name"],
                            self.implicit.set,
                            self.implicit.variables,
                            pattern,
                            Definition(IMPLICIT_GLOBAL_VARIABLE, pattern, node),
                        )
            self.implicit.left = left
        if self.type == "with" and self.dynamic:
            for ref in left:
                ref.tainted = True
                self._delegate_to_upper(ref)
        elif not self.dynamic:
            for ref in left:
                self._static_close_ref(ref)
        elif self.type != "global":
            for ref in left:
                self._dynamic_close_ref(ref)
        else:
            for ref in left:
                self._global_close_ref(ref)
        self._left = None
        return self.parent
