"""Cooking JavaScript literal text into values: strings, template chunks, identifiers.

tree-sitter gives only source text; acorn's tree carries the cooked values (``'\\x41'`` is
``"A"``), so the tree-sitter plugin cooks them here, following ECMAScript's escape rules.
Values are Python strings in which a UTF-16 surrogate pair written as two escapes
(``"\\uD83D\\uDE00"``) becomes one astral character, as a JSON round trip of acorn's
strings does; a lone surrogate stays a lone surrogate.
"""

from __future__ import annotations

import re

_SINGLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v"}
_LINE_CONT = ("\r\n", "\n", "\r", "\u2028", "\u2029")
_HEX = set("0123456789abcdefABCDEF")


class InvalidEscape(ValueError):
    """An escape sequence that is not allowed (``\\x4``, ``\\u{110000}``, octal in templates)."""

    def __init__(self, message: str, index: int) -> None:
        super().__init__(message)
        self.index = index


def join_surrogates(text: str) -> str:
    """Combine UTF-16 surrogate pairs into code points; leave lone surrogates alone."""
    if not any("\ud800" <= c <= "\udfff" for c in text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _hex_escape(text: str, i: int, count: int) -> tuple[int, int]:
    digits = text[i : i + count]
    if len(digits) != count or not all(c in _HEX for c in digits):
        raise InvalidEscape("Bad character escape sequence", i)
    return int(digits, 16), i + count


def _unicode_escape(text: str, i: int) -> tuple[int, int]:
    """Parse after ``\\u``; return (code point, next index)."""
    if i < len(text) and text[i] == "{":
        close = text.find("}", i)
        digits = text[i + 1 : close] if close >= 0 else ""
        if not digits or not all(c in _HEX for c in digits) or int(digits, 16) > 0x10FFFF:
            raise InvalidEscape("Invalid Unicode escape", i)
        return int(digits, 16), close + 1
    return _hex_escape(text, i, 4)


def cook(text: str, template: bool = False) -> str:
    """The value of string-literal or template text (without its delimiters).

    Legacy octal escapes (``\\101``, ``\\8``) are allowed in strings and raise
    :class:`InvalidEscape` in templates (a tagged template then gets ``cooked: null``).
    """
    if "\\" not in text:
        return text
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c != "\\":
            j = text.find("\\", i)
            j = n if j < 0 else j
            out.append(text[i:j])
            i = j
            continue
        i += 1
        if i >= n:
            raise InvalidEscape("Unterminated escape", i)
        c = text[i]
        if c in _SINGLE:
            out.append(_SINGLE[c])
            i += 1
        elif c == "x":
            code, i = _hex_escape(text, i + 1, 2)
            out.append(chr(code))
        elif c == "u":
            code, i = _unicode_escape(text, i + 1)
            out.append(chr(code))
        elif c == "\r" and text.startswith("\r\n", i):
            i += 2
        elif c in _LINE_CONT:
            i += 1
        elif c == "0" and not (i + 1 < n and text[i + 1].isdigit()):
            out.append("\0")
            i += 1
        elif c in "01234567":
            if template:
                raise InvalidEscape("Octal escape sequences are not allowed in template strings", i)
            j = i
            limit = 3 if c in "0123" else 2
            while j < n and j - i < limit and text[j] in "01234567":
                j += 1
            out.append(chr(int(text[i:j], 8)))
            i = j
        elif c in "89":
            if template:
                raise InvalidEscape("Invalid escape sequence in template string", i)
            out.append(c)
            i += 1
        else:
            out.append(c)
            i += 1
    return join_surrogates("".join(out))


_ID_ESCAPE = re.compile(r"\\u(\{[0-9a-fA-F]+\}|[0-9a-fA-F]{4})")


def identifier_name(text: str) -> str:
    """An identifier's name with ``\\u0061``/``\\u{61}`` escapes decoded."""
    if "\\" not in text:
        return text
    return _ID_ESCAPE.sub(lambda m: chr(int(m.group(1).strip("{}"), 16)), text)


def normalize_template_raw(text: str) -> str:
    """Template ``raw`` values see every line terminator sequence ``\\r\\n``/``\\r`` as ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
