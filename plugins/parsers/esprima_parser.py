"""The default parser plugin: esprima-fork (pure Python, full ES2026 syntax, exact errors).

esprima's tree is already close to ESTree; this module walks it once and rewrites it into
acorn-8 shape, because that is the one shape the instrumenter knows and the one the
conformance suite checks against node's acorn field by field. Positions are requested in
Python string indices (``positionEncoding="scalar"``), so no offset conversion is needed.
"""

from __future__ import annotations

from typing import Any

import esprima
from esprima.character import Character
from esprima.compat import uchr
from esprima.messages import Messages
from esprima.objects import Object as EsprimaObject
from esprima.scanner import _STRING_STOPS, RawToken, Scanner
from esprima.token import Token

from thingscore.parsing import Comment, JSSyntaxError, Node, ParseResult, SourceType

from ._common import LineTable, bigint_digits, js_number, run_with_big_stack, syntax_error


def _scan_regexp_body(self: Scanner) -> str:
    """esprima's ``Scanner.scanRegExpBody`` without its quadratic cost (esprima is a dependency
    we do not patch on disk, so its two slow scanners are replaced here, at import).

    The original builds the body one ``str += ch`` at a time, which CPython does not
    optimise there: a 1 MB regular expression literal took 20 s (hostile input must not
    stall an upload). The same scan, same errors at the same places, but the body is one
    slice of the source at the end.
    """
    source = self.source
    start = self.index
    assert source[start] == "/", "Regular expression literal must start with a slash"
    self.index += 1
    class_marker = False
    while not self.eof():
        ch = source[self.index]
        self.index += 1
        if ch == "\\":
            ch = source[self.index]
            self.index += 1
            if Character.isLineTerminator(ch):
                self.throwUnexpectedToken(Messages.UnterminatedRegExp)
        elif Character.isLineTerminator(ch):
            self.throwUnexpectedToken(Messages.UnterminatedRegExp)
        elif class_marker:
            if ch == "]":
                class_marker = False
        elif ch == "/":
            return source[start + 1 : self.index - 1]
        elif ch == "[":
            class_marker = True
    self.throwUnexpectedToken(Messages.UnterminatedRegExp)
    raise AssertionError("unreachable: throwUnexpectedToken raises")


def _scan_string_literal(self: Scanner) -> Any:
    """esprima's ``Scanner.scanStringLiteral`` without its quadratic cost.

    A string with an escape (or no closing quote) leaves esprima's fast path for a loop that
    grows the value with ``str += ch``: a 1 MB unterminated string took 15 s. Same scan, same
    errors; the value is collected in a list.
    """
    source = self.source
    start = self.index
    quote = source[start]
    assert quote in ("'", '"'), "String literal must starts with a quote"
    self.index += 1
    stop = _STRING_STOPS[quote].search(source, self.index)
    if stop is not None and source[stop.start()] == quote:
        value = source[self.index : stop.start()]
        self.index = stop.end()
        return RawToken(type=Token.StringLiteral, value=value, octal=False,
                        lineNumber=self.lineNumber, lineStart=self.lineStart, start=start, end=self.index)
    octal = False
    parts: list[str] = []
    simple = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\x0b"}
    while not self.eof():
        ch = source[self.index]
        self.index += 1
        if ch == quote:
            quote = ""
            break
        if ch == "\\":
            ch = source[self.index]
            self.index += 1
            if not ch or not Character.isLineTerminator(ch):
                if ch == "u":
                    if source[self.index] == "{":
                        self.index += 1
                        parts.append(self.scanUnicodeCodePointEscape())
                    else:
                        unescaped = self.scanHexEscape(ch)
                        if not unescaped:
                            self.throwUnexpectedToken()
                        parts.append(unescaped)
                elif ch == "x":
                    unescaped = self.scanHexEscape(ch)
                    if not unescaped:
                        self.throwUnexpectedToken(Messages.InvalidHexEscapeSequence)
                    parts.append(unescaped)
                elif ch in simple:
                    parts.append(simple[ch])
                elif ch in ("8", "9"):
                    parts.append(ch)
                    octal = True
                elif ch and Character.isOctalDigit(ch):
                    oct_to_dec = self.octalToDecimal(ch)
                    octal = oct_to_dec.octal or octal
                    parts.append(uchr(oct_to_dec.code))
                else:
                    parts.append(ch)
            else:
                self.lineNumber += 1
                if ch == "\r" and source[self.index] == "\n":
                    self.index += 1
                self.lineStart = self.index
        elif ch in ("\n", "\r"):
            break
        else:
            # ES2019's JSON superset permits literal U+2028 and U+2029 in strings.
            if ch in ("\u2028", "\u2029"):
                self.requireFeature(2019, "JSON-superset string literals")
                self.lineNumber += 1
                self.lineStart = self.index
            parts.append(ch)
    if quote != "":
        self.index = start
        self.throwUnexpectedToken()
    return RawToken(type=Token.StringLiteral, value="".join(parts), octal=octal, lineNumber=self.lineNumber,
                    lineStart=self.lineStart, start=start, end=self.index)


Scanner.scanRegExpBody = _scan_regexp_body  # type: ignore[method-assign]
Scanner.scanStringLiteral = _scan_string_literal  # type: ignore[method-assign]

# esprima attribute name -> acorn field name
_RENAMES = {"isAsync": "async", "allowAwait": "await"}
# esprima-only fields that acorn does not have
_DROP = {"range", "loc", "leadingComments", "trailingComments", "innerComments", "hashbang", "each"}


# nodes that may end by automatic semicolon insertion
_ASI_TYPES = {
    "ExpressionStatement", "VariableDeclaration", "ReturnStatement", "ThrowStatement",
    "BreakStatement", "ContinueStatement", "DebuggerStatement", "DoWhileStatement",
    "ImportDeclaration", "ExportNamedDeclaration", "ExportDefaultDeclaration",
    "ExportAllDeclaration", "PropertyDefinition", "SwitchCase",
}


# the only nodes whose range may end in whitespace
_NO_TRIM = {"Program", "TemplateElement"}


class _Converter:
    """One pass over esprima's node objects, producing acorn-shaped dicts."""

    def __init__(self, source: str, comments: list[Comment]) -> None:
        self.source = source
        self.lines = LineTable(source)
        self.comment_starts = {c.end: c.start for c in comments}

    def trim_end(self, node: Node) -> None:
        """Move ``end`` back over whitespace and comments (esprima's ASI ends at the next ``}``)."""
        end = node["end"]
        source = self.source
        while end > node["start"]:
            if source[end - 1].isspace() or source[end - 1] == "\ufeff":
                end -= 1
            elif end in self.comment_starts:
                end = self.comment_starts[end]
            else:
                break
        if end != node["end"]:
            node.update(end=end, loc=self.lines.loc(node["start"], end), range=[node["start"], end])

    def node(self, obj: Any) -> Any:
        if isinstance(obj, list):
            return [self.node(item) for item in obj]
        if not isinstance(obj, EsprimaObject):
            return obj
        attrs = obj.__dict__
        kind = attrs.get("type")
        rng = attrs.get("range")
        if kind is None or rng is None:
            return {k: self.node(v) for k, v in attrs.items() if not k.startswith("_")}
        start, end = rng
        out: Node = {
            "type": kind,
            "start": start,
            "end": end,
            "loc": self.lines.loc(start, end),
            "range": [start, end],
        }
        for key, value in attrs.items():
            if key.startswith("_") or key in _DROP or key == "type":
                continue
            out[_RENAMES.get(key, key)] = self.node(value)
        if kind not in _NO_TRIM and (kind in _ASI_TYPES or not self.source[end - 1 : end].strip()):
            self.trim_end(out)
        fix = _FIXES.get(kind)
        if fix is not None:
            fix(self, out)
        return out


def _fix_literal(conv: _Converter, node: Node) -> None:
    raw = node["raw"]
    if "bigint" in node:
        node["value"] = None
        node["bigint"] = bigint_digits(raw)
    elif "regex" in node:
        node["value"] = None
    elif isinstance(node.get("value"), (int, float)) and not isinstance(node["value"], bool):
        node["value"] = js_number(raw)


def _fix_program(conv: _Converter, node: Node) -> None:
    # acorn's Program spans the whole input, leading and trailing comments/space included
    end = len(conv.source)
    node.update(start=0, end=end, loc=conv.lines.loc(0, end), range=[0, end])


def _fix_template_element(conv: _Converter, node: Node) -> None:
    # esprima's range covers the delimiters (` or } before, ` or ${ after); acorn's does not
    start = node["start"] + 1
    end = node["end"] - (2 if conv.source[node["end"] - 1] == "{" else 1)
    node.update(start=start, end=end, loc=conv.lines.loc(start, end), range=[start, end])


def _trim_declaration(conv: _Converter, decl: Any) -> None:
    # in a for head, esprima's VariableDeclaration swallows the following `;`
    if isinstance(decl, dict) and decl.get("type") == "VariableDeclaration" and decl["declarations"]:
        end = decl["declarations"][-1]["end"]
        decl.update(end=end, loc=conv.lines.loc(decl["start"], end), range=[decl["start"], end])


def _fix_for(conv: _Converter, node: Node) -> None:
    _trim_declaration(conv, node.get("init"))


def _fix_export_named(conv: _Converter, node: Node) -> None:
    # acorn only has `attributes` when there is a `from` clause
    if node.get("source") is None:
        node.pop("attributes", None)


_FIXES: dict[str, Any] = {
    "TemplateElement": _fix_template_element,
    "ForStatement": _fix_for,
    "ExportNamedDeclaration": _fix_export_named,
    "Program": _fix_program,
    "Literal": _fix_literal,
}


def _stuck_at(source: str, source_type: SourceType, options: dict[str, object]) -> int:
    """Where esprima stopped when it failed an internal assertion (its lookahead token)."""
    from esprima.parser import Parser as EsprimaInternalParser

    parser = EsprimaInternalParser(source, options)
    try:
        parser.parseModule() if source_type == "module" else parser.parseScript()
    except AssertionError:
        start = getattr(parser.lookahead, "start", None)
        return start if isinstance(start, int) and 0 <= start <= len(source) else len(source)
    except Exception:  # noqa: BLE001 - only the position matters here
        pass
    return len(source)


class EsprimaParser:
    """Parser plugin backed by esprima-fork."""

    name = "esprima"
    default_priority = 100  # the default parser: exact errors, full syntax (thingscore.plugins)

    def parse(self, source: str, source_type: SourceType = "script") -> ParseResult:
        return run_with_big_stack(lambda: self._parse(source, source_type))

    def _parse(self, source: str, source_type: SourceType) -> ParseResult:
        options = {"range": True, "loc": False, "comment": True, "tolerant": False,
                   "positionEncoding": "scalar"}
        try:
            if source_type == "module":
                tree = esprima.parseModule(source, options)
            else:
                tree = esprima.parseScript(source, options)
        except esprima.Error as exc:
            message = str(getattr(exc, "description", None) or exc.message)
            if message.startswith("Line ") and ": " in message:
                message = message.split(": ", 1)[1]
            offset = exc.index if isinstance(exc.index, int) else len(source)
            raise syntax_error(message, source, offset) from None
        except RecursionError:
            raise JSSyntaxError("nesting too deep", 1, 0, 0) from None
        except AssertionError:
            # esprima asserts instead of reporting some malformed input (a `}` that closes a
            # template substitution early: `${a|}`): a syntax error at the token it stopped on
            raise syntax_error("Unexpected token", source, _stuck_at(source, source_type, options)) from None
        comments = [
            Comment("Block" if c.type == "Block" else "Line", c.value, c.range[0], c.range[1])
            for c in (tree.comments or [])
        ]
        program = _Converter(source, comments).node(tree)
        program.pop("comments", None)
        return ParseResult(program=program, comments=comments)
