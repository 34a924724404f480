"""Parse the instrumenter's own output again: invalid JavaScript is our bug, not the user's.

The instrumenter writes text edits on the user's source; an edit that glues two tokens or
breaks a statement would only show as a ``SyntaxError`` when the program runs, far from
its cause. With the check on, each module's instrumented text and its re-creator are parsed
as soon as they are made, and a failure is an ``InstrumentOutputError`` that names the
source file and the line and column *in the generated text*, with the text around it.

The check is one ``node`` process per program that compiles every text without running
it (0.2 s for lodash's 2 MB of output); the parser plugins would take 3 to 6 times as long
as instrumenting did, and miss V8's early errors. It is on when ``THINGS_VERIFY_OUTPUT=1``
(the test suite sets it in tests/conftest.py) and off otherwise, where it would add a
process to every `things exec`. The machine rewrite re-parses its output anyway
(``machines.desugar``), so that one is always checked, at no cost.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from typing import Any

from thingscore.parsing import JSSyntaxError

from .syntax import line_col

ENV = "THINGS_VERIFY_OUTPUT"

# The CommonJS wrapper that bundle.py puts around a module's text (a `return` at the top
# level of a module is valid there, and nowhere else).
_MODULE_HEAD = "(function (exports, require, module, __filename, __dirname) {"  # a CommonJS module's


class InstrumentOutputError(JSSyntaxError):
    """The instrumenter produced JavaScript that does not parse (an internal error)."""


def enabled() -> bool:
    return os.environ.get(ENV, "").strip() not in ("", "0", "false", "no")


def output_error(text: str, exc: JSSyntaxError, filename: str, what: str,
                 offset_shift: int = 0) -> InstrumentOutputError:
    """An internal error for ``exc`` raised while parsing ``text`` (generated from ``filename``)."""
    offset = max(0, min(len(text), exc.offset - offset_shift))
    line, col = line_col(text, offset)
    lo, hi = max(0, offset - 120), min(len(text), offset + 80)
    excerpt = text[lo:offset] + " <HERE> " + text[offset:hi]
    message = (f"internal error: the instrumenter produced invalid JavaScript ({what}, "
               f"generated line {line}, column {col}): {exc.message}; please report it with the "
               f"source file. Around it: {excerpt!r}")
    err = InstrumentOutputError(message, line, col, offset, filename)
    return err


def check(parse: Callable[[str], Any], text: str, filename: str, what: str, head: str = "(", tail: str = "\n)") -> None:
    """Parse ``head + text + tail``; raise ``InstrumentOutputError`` if it does not parse."""
    try:
        parse(head + text + tail)
    except JSSyntaxError as exc:
        raise output_error(text, exc, filename, what, len(head)) from None


# One node process checks every module of a program: V8 compiles (without running) the
# texts it is given and reports the first that does not, with V8's own early errors (an
# undeclared #private name, a duplicate declaration...) that a plain parser may accept.
_NODE_CHECK = r"""
const vm = require('vm');
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => { input += d; }).on('end', () => {
  for (const [i, code] of JSON.parse(input).entries()) {
    try { new vm.Script(code, { filename: 'generated' }); } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      const m = /^generated:(\d+)\n(.*)\n( *)\^/.exec(String(e.stack));
      process.stdout.write(JSON.stringify([i, e.message, m ? +m[1] : 1, m ? m[3].length : 0]));
      return;
    }
  }
  process.stdout.write('null');
});
"""


def check_modules(parse: Callable[[str], Any], modules: list[tuple[str, ...]]) -> None:
    """Each ``(filename, module text, re-creator text, head)`` of a program, ``head`` the
    module function's opening (an ES module's has no CommonJS parameters): with node where it
    is installed (fast, and V8's early errors), else with the parser plugin."""
    texts: list[tuple[str, str, str, str]] = []  # filename, what, head, text
    for filename, module_text, recreator_text, *rest in modules:
        module_head = rest[0] if rest else _MODULE_HEAD
        texts.append((filename, "module text", module_head, module_text))
        texts.append((filename, "restore re-creator", "(", recreator_text))
    node = shutil.which("node")
    if node is None:
        for filename, what, head, text in texts:
            check(parse, text, filename, what, head, "\n})" if head.startswith("(function") else "\n)")
        return
    codes = [head + text + ("\n})" if head.startswith("(function") else "\n)") for _, _, head, text in texts]
    proc = subprocess.run([node, "-e", _NODE_CHECK], input=json.dumps(codes).encode(), capture_output=True,
                          timeout=120, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"the output check could not run: {proc.stderr.decode(errors='replace')[-2000:]}")
    found = json.loads(proc.stdout or b"null")
    if found is None:
        return
    i, message, line, col = found
    filename, what, head, text = texts[i]
    code = codes[i]
    lines = code.split("\n")
    offset = sum(len(x) + 1 for x in lines[: line - 1]) + col
    exc = JSSyntaxError(message, line, col, offset, filename)
    raise output_error(text, exc, filename, what, len(head))
