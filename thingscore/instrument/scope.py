"""Scope analysis of JavaScript ESTree trees, in eslint-scope's model.

``analyze(program, source_type)`` returns a :class:`ScopeManager` with every scope,
variable and reference of the program, exactly as eslint-scope 8 would build them with
``{ecmaVersion: latest, impliedStrict: false}`` and ``sourceType`` script / module, or
``nodejsScope: true`` for ``"commonjs"`` (a function scope under the global scope: every
CommonJS file runs inside the module wrapper function). The tests compare our output
with eslint-scope itself on hand-written snippets and on real libraries.

On top of eslint-scope's model we compute what the instrumenter needs to snapshot a
running program without mirroring every write:

* ``Reference.lexical``: the binding by lexical scoping alone. eslint-scope leaves uses
  unresolved when a ``with`` or a direct ``eval`` *might* shadow them at run time; for
  deciding what a closure keeps alive we want the binding it would see otherwise.
* ``Variable.captured`` / ``Scope.captured``: a binding used from another activation
  (a nested function, class field initializer or static block), so it outlives or is
  shared beyond its frame; with a direct eval, everything the eval can see.
* ``Scope.this_captured`` (and arguments / new.target / super): the lexical ``this`` of a
  non-arrow function (or program, field initializer, static block) used by an arrow
  function nested inside it.
* ``ScopeManager.closure_captures(node)``: the outside variables a function or class uses.
* ``Scope.annex_b``: the extra ``var`` binding that a function declared in a block gets
  in sloppy code (Annex B.3.3), which eslint-scope does not model.
* ``Scope.per_iteration``, ``Variable.is_lexical`` (TDZ): loop copies and let/const/class.

The traversal is a port of eslint-scope's Referencer and esrecurse's visitor, run on an
explicit stack of generators (a handler ``yield``s a child node to have it visited
before it resumes), so deeply nested code cannot overflow Python's stack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .scope_model import (
    CATCH_CLAUSE,
    CLASS_NAME,
    FUNCTION_NAME,
    IMPORT_BINDING,
    PARAMETER,
    RW,
    VARIABLE,
    WRITE,
    Definition,
    Node,
    Reference,
    Scope,
    Variable,
)

__all__ = [
    "Definition",
    "Reference",
    "Scope",
    "ScopeManager",
    "Variable",
    "analyze",
]

SOURCE_TYPES = ("script", "module", "commonjs")

# estraverse 5's VisitorKeys: which children esrecurse visits, in which order. Node types
# not listed fall back to every key of the node (esrecurse's "iteration" fallback).
VISITOR_KEYS: dict[str, tuple[str, ...]] = {
    "AssignmentExpression": ("left", "right"),
    "AssignmentPattern": ("left", "right"),
    "ArrayExpression": ("elements",),
    "ArrayPattern": ("elements",),
    "ArrowFunctionExpression": ("params", "body"),
    "AwaitExpression": ("argument",),
    "BlockStatement": ("body",),
    "BinaryExpression": ("left", "right"),
    "BreakStatement": ("label",),
    "CallExpression": ("callee", "arguments"),
    "CatchClause": ("param", "body"),
    "ChainExpression": ("expression",),
    "ClassBody": ("body",),
    "ClassDeclaration": ("id", "superClass", "body"),
    "ClassExpression": ("id", "superClass", "body"),
    "ConditionalExpression": ("test", "consequent", "alternate"),
    "ContinueStatement": ("label",),
    "DebuggerStatement": (),
    "DoWhileStatement": ("body", "test"),
    "EmptyStatement": (),
    "ExportAllDeclaration": ("source",),
    "ExportDefaultDeclaration": ("declaration",),
    "ExportNamedDeclaration": ("declaration", "specifiers", "source"),
    "ExportSpecifier": ("exported", "local"),
    "ExpressionStatement": ("expression",),
    "ForStatement": ("init", "test", "update", "body"),
    "ForInStatement": ("left", "right", "body"),
    "ForOfStatement": ("left", "right", "body"),
    "FunctionDeclaration": ("id", "params", "body"),
    "FunctionExpression": ("id", "params", "body"),
    "Identifier": (),
    "IfStatement": ("test", "consequent", "alternate"),
    # estraverse visits only `source`; we also visit the options argument of
    # `import(x, options)` (acorn >= 8.14), whose identifiers are real uses.
    "ImportExpression": ("source", "options"),
    "ImportDeclaration": ("specifiers", "source"),
    "ImportDefaultSpecifier": ("local",),
    "ImportNamespaceSpecifier": ("local",),
    "ImportSpecifier": ("imported", "local"),
    "Literal": (),
    "LabeledStatement": ("label", "body"),
    "LogicalExpression": ("left", "right"),
    "MemberExpression": ("object", "property"),
    "MetaProperty": ("meta", "property"),
    "MethodDefinition": ("key", "value"),
    "NewExpression": ("callee", "arguments"),
    "ObjectExpression": ("properties",),
    "ObjectPattern": ("properties",),
    "PrivateIdentifier": (),
    "Program": ("body",),
    "Property": ("key", "value"),
    "PropertyDefinition": ("key", "value"),
    "RestElement": ("argument",),
    "ReturnStatement": ("argument",),
    "SequenceExpression": ("expressions",),
    "SpreadElement": ("argument",),
    "StaticBlock": ("body",),
    "Super": (),
    "SwitchStatement": ("discriminant", "cases"),
    "SwitchCase": ("test", "consequent"),
    "TaggedTemplateExpression": ("tag", "quasi"),
    "TemplateElement": (),
    "TemplateLiteral": ("quasis", "expressions"),
    "ThisExpression": (),
    "ThrowStatement": ("argument",),
    "TryStatement": ("block", "handler", "finalizer"),
    "UnaryExpression": ("argument",),
    "UpdateExpression": ("argument",),
    "VariableDeclaration": ("declarations",),
    "VariableDeclarator": ("id", "init"),
    "WhileStatement": ("test", "body"),
    "WithStatement": ("object", "body"),
    "YieldExpression": ("argument",),
}

# What eslint-scope's PatternVisitor.isPattern accepts as an assignment target pattern.
_PATTERN_TYPES = frozenset(
    {"Identifier", "ObjectPattern", "ArrayPattern", "SpreadElement", "RestElement", "AssignmentPattern"}
)

# Scopes that are their own activation for `this`, `super` and `new.target`.
_THIS_PROVIDERS = frozenset({"class-field-initializer", "class-static-block", "module", "global"})
# Scope types that start a new activation (a frame at run time).
_ACTIVATION_TYPES = frozenset({"function", "class-field-initializer", "class-static-block"})


def _is_node(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("type"), str)


def _children(node: Node) -> Iterator[Node]:
    """esrecurse's visitChildren: every child node, in visitor-key order."""
    keys = VISITOR_KEYS.get(node["type"])
    if keys is None:
        keys = tuple(node.keys())
    for key in keys:
        child = node.get(key)
        if not child:
            continue
        if isinstance(child, list):
            for c in child:
                if c and _is_node(c):
                    yield c
        elif _is_node(child):
            yield child


PatternCallback = Callable[[Node, bool, bool, list[Node]], None]


class _PatternVisitor:
    """eslint-scope's PatternVisitor: binding identifiers of a pattern, plus the
    expressions inside it (defaults, computed keys, member objects) that are evaluated
    as ordinary right-hand sides."""

    __slots__ = ("root", "callback", "assignments", "right_hand_nodes", "rest_elements")

    def __init__(self, root: Node, callback: PatternCallback) -> None:
        self.root = root
        self.callback = callback
        self.assignments: list[Node] = []
        self.right_hand_nodes: list[Node] = []
        self.rest_elements: list[Node] = []

    def visit(self, node: Node | None) -> None:
        # Recursion depth is bounded by pattern nesting, which real code keeps shallow.
        if node is None:
            return
        t = node["type"]
        if t == "Identifier":
            rest = self.rest_elements[-1] if self.rest_elements else None
            self.callback(
                node, node is self.root, rest is not None and rest["argument"] is node, self.assignments
            )
        elif t == "Property":
            if node.get("computed"):
                self.right_hand_nodes.append(node["key"])
            self.visit(node["value"])
        elif t == "ArrayPattern" or t == "ArrayExpression":
            for element in node["elements"]:
                self.visit(element)
        elif t == "AssignmentPattern" or t == "AssignmentExpression":
            self.assignments.append(node)
            self.visit(node["left"])
            self.right_hand_nodes.append(node["right"])
            self.assignments.pop()
        elif t == "RestElement":
            self.rest_elements.append(node)
            self.visit(node["argument"])
            self.rest_elements.pop()
        elif t == "MemberExpression":
            if node.get("computed"):
                self.right_hand_nodes.append(node["property"])
            self.right_hand_nodes.append(node["object"])
        elif t == "SpreadElement":
            self.visit(node["argument"])
        elif t == "CallExpression":
            self.right_hand_nodes.extend(a for a in node["arguments"] if a)
            self.visit(node["callee"])
        else:
            for child in _children(node):
                self.visit(child)


class ScopeManager:
    """All scopes of one program, and look-ups from nodes to scopes, references, variables."""

    def __init__(self, program: Node, source_type: str) -> None:
        self.program = program  # keeps the tree (and so every id(node)) alive
        self.source_type = source_type
        self.scopes: list[Scope] = []
        self._global_scope: Scope | None = None
        self._node_to_scopes: dict[int, list[Scope]] = {}
        self._declared: dict[int, list[Variable]] = {}
        self._reference_by_ident: dict[int, Reference] = {}
        self._variable_by_ident: dict[int, Variable] = {}
        self._captures: dict[int, dict[Variable, None]] | None = None
        self.eval_scopes: list[Scope] = []  # the scopes of the direct eval calls (set by analyze)

    # -- called by Scope while building ------------------------------------------------

    def _register(self, scope: Scope) -> None:
        self.scopes.append(scope)
        self._node_to_scopes.setdefault(id(scope.node), []).append(scope)
        if scope.type == "global":
            self._global_scope = scope

    def _add_declared(self, variable: Variable, node: Node | None) -> None:
        if node is None:
            return
        variables = self._declared.setdefault(id(node), [])
        if variable not in variables:
            variables.append(variable)

    # -- queries -------------------------------------------------------------------

    @property
    def global_scope(self) -> Scope:
        """The global scope (``scopes[0]``): the program's first scope, always present."""
        assert self._global_scope is not None, "analysis did not run"
        return self._global_scope

    def acquire(self, node: Node, inner: bool = False) -> Scope | None:
        """The scope ``node`` creates.

        A named function expression creates two scopes (its name scope, then the function
        scope); unlike eslint-scope, which returns the name scope, we skip the
        function-expression-name scope and return the function scope. Otherwise, as
        eslint-scope: the outermost scope of the node (``Program`` gives the global scope,
        a field initializer that is an arrow function gives the class-field-initializer
        scope), or the innermost with ``inner=True``.
        """
        scopes = self._node_to_scopes.get(id(node))
        if not scopes:
            return None
        candidates = [s for s in scopes if s.type != "function-expression-name"]
        if not candidates:
            return None
        return candidates[-1] if inner else candidates[0]

    def acquire_all(self, node: Node) -> list[Scope]:
        """Every scope the node creates, outermost first (empty if none)."""
        return list(self._node_to_scopes.get(id(node), ()))

    def reference_of(self, identifier_node: Node) -> Reference | None:
        """The reference an identifier makes (the first one, when a destructuring default
        makes two writes of the same identifier, as eslint-scope does)."""
        return self._reference_by_ident.get(id(identifier_node))

    def variable_of(self, declaring_identifier_node: Node) -> Variable | None:
        """The variable a declaring identifier defines. A class declaration's name defines
        two (outside and inside the class); this returns the outer one."""
        return self._variable_by_ident.get(id(declaring_identifier_node))

    def declared_variables(self, node: Node) -> list[Variable]:
        """eslint-scope's getDeclaredVariables: variables whose definition node or parent
        statement is ``node``."""
        return list(self._declared.get(id(node), ()))

    def closure_captures(self, node: Node) -> list[Variable]:
        """Variables declared outside the function or class ``node`` that code inside it
        (at any depth) references, in order of first reference in the source.

        Resolution is lexical (``Reference.lexical``): a with/eval that might shadow a name
        does not hide the capture. The node's own bindings (a function expression's or
        class's inner name, parameters, `arguments`) are not captures. Globals that are
        declared in a script's global scope are included; undeclared names are not.
        """
        if self._captures is None:
            self._captures = _compute_captures(self, self.eval_scopes)
        return list(self._captures.get(id(node), ()))


# ---------------------------------------------------------------------------------------
# The Referencer: eslint-scope's traversal.
# ---------------------------------------------------------------------------------------

_Handler = Callable[[Node], "Iterator[Node] | None"]


class _Referencer:
    def __init__(self, manager: ScopeManager) -> None:
        self.manager = manager
        self.current: Scope | None = None
        self.is_inner_method_definition = False
        self.commonjs = manager.source_type == "commonjs"
        self.module = manager.source_type == "module"
        #: (scope, what) for every `this`, `super`, `new.target`: resolved afterwards.
        self.lexical_uses: list[tuple[Scope, str]] = []
        #: The scope of every direct eval call.
        self.eval_scopes: list[Scope] = []
        #: Sloppy-mode function declarations in blocks: candidates for Annex B var bindings.
        self.block_functions: list[tuple[Scope, Node]] = []
        self.handlers: dict[str, _Handler] = {
            "Program": self.program,
            "Identifier": self.identifier,
            "PrivateIdentifier": self.nothing,
            "UpdateExpression": self.update_expression,
            "MemberExpression": self.member_expression,
            "Property": self.property,
            "MethodDefinition": self.property,
            "PropertyDefinition": self.property_definition,
            "StaticBlock": self.static_block,
            "BreakStatement": self.nothing,
            "ContinueStatement": self.nothing,
            "LabeledStatement": self.labeled_statement,
            "ForStatement": self.for_statement,
            "ForInStatement": self.for_in,
            "ForOfStatement": self.for_in,
            "ClassExpression": self.visit_class,
            "ClassDeclaration": self.visit_class,
            "CallExpression": self.call_expression,
            "BlockStatement": self.block_statement,
            "ThisExpression": self.this_expression,
            "Super": self.super_,
            "WithStatement": self.with_statement,
            "VariableDeclaration": self.variable_declaration,
            "SwitchStatement": self.switch_statement,
            "FunctionDeclaration": self.visit_function,
            "FunctionExpression": self.visit_function,
            "ArrowFunctionExpression": self.visit_function,
            "AssignmentExpression": self.assignment_expression,
            "CatchClause": self.catch_clause,
            "ImportDeclaration": self.import_declaration,
            "ExportAllDeclaration": self.export_declaration,
            "ExportDefaultDeclaration": self.export_declaration,
            "ExportNamedDeclaration": self.export_declaration,
            "ExportSpecifier": self.export_specifier,
            "MetaProperty": self.meta_property,
            # Leaves: no children to visit, no generator to make.
            "Literal": self.nothing,
            "TemplateElement": self.nothing,
            "EmptyStatement": self.nothing,
            "DebuggerStatement": self.nothing,
        }

    # -- driver ------------------------------------------------------------------------

    def run(self, root: Node) -> None:
        """Visit ``root`` depth-first without recursion: a stack of handler generators."""
        handlers = self.handlers
        stack: list[Iterator[Node]] = [iter((root,))]
        done = object()
        while stack:
            node = next(stack[-1], done)
            if node is done:
                stack.pop()
                continue
            handler = handlers.get(node["type"])  # type: ignore[index]
            result = _children(node) if handler is None else handler(node)  # type: ignore[arg-type]
            if result is not None:
                stack.append(result)

    # -- scope helpers -------------------------------------------------------------------

    def scope(self) -> Scope:
        assert self.current is not None
        return self.current

    def nest(self, type: str, node: Node, is_method_definition: bool = False) -> Scope:
        scope = Scope(self.manager, type, self.current, node, is_method_definition)
        self.current = scope
        return scope

    def close(self, node: Node) -> None:
        while self.current is not None and self.current.node is node:
            self.current = self.current._close()

    def visit_pattern(self, node: Node | None, callback: PatternCallback) -> list[Node]:
        """Run the pattern visitor; return the right-hand nodes for the caller to visit."""
        if node is None:
            return []
        visitor = _PatternVisitor(node, callback)
        visitor.visit(node)
        return visitor.right_hand_nodes

    def referencing_default_value(
        self,
        pattern: Node,
        assignments: list[Node],
        maybe_implicit_global: tuple[Node, Node] | None,
        init: bool,
    ) -> None:
        scope = self.scope()
        for assignment in assignments:
            scope._referencing(
                pattern,
                WRITE,
                assignment["right"],
                maybe_implicit_global,
                pattern is not assignment["left"],
                init,
            )

    # -- handlers ------------------------------------------------------------------------

    def nothing(self, node: Node) -> None:
        return None

    def program(self, node: Node) -> Iterator[Node]:
        self.nest("global", node)
        if self.commonjs:
            # nodejsScope: the global scope is never strict; the module wrapper may be.
            self.scope().is_strict = False
            self.nest("function", node)
        if self.module:
            self.nest("module", node)
        yield from _children(node)
        self.close(node)

    def identifier(self, node: Node) -> None:
        self.scope()._referencing(node)

    def update_expression(self, node: Node) -> Iterator[Node] | None:
        argument = node["argument"]
        if argument["type"] in _PATTERN_TYPES:
            self.scope()._referencing(argument, RW, None)
            return None
        return _children(node)

    def member_expression(self, node: Node) -> Iterator[Node]:
        yield node["object"]
        if node.get("computed"):
            yield node["property"]

    def property(self, node: Node) -> Iterator[Node]:
        if node.get("computed"):
            yield node["key"]
        is_method = node["type"] == "MethodDefinition"
        previous = self.is_inner_method_definition
        if is_method:
            self.is_inner_method_definition = True
        value = node.get("value")
        if value is not None:
            yield value
        if is_method:
            self.is_inner_method_definition = previous

    def property_definition(self, node: Node) -> Iterator[Node]:
        if node.get("computed"):
            yield node["key"]
        value = node.get("value")
        if value is not None:
            self.nest("class-field-initializer", value, True)
            yield value
            self.close(value)

    def static_block(self, node: Node) -> Iterator[Node]:
        self.nest("class-static-block", node, True)
        yield from _children(node)
        self.close(node)

    def labeled_statement(self, node: Node) -> Iterator[Node]:
        yield node["body"]

    def for_statement(self, node: Node) -> Iterator[Node]:
        # One scope for the loop head; at run time each iteration gets a copy of it.
        init = node.get("init")
        if init is not None and init["type"] == "VariableDeclaration" and init["kind"] != "var":
            self.nest("for", node)
        yield from _children(node)
        self.close(node)

    def for_in(self, node: Node) -> Iterator[Node]:
        left = node["left"]
        is_declaration = left["type"] == "VariableDeclaration"
        if is_declaration and left["kind"] != "var":
            self.nest("for", node)
        right = node["right"]
        if is_declaration:
            yield left

            def declared(pattern: Node, top_level: bool, rest: bool, assignments: list[Node]) -> None:
                self.scope()._referencing(pattern, WRITE, right, None, True, True)

            self.visit_pattern(left["declarations"][0]["id"], declared)
        else:

            def assigned(pattern: Node, top_level: bool, rest: bool, assignments: list[Node]) -> None:
                scope = self.scope()
                mig = None if scope.is_strict else (pattern, node)
                self.referencing_default_value(pattern, assignments, mig, False)
                scope._referencing(pattern, WRITE, right, mig, True, False)

            yield from self.visit_pattern(left, assigned)
        yield right
        yield node["body"]
        self.close(node)

    def visit_class(self, node: Node) -> Iterator[Node]:
        class_id = node.get("id")
        if node["type"] == "ClassDeclaration":
            self.scope()._define(class_id, Definition(CLASS_NAME, class_id, node))  # type: ignore[arg-type]
        self.nest("class", node)
        if class_id is not None:
            self.scope()._define(class_id, Definition(CLASS_NAME, class_id, node))
        if node.get("superClass") is not None:
            yield node["superClass"]
        yield node["body"]
        self.close(node)

    def call_expression(self, node: Node) -> Iterator[Node]:
        callee = node["callee"]
        if callee["type"] == "Identifier" and callee["name"] == "eval":
            # The eval's `var`s land in the variable scope, so that is what turns dynamic.
            scope = self.scope()
            scope.variable_scope._detect_eval()
            self.eval_scopes.append(scope)
        return _children(node)

    def block_statement(self, node: Node) -> Iterator[Node]:
        self.nest("block", node)
        yield from _children(node)
        self.close(node)

    def this_expression(self, node: Node) -> None:
        scope = self.scope()
        scope.variable_scope.this_found = True
        self.lexical_uses.append((scope, "this"))

    def super_(self, node: Node) -> None:
        self.lexical_uses.append((self.scope(), "super"))

    def meta_property(self, node: Node) -> None:
        if node["meta"].get("name") == "new" and node["property"].get("name") == "target":
            self.lexical_uses.append((self.scope(), "new.target"))

    def with_statement(self, node: Node) -> Iterator[Node]:
        yield node["object"]
        self.nest("with", node)
        yield node["body"]
        self.close(node)

    def variable_declaration(self, node: Node) -> Iterator[Node]:
        kind = node["kind"]
        current = self.scope()
        target = current.variable_scope if kind == "var" else current
        for index, decl in enumerate(node["declarations"]):
            init = decl.get("init")

            def declared(
                pattern: Node,
                top_level: bool,
                rest: bool,
                assignments: list[Node],
                decl: Node = decl,
                index: int = index,
                init: Node | None = init,
            ) -> None:
                target._define(pattern, Definition(VARIABLE, pattern, decl, node, index, kind))
                self.referencing_default_value(pattern, assignments, None, True)
                if init is not None:
                    self.scope()._referencing(pattern, WRITE, init, None, not top_level, True)

            yield from self.visit_pattern(decl["id"], declared)
            if init is not None:
                yield init

    def switch_statement(self, node: Node) -> Iterator[Node]:
        yield node["discriminant"]
        self.nest("switch", node)
        yield from node["cases"]
        self.close(node)

    def visit_function(self, node: Node) -> Iterator[Node]:
        ntype = node["type"]
        fn_id = node.get("id")
        if ntype == "FunctionDeclaration":
            # Defined in the enclosing scope, even a block (ES2015 block-level functions).
            scope = self.scope()
            scope._define(fn_id, Definition(FUNCTION_NAME, fn_id, node))  # type: ignore[arg-type]
            if fn_id is not None and not scope.is_strict and scope.type in ("block", "switch"):
                self.block_functions.append((scope, fn_id))
        if ntype == "FunctionExpression" and fn_id is not None:
            self.nest("function-expression-name", node)
        self.nest("function", node, self.is_inner_method_definition)
        for index, param in enumerate(node["params"]):

            def declared(
                pattern: Node, top_level: bool, rest: bool, assignments: list[Node], index: int = index
            ) -> None:
                self.scope()._define(pattern, Definition(PARAMETER, pattern, node, None, index, None, rest))
                self.referencing_default_value(pattern, assignments, None, True)

            yield from self.visit_pattern(param, declared)
        body = node.get("body")
        if body is not None:
            if body["type"] == "BlockStatement":
                yield from _children(body)  # the function scope is the body's scope
            else:
                yield body
        self.close(node)

    def assignment_expression(self, node: Node) -> Iterator[Node]:
        left = node["left"]
        right = node["right"]
        if left["type"] in _PATTERN_TYPES:
            if node["operator"] == "=":

                def assigned(pattern: Node, top_level: bool, rest: bool, assignments: list[Node]) -> None:
                    scope = self.scope()
                    mig = None if scope.is_strict else (pattern, node)
                    self.referencing_default_value(pattern, assignments, mig, False)
                    scope._referencing(pattern, WRITE, right, mig, not top_level, False)

                yield from self.visit_pattern(left, assigned)
            else:
                self.scope()._referencing(left, RW, right)
        else:
            yield left
        yield right

    def catch_clause(self, node: Node) -> Iterator[Node]:
        self.nest("catch", node)

        def declared(pattern: Node, top_level: bool, rest: bool, assignments: list[Node]) -> None:
            self.scope()._define(pattern, Definition(CATCH_CLAUSE, pattern, node))
            self.referencing_default_value(pattern, assignments, None, True)

        yield from self.visit_pattern(node.get("param"), declared)
        yield node["body"]
        self.close(node)

    def import_declaration(self, node: Node) -> None:
        assert self.module, "ImportDeclaration is only valid in a module"
        for specifier in node["specifiers"]:
            local = specifier.get("local")

            def declared(
                pattern: Node,
                top_level: bool,
                rest: bool,
                assignments: list[Node],
                specifier: Node = specifier,
            ) -> None:
                self.scope()._define(pattern, Definition(IMPORT_BINDING, pattern, specifier, node))

            self.visit_pattern(local, declared)

    def export_declaration(self, node: Node) -> Iterator[Node] | None:
        if node.get("source") is not None:
            return None
        declaration = node.get("declaration")
        if declaration is not None:
            return iter((declaration,))
        return _children(node)

    def export_specifier(self, node: Node) -> Iterator[Node]:
        yield node["local"]


# ---------------------------------------------------------------------------------------
# After the traversal: lexical resolution and capture facts.
# ---------------------------------------------------------------------------------------


def _lexical_lookup(scope: Scope | None, ref: Reference) -> Variable | None:
    """The binding ``ref`` sees by lexical scoping (eslint-scope's rule that parameter
    defaults do not see the body's declarations included, but not its quirk of applying
    that rule to the implicit ``arguments``)."""
    name = ref.identifier["name"]
    start = ref.identifier["range"][0]
    while scope is not None:
        variable = scope.set.get(name)
        if variable is None and scope.annex_b is not None:
            variable = scope.annex_b.get(name)
        if variable is not None:
            block = scope.node
            if scope.type != "function" or block["type"] == "Program" or not variable.defs:
                return variable
            body_start = block["body"]["range"][0]
            if not (start < body_start and all(d.name["range"][0] >= body_start for d in variable.defs)):
                return variable
        scope = scope.parent
    return None


def _provider(scope: Scope | None, what: str) -> tuple[Scope | None, bool]:
    """The scope that supplies ``this``/``super``/``new.target`` for a use in ``scope``,
    and whether an arrow function lies between (the arrow captures it)."""
    crossed_arrow = False
    while scope is not None:
        stype = scope.type
        if stype == "function":
            if scope.node["type"] == "ArrowFunctionExpression":
                crossed_arrow = True
            else:
                return scope, crossed_arrow
        elif stype in _THIS_PROVIDERS:
            if stype in ("module", "global") and what != "this":
                return None, crossed_arrow
            return scope, crossed_arrow
        scope = scope.parent
    return None, crossed_arrow


def _annex_b(block_functions: list[tuple[Scope, Node]]) -> None:
    """Annex B.3.3: in sloppy code, a function declared in a block is also bound as a
    ``var`` of the enclosing function (or script), assigned when the declaration is
    evaluated, unless that ``var`` would clash with a lexical declaration or parameter.

    eslint-scope does not model that binding (uses outside the block go through to the
    global scope). We add it beside the model, in ``Scope.annex_b`` of the variable
    scope, as a Variable flagged ``annex_b``, so that lexical resolution and captures see
    it; ``variables``, ``set`` and eslint-scope's resolution stay untouched.
    """
    for scope, ident in block_functions:
        name = ident["name"]
        target = scope.variable_scope
        if target.type not in ("function", "global") or name in target.set:
            continue  # strict code, or an existing var/function/param is the binding
        clash = False
        s = scope.parent
        while s is not None and s is not target:
            variable = s.set.get(name)
            if variable is not None and not (
                s.type == "catch" and all(d.name["type"] == "Identifier" for d in variable.defs)
            ):
                clash = True
                break
            s = s.parent
        if clash:
            continue
        if target.annex_b is None:
            target.annex_b = {}
        variable = target.annex_b.get(name)
        if variable is None:
            variable = target.annex_b[name] = Variable(name, target)
            variable.annex_b = True
        declared = scope.set[name]
        variable.defs.extend(d for d in declared.defs if d.name is ident)
        variable.identifiers.append(ident)


def _finish(manager: ScopeManager, referencer: _Referencer) -> None:
    _annex_b(referencer.block_functions)
    for scope in manager.scopes:
        for ref in scope.references:
            variable = _lexical_lookup(scope, ref)
            ref.lexical = variable
            if variable is not None:
                variable.lexical_references.append(ref)
                if not variable.captured and ref.from_scope.function_node is not variable.scope.function_node:
                    variable.captured = True
    # A direct eval can create closures over anything it can see.
    marked: set[int] = set()
    for scope in referencer.eval_scopes:
        s: Scope | None = scope
        while s is not None and id(s) not in marked:
            marked.add(id(s))
            for variable in s.variables:
                variable.captured = True
            if s.annex_b is not None:
                for variable in s.annex_b.values():
                    variable.captured = True
            s = s.parent
    for scope in manager.scopes:
        scope.captured = any(v.captured for v in scope.variables) or (
            scope.annex_b is not None and any(v.captured for v in scope.annex_b.values())
        )
        if scope.type == "function" and scope.node["type"] != "ArrowFunctionExpression":
            arguments = scope.set.get("arguments")
            if arguments is not None and arguments.is_implicit and arguments.captured:
                scope.arguments_captured = True
    # Code in a direct eval may use the `this`, `super` and `new.target` around it.
    lexical_uses = referencer.lexical_uses + [
        (scope, what) for scope in referencer.eval_scopes for what in ("this", "super", "new.target")
    ]
    for scope, what in lexical_uses:
        provider, crossed = _provider(scope, what)
        if provider is not None and crossed:
            if what == "this":
                provider.this_captured = True
            elif what == "super":
                provider.super_captured = True
            else:
                provider.new_target_captured = True


def _compute_captures(manager: ScopeManager, eval_scopes: list[Scope]) -> dict[int, dict[Variable, None]]:
    """For every function/class/initializer node: outside variables used inside it. A direct
    eval may use any variable it can see (its text names them at run time): all of them are
    used by the functions around it, after the ones named in the source."""
    refs = [r for scope in manager.scopes for r in scope.references if r.lexical is not None]
    refs.sort(key=lambda r: r.identifier["range"][0])
    captures: dict[int, dict[Variable, None]] = {}
    for ref in refs:
        variable = ref.lexical
        assert variable is not None
        home = variable.scope
        s: Scope | None = ref.from_scope
        while s is not None and s is not home:
            if (s.type in _ACTIVATION_TYPES or s.type == "class") and s.node is not home.node:
                captures.setdefault(id(s.node), {})[variable] = None
            s = s.parent
    for scope in eval_scopes:
        home: Scope | None = scope
        while home is not None:
            for variable in home.variables:
                if variable.name == "arguments" and variable.is_implicit and home.node["type"] == "Program":
                    continue  # the CommonJS wrapper's: the module's own business, not a closure's
                s = scope
                while s is not None and s is not home:
                    if (s.type in _ACTIVATION_TYPES or s.type == "class") and s.node is not home.node:
                        captures.setdefault(id(s.node), {})[variable] = None
                    s = s.parent
            home = home.parent
    return captures


def analyze(program: Node, source_type: str = "commonjs") -> ScopeManager:
    """Analyse an ESTree ``Program`` (acorn-8 shape, ``range`` on every node).

    ``source_type``: ``"commonjs"`` (default; a function scope for the module wrapper
    under the global scope), ``"script"`` or ``"module"``.
    """
    if source_type not in SOURCE_TYPES:
        raise ValueError(f"source_type must be one of {SOURCE_TYPES}, not {source_type!r}")
    manager = ScopeManager(program, source_type)
    referencer = _Referencer(manager)
    referencer.run(program)
    assert referencer.current is None, "every scope must be closed"
    _finish(manager, referencer)
    manager.eval_scopes = referencer.eval_scopes
    return manager
