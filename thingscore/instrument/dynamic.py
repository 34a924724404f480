"""Code a program makes at run time, instrumented when it is made.

A function made by ``new Function(...)`` (or an indirect eval of a function expression) is a
*dynamic unit* of the program: the runtime (jsruntime/dynamic_code.js) asks its host, on a
synchronous request channel (the "rpc" pipes), to instrument the function's text as it would
a module of the program, and evaluates what comes back. Closures made inside such code are
then ordinary instrumented closures: they report their environments, snapshot and restore
like any other (validators, compiled templates, JIT fast paths compile this way).

A unit is the text ``$T$u(<function expression>);`` instrumented as a module without
CommonJS wrapper variables, so that its free names are the global ones, as for
``new Function``; the runtime's evaluation context defines ``$T$u`` (it keeps the function the
module function makes). Its function and scope ids start where the runtime says
(``fid``/``sid``, after the program's and earlier units'), so one text gives one output for
given ids: the runtime of a restored program asks again with the ids the snapshot names and
gets the same code back. Results are cached by content hash, in memory and next to the
instrument cache on disk.

Unlike a program's modules, a unit may hold ``with`` statements: template engines compile
``function (obj) { with (obj) { ... } }`` (lodash's ``_.template`` without ``variable``, ejs's
default mode, underscore), and instrumenting renames no identifier, so the code runs as
written. A function containing a ``with`` moves; one made inside a ``with`` body cannot
(a snapshot that reaches it fails by path); see ``ModuleTransformer._with_statement``. What
still cannot be instrumented (a sloppy direct eval that may declare variables; ``with`` nested
with a generator or async function) stays the engine's function, which moves as its source (dynamic_code.js), while
closures made inside it cannot.

Requests (one JSON object per line, see :func:`answer`)::

    {"op": "instrument", "text": "function (a\\n) {\\n...\\n}", "fid": 1234, "sid": 567}

answered by ``{"module", "recreator", "fns", "why", "scopes", "ids", "mid", "v"}`` (``v`` names
the instrumenter and parser: a snapshot's units are restored only by the same, since other
code could number its functions otherwise) or ``{"error": True, "code": ..., "message": ...}``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import OrderedDict
from pathlib import Path
from typing import IO, Any

from thingscore import plugins, program_rpc
from thingscore.parsing import JSSyntaxError

from . import verify
from .bundle import run_with_big_stack
from .cache_root import cache_root, instrumenter_fingerprint, write_entry
from .machines import desugar, has_machine_functions, is_machine_function
from .runtime_names import PREFIX
from .scope import analyze
from .syntax import child_nodes, line_col
from .transform import IdAllocator, InstrumentError, check_eval_in_machines, transform_module

log = logging.getLogger("things.dynamic")

#: What the runtime's evaluation context calls with the unit's function (see the module docstring).
UNIT_CALL = f"{PREFIX}u"
#: The requests :func:`answer` answers.
OPS = ("instrument", "eval-unit")
#: The environment variable that tells a runtime its host answers instrument requests.
ENV = "THINGS_DYNAMIC_CODE"
#: Ids are plain integers in markers (``/*$F:123*/``) and tables: keep them well inside 2**53.
MAX_ID = 2**40
MAX_TEXT = 4 * 1024 * 1024  # a worker instruments on its own CPU: what one request may ask
MEMORY_ENTRIES = 512


def module_id(fid: int) -> str:
    """The unit's module id: its first function id names it (unique in a program)."""
    return f"dyn#{fid}"


class DynamicError(ValueError):
    """A request that cannot be answered with code (malformed, or text that is not one function)."""


def instrument_unit(text: str, fid: int, sid: int, parser: str | None = None) -> dict[str, Any]:
    """Instrument one dynamic unit (see the module docstring); raises DynamicError or
    JSSyntaxError (an InstrumentError for what cannot be instrumented: sloppy direct eval...)."""
    parser = parser or plugins.default_name("parser")
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise DynamicError("text must be a string")
    for name, v in (("fid", fid), ("sid", sid)):
        if not isinstance(v, int) or isinstance(v, bool) or not 0 < v < MAX_ID:
            raise DynamicError(f"{name} must be a positive integer")
    p = _parser(parser)

    def parse(s: str) -> Any:
        return p.parse(s, "script").program

    source = f"{UNIT_CALL}({text});"
    program = parse(source)
    _check_shape(program, source)
    _check_with(program, source)
    if has_machine_functions(program):
        check_eval_in_machines(program, source, "<dynamic code>", parse_script=parse)
        source = desugar(source, parse)
        program = parse(source)
    ids = IdAllocator(next_fid=fid, next_sid=sid)
    mid = module_id(fid)
    res = transform_module(source, program, mid, "<dynamic code>", ids, esm=True, allow_with=True,
                           parse_script=parse)
    if verify.enabled():
        verify.check_modules(parse, [(mid, res.module_text, res.recreator_text, "(function () {")])
    return {"mid": mid, "module": "function () {" + res.module_text + "\n}", "recreator": res.recreator_text,
            "fns": res.fns, "why": res.why, "scopes": res.scopes, "ids": [ids.next_fid, ids.next_sid]}


#: How a direct eval's text begins as a function (see :func:`eval_unit`).
EVAL_UNIT_HEAD = "function () {'use strict';\n"
_NOT_STATEMENTS = {"FunctionDeclaration", "VariableDeclaration", "ClassDeclaration", "EmptyStatement"}


def eval_unit(text: str, parser: str | None = None) -> dict[str, Any]:
    """The function a direct eval in strict code may call instead of evaluating ``text``
    (jsruntime/dynamic_code.js, ``directEvalText``): ``{"fn": function text, "free": names}``.

    A strict eval's code has declarations of its own and its completion value; read nothing
    of its caller but the names in ``free`` (the runtime checks that the caller has none of
    them), the text behaves as the body of a strict function made in global scope whose last
    expression statement is returned (when all else in it is declarations, there is none to
    return). Raises DynamicError for a text that could tell the difference: it reads ``this``,
    ``arguments`` or ``eval`` (which could reach the caller's variables) or ends with another
    statement (whose completion value a function body does not give); JSSyntaxError for one
    the engine would refuse."""
    parser = parser or plugins.default_name("parser")
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise DynamicError("text must be a string")
    p = _parser(parser)
    script = p.parse(text, "script").program  # what eval accepts: no return, new.target, super...
    body = script["body"]
    last = body[-1] if body else None
    if last is not None and last["type"] == "ExpressionStatement":
        expr = last["expression"]
        inner = (text[:last["start"]] + "return (" + text[expr["start"]:expr["end"]] + "\n);"
                 + text[last["end"]:])
    elif all(st["type"] in _NOT_STATEMENTS for st in body):
        inner = text
    else:
        raise DynamicError("the text's completion value is not its last expression")
    fn = EVAL_UNIT_HEAD + inner + "\n}"
    wrapped = p.parse("(" + fn + ")", "script").program  # strict now: with, octal, delete x...
    sm = analyze(wrapped, "script")
    free = sorted({ref.identifier["name"] for ref in sm.global_scope.through})
    if "eval" in free:
        raise DynamicError("the text names eval")
    function = wrapped["body"][0]["expression"]
    own = sm.acquire(function)
    args = own.set.get("arguments") if own is not None else None
    if args is not None and any(ref.resolved is args for s in sm.scopes for ref in s.references):
        raise DynamicError("the text reads arguments")
    if _reads_this(function["body"]):
        raise DynamicError("the text reads this")
    return {"fn": fn, "free": free}


def _reads_this(node: Any) -> bool:
    """Does code outside any non-arrow function in ``node`` read ``this`` (or use ``super``)?
    Class bodies count as outside, which only makes this refuse more."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n["type"] in ("ThisExpression", "Super"):
            return True
        for _key, child in child_nodes(n):
            if child["type"] not in ("FunctionExpression", "FunctionDeclaration"):
                stack.append(child)
    return False


def _check_shape(program: Any, source: str) -> None:
    """The unit is exactly ``$T$u(function ... {...});``: one function expression, nothing else."""
    body = program["body"]
    ok = len(body) == 1 and body[0]["type"] == "ExpressionStatement"
    call = body[0]["expression"] if ok else None
    ok = ok and call["type"] == "CallExpression" and call["callee"]["type"] == "Identifier" \
        and call["callee"]["name"] == UNIT_CALL and len(call["arguments"]) == 1 \
        and call["arguments"][0]["type"] == "FunctionExpression" \
        and call["arguments"][0]["range"][0] == len(UNIT_CALL) + 1 \
        and call["arguments"][0]["range"][1] == len(source) - 2
    if not ok:
        raise DynamicError("the text is not one function expression")


def _check_with(program: Any, source: str) -> None:
    """``with`` is instrumented in units (template engines compile ``with (obj) {...}``: lodash
    without ``variable``, ejs, underscore), except nested with a generator or async
    function either way: those become machines whose variables are not plain bindings, which a
    ``with`` object could shadow. Such a unit stays the engine's function (moves as source)."""
    stack: list[tuple[Any, bool, bool]] = [(program, False, False)]  # node, in a machine, in a with body
    while stack:
        node, in_machine, in_with = stack.pop()
        machine = is_machine_function(node)
        if (machine and in_with) or (node["type"] == "WithStatement" and in_machine):
            line, col = line_col(source, node["start"])
            raise InstrumentError("`with` nested with a generator or async function cannot be instrumented",
                                  line, col, node["start"], "<dynamic code>")
        for key, child in child_nodes(node):
            stack.append((child, in_machine or machine, in_with or (node["type"] == "WithStatement" and key == "body")))


_PARSERS: dict[str, Any] = {}
_LOCK = threading.Lock()
_MEMORY: OrderedDict[str, dict[str, Any]] = OrderedDict()
_FINGERPRINT: list[str] = []


def _parser(name: str) -> Any:
    p = _PARSERS.get(name)
    if p is None:
        p = _PARSERS[name] = plugins.load("parser", name)
    return p


def _fingerprint() -> str:
    if not _FINGERPRINT:
        _FINGERPRINT.append(instrumenter_fingerprint())
    return _FINGERPRINT[0]


def _cache_dir() -> Path:
    return cache_root() / "dynamic"


def cached_unit(text: str, fid: int, sid: int, parser: str | None = None) -> dict[str, Any]:
    """:func:`instrument_unit` through the memory and disk caches (keyed by content hash)."""
    parser = parser or plugins.default_name("parser")
    h = hashlib.sha256(_fingerprint().encode())
    h.update(f"\0{parser}\0{fid}\0{sid}\0{int(verify.enabled())}\0".encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    key = h.hexdigest()
    with _LOCK:
        hit = _MEMORY.get(key)
        if hit is not None:
            _MEMORY.move_to_end(key)
            return hit
    path = _cache_dir() / (key + ".json")
    try:
        reply = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        reply = None
    if not isinstance(reply, dict) or "module" not in reply:
        # on a thread with a big stack, as programs are (bundle.py): deeply nested code recurses deeply
        reply = run_with_big_stack(lambda: instrument_unit(text, fid, sid, parser))
        write_entry(path, reply)
    with _LOCK:
        _MEMORY[key] = reply
        while len(_MEMORY) > MEMORY_ENTRIES:
            _MEMORY.popitem(last=False)
    return reply


def version(parser: str | None = None) -> str:
    """What makes one text give one output: the instrumenter's code and the parser."""
    parser = parser or plugins.default_name("parser")
    return hashlib.sha256(f"{_fingerprint()}\0{parser}".encode()).hexdigest()[:16]


def answer(req: dict[str, Any], parser: str | None = None) -> dict[str, Any]:
    """The answer to one ``{"op": "instrument", ...}`` request (never raises)."""
    parser = parser or plugins.default_name("parser")
    try:
        if req.get("op") == "eval-unit":
            return eval_unit(req.get("text"), parser)  # type: ignore[arg-type]
        reply = cached_unit(req.get("text"), req.get("fid"), req.get("sid"), parser)  # type: ignore[arg-type]
        return {**reply, "v": version(parser)}
    except JSSyntaxError as exc:  # what cannot be instrumented: the runtime keeps the function as it is
        return {"error": True, "code": "EINSTR", "message": str(exc)}
    except DynamicError as exc:
        return {"error": True, "code": "EINVAL", "message": str(exc)}
    except RecursionError:
        return {"error": True, "code": "EINSTR", "message": "code nested too deeply to instrument"}
    except Exception as exc:  # our bug: the program goes on with the function uninstrumented
        log.warning("instrumenting code made at run time failed: %s: %s", type(exc).__name__, exc)
        return {"error": True, "code": "EIO", "message": f"{type(exc).__name__}: {exc}"}


def serve(requests: IO[bytes], replies: IO[bytes], parser: str | None = None,
          limit: int = program_rpc.MAX_REQUEST_BYTES) -> None:
    """Answer a program's synchronous requests until its process ends (on a thread of its
    own): instrument requests, and an error for anything else (``things exec`` has no global
    FS). The worker's reader (program_rpc), so a program cannot grow this host's buffer either."""
    parser = parser or plugins.default_name("parser")

    def one(line: bytes) -> dict[str, Any]:
        try:
            req = json.loads(line)
        except (ValueError, RecursionError):  # not JSON, or nested past Python's stack
            req = None
        if isinstance(req, dict) and req.get("op") in OPS:
            return answer(req, parser)
        return {"error": True, "code": "ENOSYS", "message": "no such request here"}

    program_rpc.serve_lines(requests, replies, one, limit, "a program of things exec")
