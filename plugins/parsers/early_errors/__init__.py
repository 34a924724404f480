"""ECMAScript *early errors* on an ESTree tree: what a grammar alone does not reject.

tree-sitter's grammar is context-free and error-recovering; the specification adds static
rules on top of its grammar ("It is a Syntax Error if ...") that a conforming parser must
apply before anything runs: duplicate ``let``, ``break`` without a target, ``return``
outside a function, ``yield``/``await`` where they are not allowed, ``super`` outside
methods, strict-mode rules, private names, module exports, invalid assignment targets,
regular-expression literals (:mod:`.regexp`). esprima applies them while parsing; the tree-sitter plugin runs
:func:`check` on every tree it converts, so that both plugins reject the same programs.

One recursive walk over the finished tree, with a small context per function (what
``yield``, ``await``, ``super``, ``new.target``, ``return`` and labels may do there) and a
small scope per block (names declared lexically and names declared with ``var`` that pass
through it). The walk only reads the tree; it raises :class:`EarlyError` at the first
violation with the offending node's start, and the plugin turns that into its
``JSSyntaxError`` (positions come from esprima where it rejects the input too).

Where the rules are uncertain the check accepts: a program a JavaScript engine runs must
never be refused here (test262's positive tests and the parser conformance suite say so).
"""

from __future__ import annotations

from .classes import ClassRules
from .common import EarlyError, Node
from .expressions import ExpressionRules
from .functions import FunctionRules
from .modules import ModuleRules
from .statements import StatementRules
from .targets import TargetRules
from .walker import Walker

__all__ = ["Checker", "EarlyError", "check"]


class Checker(StatementRules, FunctionRules, ClassRules, ExpressionRules, TargetRules, ModuleRules, Walker):
    """The whole checker: the walk (:class:`Walker`) with every family of rules."""


def check(program: Node, source: str, parenthesized: set[int]) -> None:
    """Raise :class:`EarlyError` at the first early error of ``program``.

    ``parenthesized`` holds ``id()`` of the nodes that were written in parentheses (ESTree
    drops them, but ``({a}) = 1`` is an error where ``(a) = 1`` is not).
    """
    Checker(source, program["sourceType"], parenthesized).program(program)

