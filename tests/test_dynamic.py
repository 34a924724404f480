"""Code a program makes at run time, instrumented by the host (thingscore/instrument/dynamic.py).

The runtime's half is jsruntime/dynamic_code.js (jsruntime/tests/dynamic_units.test.js);
end to end, tests/corpus/features/dynamic_closures.js and the ajv, nunjucks and zod programs of
the packages suite move closures made inside such code."""

from __future__ import annotations

import json
import os
import select
import subprocess
import threading
from pathlib import Path
from typing import IO

import pytest

from thingscore.control import program_io
from thingscore.instrument import dynamic
from thingscore.parsing import JSSyntaxError

CLOSURE = "function (a\n) {\nconst k = a * 10; return function inner(x) { return x + k; }\n}"


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THINGS_CACHE_DIR", str(tmp_path))
    dynamic._MEMORY.clear()


def test_a_unit_is_a_module_whose_closures_have_ids_from_the_runtime() -> None:
    r = dynamic.instrument_unit(CLOSURE, 1000, 500)
    assert r["mid"] == "dyn#1000"
    assert r["module"].startswith("function () {") and "$T$u(function (/*$F:1000*/a" in r["module"]
    assert "/*$F:1001*/x) {if ($T$q) return $T$.p(k);" in r["module"]  # the closure reports its k
    assert r["fns"] == {1000: [500, 0, 0], 1001: [501, 0, 1]}
    assert r["scopes"][500][:2] == [-1, "dyn#1000"] and r["scopes"][501][:3] == [500, "dyn#1000", ["k"]]
    assert r["ids"] == [1002, 502]
    assert r["recreator"].startswith("function $T$R500() {")
    # the same text and ids: the same code (a restore asks again and must get it)
    assert dynamic.instrument_unit(CLOSURE, 1000, 500) == r


def test_generators_and_async_functions_inside_are_machines() -> None:
    r = dynamic.instrument_unit("function (a\n) {\nreturn async function* g() { yield await a; }\n}", 7, 3)
    assert "$T$.agen(" in r["module"] and "yield" not in r["module"] and "await" not in r["module"]


@pytest.mark.parametrize("text", [
    "function () {}); globalThis.hit = 1; (function () {}",  # more than one function expression
    "() => 1",
    "class A {}",
])
def test_anything_but_one_function_expression_is_refused(text: str) -> None:
    with pytest.raises((dynamic.DynamicError, JSSyntaxError)):
        dynamic.instrument_unit(text, 1, 1)
    assert dynamic.answer({"op": "instrument", "text": text, "fid": 1, "sid": 1})["error"] is True


@pytest.mark.parametrize(("fid", "sid"), [(0, 1), (1, -2), (True, 1), ("1", 1), (2**41, 1)])
def test_ids_must_be_positive_integers(fid: object, sid: object) -> None:
    reply = dynamic.answer({"op": "instrument", "text": "function () {}", "fid": fid, "sid": sid})
    assert reply["code"] == "EINVAL"


@pytest.mark.parametrize("text", [
    "function (x, s\n) {\nreturn eval(s)\n}",  # sloppy: its text may declare variables
    "function (x\n) {\nreturn eval('var y = x; y')\n}",
    "function (\n) {\nreturn async (x) => eval('x')\n}",  # a machine's variables
])
def test_what_cannot_be_instrumented_is_an_answer_the_runtime_keeps_the_engines_function_for(text: str) -> None:
    reply = dynamic.answer({"op": "instrument", "text": text, "fid": 5, "sid": 5})
    assert reply["error"] is True and reply["code"] == "EINSTR" and "direct eval" in reply["message"]


def test_a_sloppy_direct_eval_whose_text_declares_nothing_is_instrumented() -> None:
    """Like one in strict code: it may use whatever it can see, so a closure around it keeps
    all of that (here `k`, which only the eval's text names)."""
    r = dynamic.instrument_unit("function (k\n) {\nreturn function (x) { return eval('x + k'); };\n}", 5, 5)
    assert "/*$F:6*/x) {if ($T$q) return $T$.p($T$h6, k" in r["module"] and "k" in r["scopes"][6][2]
    assert r["fns"][6][1] == 0 and not r["why"]


# What lodash's `_.template` compiles without its `variable` option (ejs and underscore alike):
# a function whose body reads the data's fields through `with`, made inside the function the
# Function constructor makes, which closes over the imports (`_`).
WITH_TEMPLATE = ("function (_\n) {\nreturn function (obj) {\nvar __p = '';\nwith (obj) {\n"
                 "__p += _.escape(name) + [1].map(function (i) { return i + n; });\n}\nreturn __p;\n}\n}")


def test_code_with_a_with_statement_is_instrumented_and_what_it_makes_outside_the_body_moves() -> None:
    r = dynamic.instrument_unit(WITH_TEMPLATE, 300, 30)
    template, inside = 301, 302
    # the template closes over `_` (read only inside the with body: it may be the object's or the import)
    assert f"/*$F:{template}*/obj) {{if ($T$q) return $T$.p(_);" in r["module"]
    assert r["fns"][template][1] == 0 and template not in r["why"]
    # the callback made inside the with body resolves `n` through the object: it cannot move
    assert r["fns"][inside][1] == 3 and "inside a `with` statement" in r["why"][inside]
    assert "with (obj) {" in r["module"] and "with (obj) {" in r["recreator"]  # kept as written


def test_eval_read_as_a_shorthand_property_keeps_its_key() -> None:
    """`{ eval }` hands the recording eval on under the key `eval` (it read `{ $T$.ie(eval) }`)."""
    r = dynamic.instrument_unit("function () {\nreturn { eval, Math };\n}", 1, 1)
    assert "return { eval: $T$.ie(eval), Math };" in r["module"]


# A `with` body holding what is instrumented elsewhere: a block scope captured by a closure, a
# loop whose per-iteration `let` is captured (the with statement's last statement: it ends
# where the with does), a tagged template, an indirect eval, a class with a private name.
WITH_BODIES = ("function (o, p\n) {\nvar fs = [], q = 0;\n"
               "with (o) { let z = a; fs.push(() => z + q); q += tag`t${z}`; fs.push((0, eval)(s)); }\n"
               "with (p) for (let i = 0; i < n; i++) fs.push(x => () => i + x)\n"
               "for (let j = 0; j < 2; j++) with (o) fs.push(function () { return j; })\n"
               "with (p) q = class { #v = 1; m() { return this.#v + b; } }\n"
               "return [fs, () => q];\n}")


def test_a_with_body_is_left_as_written_but_for_function_markers() -> None:
    """Inside a `with` body every free name is looked up on the object first (a Proxy whose
    `has` says yes to all would answer the runtime's names too): nothing is added there but the
    markers (comments) of the functions made in it, which cannot move."""
    r = dynamic.instrument_unit(WITH_BODIES, 10, 10)
    module = r["module"]
    src_line = WITH_BODIES.splitlines()
    assert ("with (o) { let z = a; fs.push((/*$F:11*/) => z + q); q += tag`t${z}`; fs.push((0, eval)(s)); }"
            in module)
    assert "with (p) for (let i = 0; i < n; i++) fs.push(x/*$F:13*/ => (/*$F:14*/) => i + x)\n" in module
    # the outer loop's own entry (its body is the with statement) stays, braces and all
    assert "with (o) fs.push(function (/*$F:15*/) { return j; })}\n" in module
    assert "{let $T$h" in module.split("for (let j", 1)[1].split("with (o)", 1)[0]
    assert "with (p) q = class/*$F:16*/ { #v = 1; m(/*$F:17*/) { return this.#v + b; } }\n" in module
    assert src_line[2] in module and src_line[-2] not in module  # the closure outside the bodies reports q
    assert sorted(r["why"]) == [11, 13, 14, 15, 16]  # (12: the template's site)
    assert all("inside a `with` statement" in why for why in r["why"].values())
    assert r["fns"][17][1] == 4 and r["fns"][18][1] == 0  # a method; () => q moves
    # the re-creator makes the function with its with statements the same way
    assert "with (p) for (let i = 0; i < n; i++) fs.push(x/*$F:13*/ => (/*$F:14*/) => i + x)\n" in r["recreator"]


@pytest.mark.parametrize("text", [
    "function (o\n) {\nreturn function* () { with (o) { yield a; } };\n}",
    "function (o\n) {\nwith (o) { return async () => a; }\n}",
])
def test_with_nested_with_a_generator_or_async_function_is_refused(text: str) -> None:
    reply = dynamic.answer({"op": "instrument", "text": text, "fid": 5, "sid": 5})
    assert reply["error"] is True and reply["code"] == "EINSTR" and "generator or async" in reply["message"]


def test_a_closure_made_inside_with_code_fails_the_snapshot_by_path_and_the_program_runs_on(
        things, tmp_path: Path) -> None:
    """Made inside a `with` body it resolves names through the object, which restore cannot give
    it back: the move is refused naming where it is, and the program goes on unharmed."""
    prog = tmp_path / "prog.js"
    prog.write_text("const make = new Function('o', 'with (o) { return function inner() { return a + b; }; }');\n"
                    "const keep = { g: make({ a: 1, b: 2 }) };\nlet n = 0;\n"
                    "const t = setInterval(() => {\n  n++; console.log(n, keep.g());\n"
                    "  if (n === 4) clearInterval(t);\n}, 2);\n")
    r = things("exec", str(prog), "--every", "1", "--hops", "3")
    assert r.stdout == b"1 3\n2 3\n3 3\n4 3\n", r.stderr
    assert r.returncode == 4, r.stderr
    assert b"cannot move function: made inside a `with` statement" in r.stderr
    assert b"at root<module prog.js scope>:keep.g (the program keeps running here)" in r.stderr


def test_units_are_cached_in_memory_and_on_disk(tmp_path: Path) -> None:
    first = dynamic.cached_unit(CLOSURE, 10, 10)
    assert dynamic.cached_unit(CLOSURE, 10, 10) is first
    files = list((tmp_path / "dynamic").glob("*.json"))
    assert len(files) == 1
    dynamic._MEMORY.clear()
    again = dynamic.cached_unit(CLOSURE, 10, 10)
    assert again == json.loads(json.dumps(first)) and again is not first
    assert dynamic.cached_unit(CLOSURE, 20, 10)["mid"] == "dyn#20"  # other ids: another entry


def test_serve_answers_instrument_requests_and_nothing_else() -> None:
    req_r, req_w = os.pipe()
    rep_r, rep_w = os.pipe()
    with os.fdopen(req_r, "rb", buffering=0) as requests, os.fdopen(rep_w, "wb", buffering=0) as replies:
        t = threading.Thread(target=dynamic.serve, args=(requests, replies), daemon=True)
        t.start()
        lines = [{"op": "instrument", "text": CLOSURE, "fid": 3, "sid": 4}, {"op": "read", "path": "x"}, "[1]"]
        with os.fdopen(req_w, "wb", buffering=0) as w:
            w.write(b"".join(json.dumps(x).encode() + b"\n" for x in lines) + b"not json\n")
        t.join(30)
    with os.fdopen(rep_r, "rb") as r:
        answers = [json.loads(line) for line in r.read().splitlines()]
    assert answers[0]["mid"] == "dyn#3" and answers[0]["v"] == dynamic.version()
    assert [a.get("code") for a in answers[1:]] == ["ENOSYS", "ENOSYS", "ENOSYS"]


def _reply(r: IO[bytes], timeout: float = 30) -> bytes:
    """One answer line, or a failure (not a hang) when the server has died without answering."""
    line = b""
    while not line.endswith(b"\n"):
        ready, _, _ = select.select([r], [], [], timeout)
        assert ready, f"no answer within {timeout} s"
        byte = os.read(r.fileno(), 1)
        assert byte, "the server closed the channel"
        line += byte
    return line


def test_serve_refuses_a_request_over_the_limit_without_holding_it_and_goes_on() -> None:
    """The same reader as a worker's (program_rpc): an endless line cannot grow the host's buffer."""
    req_r, req_w = os.pipe()
    rep_r, rep_w = os.pipe()
    with os.fdopen(req_r, "rb", buffering=0) as requests, os.fdopen(rep_w, "wb", buffering=0) as replies:
        t = threading.Thread(target=dynamic.serve, args=(requests, replies, None, 4096), daemon=True)
        t.start()
        with os.fdopen(req_w, "wb", buffering=0) as w, os.fdopen(rep_r, "rb", buffering=0) as r:
            w.write(b'{"op": "instrument", "text": "' + b"x" * 200_000)  # no newline yet: over the limit
            assert json.loads(_reply(r))["code"] == "EFBIG"
            w.write(b'"}\n' + b"[" * 3000 + b"\n")  # its end, dropped; then nested past Python's stack
            w.write(json.dumps({"op": "instrument", "text": CLOSURE, "fid": 3, "sid": 4}).encode() + b"\n")
            assert json.loads(_reply(r))["code"] == "ENOSYS"
            assert json.loads(_reply(r))["mid"] == "dyn#3"
        t.join(30)
    assert not t.is_alive()


def test_a_worker_answers_instrument_requests_beside_file_calls() -> None:
    line = json.dumps({"op": "instrument", "text": CLOSURE, "fid": 3, "sid": 4}).encode()
    assert program_io._answer(None, "p1", line)["mid"] == "dyn#3"  # type: ignore[arg-type]


def test_a_standalone_restore_brings_the_units_it_needs(things, tmp_path: Path) -> None:
    """`things restore -o` makes a file that plain node runs, with no host to ask: the units the
    snapshot lists are instrumented into it (bundle.snapshot_units)."""
    prog = tmp_path / "prog.js"
    prog.write_text("const make = new Function('a', 'let k = a; return () => (k += 10);');\n"
                    "const add = make(1);\nlet n = 0;\n"
                    "const t = setInterval(() => { console.log(add()); if (++n === 4) clearInterval(t); }, 1);\n")
    snaps = tmp_path / "snaps"
    r = things("exec", str(prog), "--every", "2", "--hops", "1", "--snapshot-dir", str(snaps))
    assert r.returncode == 0 and r.stdout == b"11\n21\n31\n41\n", r.stderr
    snap = json.loads((snaps / "hop-1.json").read_text())
    assert [u[0] for u in snap["roots"]["dyn"]["units"]] == ["function (a\n) {\nlet k = a; return () => (k += 10);\n}"]
    out = tmp_path / "resumed.js"
    assert things("restore", str(snaps / "hop-1.json"), "-o", str(out)).returncode == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("THINGS_")}
    resumed = subprocess.run(["node", str(out)], capture_output=True, env=env, cwd=tmp_path, timeout=60)
    assert resumed.returncode == 0 and resumed.stdout == b"31\n41\n", resumed.stderr


def test_a_strict_direct_eval_text_becomes_a_function_returning_its_last_expression() -> None:
    """A parser generator's ``eval(code)`` of an IIFE: the runtime makes it a unit (its closures
    move) when the caller has none of the names it reads (``free``)."""
    r = dynamic.answer({"op": "eval-unit", "text": "(function () { let c = 0; return () => ++c; })()"})
    assert r == {"fn": "function () {'use strict';\nreturn ((function () { let c = 0; return () => ++c; })()\n);\n}",
                 "free": []}
    r = dynamic.eval_unit("let q = 2; q * k // done")
    assert r["fn"].endswith("let q = 2; return (q * k\n); // done\n}") and r["free"] == ["k"]
    assert dynamic.eval_unit("var a = 1; function f() {}")["fn"].endswith("var a = 1; function f() {}\n}")
    assert dynamic.instrument_unit(r["fn"], 1, 1)["mid"] == "dyn#1"  # the unit the runtime then asks for


@pytest.mark.parametrize("text", [
    "this.x",  # the caller's this
    "(() => arguments[0])()",  # the caller's arguments
    "eval('k')",  # an eval that could reach the caller's variables
    "if (a) 1; else 2",  # a completion value a function body does not give
    "return 1",  # not eval code
    "with (o) x",  # strict
])
def test_a_direct_eval_text_that_could_tell_the_difference_stays_as_it_is(text: str) -> None:
    assert dynamic.answer({"op": "eval-unit", "text": text})["error"] is True


def test_a_direct_eval_in_strict_code_names_what_its_caller_sees() -> None:
    from thingscore.instrument.transform import IdAllocator, transform_module
    from thingscore.plugins import default_name, load

    src = "'use strict';\nconst top = 1;\nfunction f(a) { let b; return eval(a, 2); }\n"
    parser = load("parser", default_name("parser"))
    res = transform_module(src, parser.parse(src, "script").program, "m.js", "m.js", IdAllocator())
    assert 'return eval($T$.directEvalText(a, "arguments a b top f exports require module __filename __dirname"), 2);' \
        in res.module_text
    sloppy = "function f(a) { return eval('1 + 1'); }\n"
    res = transform_module(sloppy, parser.parse(sloppy, "script").program, "m.js", "m.js", IdAllocator(),
                           parse_script=lambda t: parser.parse(t, "script").program)
    assert "directEvalText" not in res.module_text
