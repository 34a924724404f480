"""Regular-expression literals: is ``/pattern/flags`` a valid pattern (ECMAScript 2024, 22.2.1)?

A literal whose pattern does not parse, or breaks one of its early errors, is a SyntaxError
before the program runs; tree-sitter only finds where the literal ends. :func:`regexp_error`
reads the pattern as the specification's ``Pattern`` grammar:

- without ``u`` or ``v``, the web-compatible grammar of Annex B.1.2 (lone ``{``, ``}`` and
  ``]`` are characters, ``\\c`` without a letter is a backslash, octal escapes, identity
  escapes of letters, quantified lookaheads), read code unit by code unit as the engine
  does (an astral character in a class is two units: ``[😀-a]`` is out of order);
- with ``u``, the strict grammar: no identity escapes but syntax characters and ``/``,
  back-references to existing groups only, ``\\u{...}`` up to 10FFFF, complete quantifiers;
- with ``v``, the same plus class set notation: nested classes, ``&&`` intersections and
  ``--`` subtractions (never mixed with each other or with unions), ``\\q{...}`` strings,
  the reserved double punctuators, and properties of strings (never negated, and not in a
  negated class);
- named groups (the same name twice only in different alternatives), ``\\k<name>`` when the
  pattern has named groups, quantifier bounds in order, modifiers (``(?i:...)``),
  lookbehinds (never quantified);
- ``\\p{...}`` / ``\\P{...}`` against the tables of ``regexp_unicode_data`` (General_Category,
  Script, Script_Extensions and their values, binary properties, properties of strings).

The answer is the first error and where it is (an index into the pattern) or ``None``.
"""

from __future__ import annotations

import unicodedata

from .regexp_unicode_data import BINARY_PROPERTIES, NON_BINARY_PROPERTIES, PROPERTIES_OF_STRINGS, VALUES

_SYNTAX = frozenset(map(ord, "^$\\.*+?()[]{}|"))
_DIGITS = frozenset(map(ord, "0123456789"))
_OCTAL = frozenset(map(ord, "01234567"))
_HEX = frozenset(map(ord, "0123456789abcdefABCDEF"))
_CLASS_ESCAPES = frozenset(map(ord, "dDsSwW"))
_CONTROL_ESCAPES = {ord("f"): 12, ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("v"): 11}
_ASCII_LETTERS = frozenset(map(ord, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
_PROPERTY_NAME = _ASCII_LETTERS | {ord("_")}
_PROPERTY_VALUE = _PROPERTY_NAME | _DIGITS
_SET_SYNTAX = frozenset(map(ord, "()[]{}/-\\|"))
_SET_RESERVED_DOUBLE = frozenset(map(ord, "&!#$%*+,.:;<=>?@^`~"))
_SET_RESERVED_PUNCTUATOR = frozenset(map(ord, "&-!#%,:;<=>@`~"))
_MODIFIERS = frozenset(map(ord, "ims"))

_BS, _LB, _RB, _LP, _RP, _LC, _RC = (ord(c) for c in "\\[](){}")
_DASH, _BAR, _CARET, _QMARK, _LT, _GT = map(ord, "-|^?<>")
_EOF = -1

# what a class operand may hold (ES2024's MayContainStrings)
_NONE, _CHARS, _STRINGS = 0, 1, 2


class RegExpError(Exception):
    """The first error of a pattern: the message and its index in the pattern."""

    def __init__(self, message: str, index: int) -> None:
        super().__init__(message)
        self.index = index


def regexp_error(pattern: str, flags: str) -> tuple[str, int] | None:
    """The first early error of ``/pattern/flags`` (message, index into the pattern), or None."""
    try:
        validate(pattern, flags)
    except RegExpError as exc:
        return str(exc), exc.index
    return None


def validate(pattern: str, flags: str) -> None:
    """Raise :class:`RegExpError` at the first early error of the pattern (flags assumed valid)."""
    v = "v" in flags
    u = v or "u" in flags
    reader = _Reader(pattern, u, v, named=u)
    reader.pattern()
    if not u and reader.names:
        # Pattern[~UnicodeMode, +NamedCaptureGroups]: `\k` must name a group
        _Reader(pattern, u, v, named=True).pattern()


def _code_units(pattern: str) -> tuple[list[int], list[int]]:
    """The pattern as UTF-16 code units, and each unit's index in the string."""
    units: list[int] = []
    where: list[int] = []
    for i, c in enumerate(pattern):
        cp = ord(c)
        if cp > 0xFFFF:
            cp -= 0x10000
            units += (0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF))
            where += (i, i)
        else:
            units.append(cp)
            where.append(i)
    return units, where


def _surrogate_pair(high: int, low: int) -> int:
    return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)


class _Reader:
    def __init__(self, pattern: str, u: bool, v: bool, named: bool) -> None:
        if u:
            self.s = [ord(c) for c in pattern]
            self.where = list(range(len(pattern)))
        else:
            self.s, self.where = _code_units(pattern)
        self.where.append(len(pattern))
        self.n = len(self.s)
        self.i = 0
        self.u = u
        self.v = v
        self.named = named  # the NamedCaptureGroups parameter: `\k` is a reference
        self.groups = 0
        self.max_backref = 0
        self.backref_at = 0
        self.names: dict[str, list[list[tuple[int, int]]]] = {}  # name -> the alternative path of each group
        self.name_refs: list[tuple[str, int]] = []
        self.path: list[tuple[int, int]] = []  # (disjunction, alternative) of the position
        self.disjunctions = 0

    # -- reading ---------------------------------------------------------------------------

    def fail(self, message: str, at: int | None = None) -> RegExpError:
        return RegExpError(message, self.where[min(self.i if at is None else at, self.n)])

    def peek(self, k: int = 0) -> int:
        j = self.i + k
        return self.s[j] if j < self.n else _EOF

    def eat(self, ch: int) -> bool:
        if self.i < self.n and self.s[self.i] == ch:
            self.i += 1
            return True
        return False

    def eat_str(self, text: str) -> bool:
        end = self.i + len(text)
        if end <= self.n and all(self.s[self.i + k] == ord(c) for k, c in enumerate(text)):
            self.i = end
            return True
        return False

    # -- the pattern -----------------------------------------------------------------------

    def pattern(self) -> None:
        self.disjunction()
        if self.i < self.n:
            if self.peek() == _RP:
                raise self.fail("Unmatched ')'")
            raise self.fail("Lone quantifier brackets" if self.peek() in (_RB, _RC) else "Unexpected character")
        for name, at in self.name_refs:
            if name not in self.names:
                raise self.fail("Invalid named capture referenced", at)
        if self.u and self.max_backref > self.groups:
            raise self.fail("Invalid escape", self.backref_at)

    def disjunction(self) -> None:
        self.disjunctions += 1
        here = self.disjunctions
        alternative = 0
        self.path.append((here, alternative))
        self.alternative()
        while self.eat(_BAR):
            alternative += 1
            self.path[-1] = (here, alternative)
            self.alternative()
        self.path.pop()

    def alternative(self) -> None:
        while self.i < self.n and self.peek() not in (_BAR, _RP):
            self.term()

    def term(self) -> None:
        start = self.i
        quantifiable = self.assertion_or_atom()
        if self.quantifier():
            if not quantifiable:
                raise self.fail("Nothing to repeat", start)

    def assertion_or_atom(self) -> bool:
        """One assertion or atom; returns whether a quantifier may follow it."""
        c = self.peek()
        if c in (ord("^"), ord("$")):
            self.i += 1
            return False
        if c == _BS and self.peek(1) in (ord("b"), ord("B")):
            self.i += 2
            return False
        if c == _LP:
            return self.group()
        if c == _LB:
            self.i += 1
            self.character_class()
            return True
        if c == _BS:
            self.i += 1
            self.atom_escape()
            return True
        if c in (ord("*"), ord("+"), ord("?")):
            raise self.fail("Nothing to repeat")
        if c == _LC:
            if self.u:
                raise self.fail("Lone quantifier brackets")
            if self.braces() is not None:  # Annex B: InvalidBracedQuantifier
                raise self.fail("Nothing to repeat")
            self.i += 1
            return True
        if c in (_RC, _RB) and self.u:
            raise self.fail("Lone quantifier brackets")
        self.i += 1
        return True

    def braces(self) -> tuple[int, int, int] | None:
        """A complete ``{n}``, ``{n,}`` or ``{n,m}`` at the position: (n, m or -1, its end)."""
        j = self.i + 1
        s = self.s
        start = j
        while j < self.n and s[j] in _DIGITS:
            j += 1
        if j == start:
            return None
        low = int("".join(map(chr, s[start:j])))
        high = low
        if j < self.n and s[j] == ord(","):
            j += 1
            start = j
            while j < self.n and s[j] in _DIGITS:
                j += 1
            high = int("".join(map(chr, s[start:j]))) if j > start else -1
        if j >= self.n or s[j] != _RC:
            return None
        return low, high, j + 1

    def quantifier(self) -> bool:
        c = self.peek()
        if c in (ord("*"), ord("+"), ord("?")):
            self.i += 1
        elif c == _LC:
            found = self.braces()
            if found is None:
                if self.u:
                    raise self.fail("Incomplete quantifier")
                return False
            low, high, end = found
            if high != -1 and high < low:
                raise self.fail("numbers out of order in {} quantifier")
            self.i = end
        else:
            return False
        self.eat(_QMARK)
        return True

    # -- groups ----------------------------------------------------------------------------

    def group(self) -> bool:
        start = self.i
        self.i += 1
        quantifiable = True
        if self.eat(_QMARK):
            c = self.peek()
            if c == ord(":"):
                self.i += 1
            elif c in (ord("="), ord("!")):
                self.i += 1
                quantifiable = not self.u  # Annex B: QuantifiableAssertion
            elif c == _LT and self.peek(1) in (ord("="), ord("!")):
                self.i += 2
                quantifiable = False
            elif c == _LT:
                self.i += 1
                self.named_group(start)
            elif c in _MODIFIERS or c == _DASH:
                self.modifiers()
            else:
                raise self.fail("Invalid group")
        else:
            self.groups += 1
        self.disjunction()
        if not self.eat(_RP):
            raise self.fail("Unterminated group")
        return quantifiable

    def named_group(self, start: int) -> None:
        name = self.group_name()
        path = list(self.path)
        for other in self.names.get(name, ()):
            if not _alternatives(path, other):
                raise self.fail("Duplicate capture group name", start)
        self.names.setdefault(name, []).append(path)
        self.groups += 1

    def modifiers(self) -> None:
        """``(?ims-ims:`` (ES2025 modifiers): no letter twice, something on either side."""
        seen: set[int] = set()
        start = self.i
        dash = False
        while True:
            c = self.peek()
            if c in _MODIFIERS:
                if c in seen:
                    raise self.fail("Repeated flag names in modifiers")
                seen.add(c)
            elif c == _DASH and not dash:
                dash = True
                if self.i == start and self.peek(1) == ord(":"):
                    raise self.fail("Invalid group")
            elif c == ord(":"):
                self.i += 1
                return
            else:
                raise self.fail("Invalid group")
            self.i += 1

    def group_name(self) -> str:
        """``name>`` (after ``(?<`` or ``\\k<``): a RegExpIdentifierName."""
        start = self.i
        out: list[str] = []
        while True:
            c = self.peek()
            if c == _GT:
                self.i += 1
                break
            if c == _EOF:
                raise self.fail("Invalid capture group name", start)
            at = self.i
            if c == _BS:
                self.i += 1
                if self.peek() != ord("u"):
                    raise self.fail("Invalid capture group name", at)
                self.i += 1
                cp = self.unicode_escape_body(always_unicode=True)
                if cp is None:
                    raise self.fail("Invalid capture group name", at)
            else:
                self.i += 1
                cp = c
                if 0xD800 <= c <= 0xDBFF and 0xDC00 <= self.peek() <= 0xDFFF:
                    cp = _surrogate_pair(c, self.peek())
                    self.i += 1
            if not _identifier_char(cp, first=not out):
                raise self.fail("Invalid capture group name", at)
            out.append(chr(cp))
        if not out:
            raise self.fail("Invalid capture group name", start)
        return "".join(out)

    # -- escapes ---------------------------------------------------------------------------

    def atom_escape(self) -> None:
        """After a backslash outside a class."""
        c = self.peek()
        if c == _EOF:
            raise self.fail("\\ at end of pattern")
        if c in _DIGITS and c != ord("0"):
            at = self.i - 1
            value = self.decimal()
            if self.u and value > self.max_backref:
                self.max_backref = value
                self.backref_at = at
            return  # without u: a back-reference, an octal escape or an identity escape
        if c == ord("k") and self.named:
            at = self.i - 1
            self.i += 1
            if not self.eat(_LT):
                raise self.fail("Invalid named reference", at)
            self.name_refs.append((self.group_name(), at))
            return
        if self.class_escape_letter(c):
            return
        if c == ord("c") and not self.u and self.peek(1) not in _ASCII_LETTERS:
            return  # Annex B: `\` is a character and `c` is read next
        self.character_escape()

    def decimal(self) -> int:
        start = self.i
        while self.peek() in _DIGITS:
            self.i += 1
        return int("".join(map(chr, self.s[start : self.i])))

    def class_escape_letter(self, c: int) -> int:
        """``\\d`` ... ``\\W``, ``\\p{...}``, ``\\P{...}`` (after the backslash): what it may hold."""
        if c in _CLASS_ESCAPES:
            self.i += 1
            return _CHARS
        if self.u and c in (ord("p"), ord("P")):
            at = self.i - 1
            self.i += 1
            kind = self.property_expression(at)
            if kind == _STRINGS and c == ord("P"):
                raise self.fail("Invalid property name", at)
            return kind
        return _NONE

    def property_expression(self, at: int) -> int:
        if not self.eat(_LC):
            raise self.fail("Invalid property name", at)
        start = self.i
        while self.peek() in _PROPERTY_VALUE:
            self.i += 1
        first = "".join(map(chr, self.s[start : self.i]))
        value = None
        if self.eat(ord("=")):
            vstart = self.i
            while self.peek() in _PROPERTY_VALUE:
                self.i += 1
            value = "".join(map(chr, self.s[vstart : self.i]))
        if not self.eat(_RC) or not first:
            raise self.fail("Invalid property name", at)
        if value is not None:
            prop = NON_BINARY_PROPERTIES.get(first)
            if prop is None:
                raise self.fail("Invalid property name", at)
            if value not in VALUES[prop]:
                raise self.fail("Invalid property value", at)
            return _CHARS
        if first in BINARY_PROPERTIES or first in VALUES["General_Category"]:
            return _CHARS
        if first in PROPERTIES_OF_STRINGS:
            if not self.v:
                raise self.fail("Invalid property name", at)
            return _STRINGS
        raise self.fail("Invalid property name", at)

    def character_escape(self, in_class: bool = False) -> int:
        """A CharacterEscape after the backslash (Annex B without ``u``): its value."""
        c = self.peek()
        at = self.i - 1
        if c in _CONTROL_ESCAPES:
            self.i += 1
            return _CONTROL_ESCAPES[c]
        if c == ord("c"):
            letter = self.peek(1)
            if letter in _ASCII_LETTERS:
                self.i += 2
                return letter % 32
            if self.u:
                raise self.fail("Invalid unicode escape", at)
            if in_class and (letter in _DIGITS or letter == ord("_")):  # ClassControlLetter
                self.i += 2
                return letter % 32
            return _BS  # not reached outside classes: the caller reads `\` alone
        if c == ord("0") and self.peek(1) not in _DIGITS:
            self.i += 1
            return 0
        if c == ord("x"):
            if self.peek(1) in _HEX and self.peek(2) in _HEX:
                self.i += 3
                return int(chr(self.s[self.i - 2]) + chr(self.s[self.i - 1]), 16)
            if self.u:
                raise self.fail("Invalid escape", at)
            self.i += 1
            return c
        if c == ord("u"):
            self.i += 1
            cp = self.unicode_escape_body(always_unicode=False)
            if cp is not None:
                return cp
            if self.u:
                raise self.fail("Invalid Unicode escape", at)
            return c
        if self.u:
            if c in _SYNTAX or c == ord("/") or (in_class and c == _DASH):
                self.i += 1
                return c
            raise self.fail("Invalid escape", at)
        if c in _OCTAL:
            return self.legacy_octal()
        if c == ord("k") and self.named:
            raise self.fail("Invalid escape", at)  # only `\k<name>` where names exist
        self.i += 1  # Annex B: IdentityEscape
        return c

    def legacy_octal(self) -> int:
        start = self.i
        limit = 3 if self.s[start] <= ord("3") else 2
        while self.i - start < limit and self.peek() in _OCTAL:
            self.i += 1
        return int("".join(map(chr, self.s[start : self.i])), 8)

    def unicode_escape_body(self, always_unicode: bool) -> int | None:
        """After ``\\u``: the code point, or None (the position unchanged) if it is no escape."""
        unicode = self.u or always_unicode
        start = self.i
        if unicode and self.peek() == _LC:
            j = self.i + 1
            while j < self.n and self.s[j] in _HEX:
                j += 1
            if j == self.i + 1 or j >= self.n or self.s[j] != _RC:
                return None
            value = int("".join(map(chr, self.s[self.i + 1 : j])), 16)
            if value > 0x10FFFF:
                raise self.fail("Invalid Unicode escape", start - 2)
            self.i = j + 1
            return value
        value = self.hex4()
        if value is None:
            return None
        if unicode and 0xD800 <= value <= 0xDBFF and self.peek() == _BS and self.peek(1) == ord("u"):
            here = self.i
            self.i += 2
            low = self.hex4()
            if low is not None and 0xDC00 <= low <= 0xDFFF:
                return _surrogate_pair(value, low)
            self.i = here
        return value

    def hex4(self) -> int | None:
        if all(self.peek(k) in _HEX for k in range(4)):
            self.i += 4
            return int("".join(map(chr, self.s[self.i - 4 : self.i])), 16)
        return None

    # -- character classes (without v) -----------------------------------------------------

    def character_class(self) -> int:
        """After ``[``: the class up to its ``]``; returns what it may hold."""
        start = self.i - 1
        negated = self.eat(_CARET)
        if self.v:
            kind = self.class_set_expression()
            if not self.eat(_RB):
                if self.i >= self.n:
                    raise self.fail("Unterminated character class", start)
                raise self.fail("Invalid character in character class")
            if negated and kind == _STRINGS:
                raise self.fail("Negated character class may contain strings", start)
            return _CHARS if negated else kind
        while True:
            if self.i >= self.n:
                raise self.fail("Unterminated character class", start)
            if self.eat(_RB):
                return _CHARS
            at = self.i
            low = self.class_atom()
            if self.peek() == _DASH and self.peek(1) not in (_RB, _EOF):
                self.i += 1
                high = self.class_atom()
                if low is None or high is None:
                    if self.u:
                        raise self.fail("Invalid character class", at)
                    continue
                if low > high:
                    raise self.fail("Range out of order in character class", at)

    def class_atom(self) -> int | None:
        """One class atom: its value, or None for a class escape (``\\d``, ``\\p{...}``)."""
        c = self.peek()
        if c == _EOF:
            raise self.fail("Unterminated character class")
        if c != _BS:
            self.i += 1
            return c
        self.i += 1
        e = self.peek()
        if e == _EOF:
            raise self.fail("\\ at end of pattern")
        if e == ord("b"):
            self.i += 1
            return 8
        if self.u and e == _DASH:
            self.i += 1
            return e
        if self.class_escape_letter(e):
            return None
        if e in _DIGITS and e != ord("0") or (e == ord("0") and self.peek(1) in _DIGITS):
            if self.u:
                raise self.fail("Invalid class escape", self.i - 1)
            if e in _OCTAL:
                return self.legacy_octal()
            self.i += 1
            return e
        if e == ord("c") and not self.u and self.peek(1) not in _ASCII_LETTERS | _DIGITS | {ord("_")}:
            return _BS  # Annex B: `\` is a character and `c` is read next
        return self.character_escape(in_class=True)

    # -- class set notation (v) ------------------------------------------------------------

    def class_set_expression(self) -> int:
        """ClassSetExpression: a union, an intersection or a subtraction; what it may hold."""
        if self.peek() == _RB:
            return _NONE
        if self.class_set_range():
            return self.class_union(_CHARS)
        kind = self.class_set_operand()
        if kind is None:
            raise self.fail("Invalid character in character class")
        if self.peek() == ord("&") and self.peek(1) == ord("&"):
            while self.eat_str("&&"):
                if self.peek() == ord("&"):
                    raise self.fail("Invalid character in character class")
                right = self.class_set_operand()
                if right is None:
                    raise self.fail("Invalid character in character class")
                if right != _STRINGS:
                    kind = _CHARS
            return kind
        if self.peek() == _DASH and self.peek(1) == _DASH:
            while self.eat_str("--"):
                if self.class_set_operand() is None:
                    raise self.fail("Invalid character in character class")
            return kind
        return self.class_union(kind)

    def class_union(self, kind: int) -> int:
        while True:
            if self.peek() == _RB or self.i >= self.n:
                return kind
            if (self.peek() == ord("&") and self.peek(1) == ord("&")) or (
                    self.peek() == _DASH and self.peek(1) == _DASH):
                raise self.fail("Invalid set operation in character class")
            if self.class_set_range():
                continue
            more = self.class_set_operand()
            if more is None:
                raise self.fail("Invalid character in character class")
            if more == _STRINGS:
                kind = _STRINGS

    def class_set_range(self) -> bool:
        start = self.i
        low = self.class_set_character()
        if low is not None and self.peek() == _DASH and self.peek(1) != _DASH:
            self.i += 1
            high = self.class_set_character()
            if high is not None:
                if low > high:
                    raise self.fail("Range out of order in character class", start)
                return True
            raise self.fail("Invalid character in character class")
        self.i = start
        return False

    def class_set_operand(self) -> int | None:
        """A nested class, ``\\q{...}`` or one character: what it may hold; None if none is here."""
        c = self.peek()
        if c == _LB:
            self.i += 1
            return self.character_class()
        if c == _BS:
            e = self.peek(1)
            self.i += 1
            kind = self.class_escape_letter(e)
            if kind:
                return kind
            if e == ord("q"):
                self.i += 1
                if not self.eat(_LC):
                    raise self.fail("Invalid escape", self.i - 2)
                return self.class_string_disjunction()
            self.i -= 1
        if self.class_set_character() is not None:
            return _CHARS
        return None

    def class_string_disjunction(self) -> int:
        kind = _CHARS
        length = 0
        while True:
            if self.eat(_RC):
                return _STRINGS if length != 1 else kind
            if self.eat(_BAR):
                if length != 1:
                    kind = _STRINGS
                length = 0
                continue
            if self.i >= self.n:
                raise self.fail("Invalid escape")
            if self.class_set_character() is None:
                raise self.fail("Invalid character in character class")
            length += 1

    def class_set_character(self) -> int | None:
        """A ClassSetCharacter: its value; None (the position unchanged) if there is none."""
        c = self.peek()
        if c == _EOF:
            return None
        if c == _BS:
            e = self.peek(1)
            if e == _EOF:
                raise self.fail("\\ at end of pattern")
            if e in _SET_RESERVED_PUNCTUATOR:
                self.i += 2
                return e
            if e == ord("b"):
                self.i += 2
                return 8
            if e in _CLASS_ESCAPES or e in (ord("p"), ord("P"), ord("q")):
                return None
            self.i += 1
            if e in _DIGITS and not (e == ord("0") and self.peek(1) not in _DIGITS):
                raise self.fail("Invalid class escape", self.i - 1)
            return self.character_escape(in_class=False)
        if c in _SET_RESERVED_DOUBLE and self.peek(1) == c:
            raise self.fail("Invalid set operation in character class")
        if c in _SET_SYNTAX:
            return None
        self.i += 1
        return c


def _alternatives(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    """Are two positions in different alternatives of one disjunction (never both in a match)?"""
    for x, y in zip(a, b, strict=False):
        if x == y:
            continue
        return x[0] == y[0]
    return False


def _identifier_char(cp: int, first: bool) -> bool:
    if cp in (0x24, 0x5F):  # $ _
        return True
    if not first and cp in (0x200C, 0x200D):
        return True
    if cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
        return False
    c = chr(cp)
    if (c if first else "a" + c).isidentifier():
        return True
    noncharacter = 0xFDD0 <= cp <= 0xFDEF or cp & 0xFFFE == 0xFFFE
    # unassigned in this Python's Unicode version but maybe a letter in the engine's: accept
    return unicodedata.category(c) == "Cn" and not noncharacter
