"""What the instrumenter records about each function and class of a module.

Each gets a program-wide id (the ``/*$F:<fid>*/`` marker in its source names it at
snapshot time) and an entry in the static function table that the runtime reads:
its environment's scope id, its kind and whether it can be probed.
"""

from __future__ import annotations

from dataclasses import dataclass

from .scope_model import Scope
from .syntax import Node

# Function kinds in the static table (jsruntime/serialize.js reads them).
KIND_FUNCTION = 0  # re-made at restore by a factory in its environment's re-creator
KIND_CLASS = 1
KIND_CLASS_EXTENDS = 2  # a class with `extends`: its factory is given the restored superclass
KIND_UNMOVABLE = 3  # a snapshot that reaches it fails, naming ``why``
KIND_MEMBER = 4  # a class member: it comes back with its class
KIND_HOME_METHOD = 5  # an object literal's method that uses `super`: restored with its home object


@dataclass(eq=False)
class FnInfo:
    """One function or class: its id, where it sits, and what restoring it takes."""

    node: Node
    fid: int
    depth: int  # AST depth of the node (the depth of its edits)
    env: Scope | None = None  # the captured scope it closes over (the module scope when none)
    kind: int = KIND_FUNCTION
    why: str = ""  # for KIND_UNMOVABLE: the reason, shown when a snapshot reaches it
    parent_prop: Node | None = None  # Property / MethodDefinition holding a method value
    uses_super: bool = False
    uses_meta: bool = False  # new.target
    probe: bool = False  # the function answers its environment's handle when called with $T$q set
    keys: int = 0  # a class: how many computed keys its members have (recorded by $T$.ck)
    # made in a static block: if the block puts it on its class, it is no member of the class
    # (restore skips static blocks; the function moves as a closure)
    in_static_block: bool = False
