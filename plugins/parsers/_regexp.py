"""Early errors of regular-expression literals: is ``/pattern/flags`` a pattern at all?

A regular-expression literal whose pattern does not parse is a SyntaxError before the
program runs (ECMAScript 22.2.1.1), and tree-sitter only finds the literal's end. This is a
recursive-descent reader of the pattern grammar that answers with the first error or
``None``: with the ``u`` flag the strict grammar (no identity escapes of letters, no lone
braces, back-references must exist); without it the web-compatible grammar of Annex B.3.1,
where most oddities are literal characters. With the ``v`` flag only the brackets and
groups are checked (its set notation is left to the engine): a check that accepts too much
is a missed early error, one that refuses too much breaks a valid program.

Unicode property names (``\\p{Script=Greek}``) are checked for shape, not against the
Unicode tables.
"""

from __future__ import annotations

_SYNTAX = frozenset("^$\\.*+?()[]{}|/")
_CLASS_ESCAPES = frozenset("dDsSwW")
_CONTROL_ESCAPES = frozenset("fnrtv")
_DIGITS = frozenset("0123456789")
_HEX = frozenset("0123456789abcdefABCDEF")


class _Error(Exception):
    pass


def regexp_error(pattern: str, flags: str) -> str | None:
    """The first syntax error of the pattern, or None if it is valid (as far as we check)."""
    if "v" in flags:
        return _v_mode(pattern)
    try:
        _Reader(pattern, "u" in flags).run()
    except _Error as exc:
        return str(exc)
    return None


def _v_mode(pattern: str) -> str | None:
    """Only balanced brackets and parentheses (the ``v`` flag's set notation nests classes)."""
    depth_class = 0
    depth_group = 0
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            depth_class += 1
        elif c == "]":
            if depth_class == 0:
                return "Lone quantifier brackets"
            depth_class -= 1
        elif depth_class == 0 and c == "(":
            depth_group += 1
        elif depth_class == 0 and c == ")":
            if depth_group == 0:
                return "Unmatched ')'"
            depth_group -= 1
        i += 1
    if depth_class:
        return "Unterminated character class"
    if depth_group:
        return "Unterminated group"
    return None


class _Reader:
    def __init__(self, pattern: str, unicode: bool) -> None:
        self.p = pattern
        self.n = len(pattern)
        self.i = 0
        self.u = unicode
        self.groups = 0
        self.names: set[str] = set()
        self.backref_names: list[str] = []
        self.max_backref = 0
        self.has_names = "(?<" in pattern and any(
            pattern[k + 3 : k + 4] not in ("=", "!") for k in range(len(pattern)) if pattern.startswith("(?<", k)
        )

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.p[j] if j < self.n else ""

    def run(self) -> None:
        self.disjunction()
        if self.i < self.n:
            raise _Error("Unmatched ')'" if self.peek() == ")" else "Unexpected character")
        for name in self.backref_names:
            if name not in self.names:
                raise _Error("Invalid named capture referenced")
        if self.u and self.max_backref > self.groups:
            raise _Error("Invalid escape")

    def disjunction(self) -> None:
        self.alternative()
        while self.peek() == "|":
            self.i += 1
            self.alternative()

    def alternative(self) -> None:
        while self.i < self.n and self.peek() not in ("|", ")"):
            self.term()

    def term(self) -> None:
        c = self.peek()
        quantifiable = True
        if c == "^" or c == "$":
            self.i += 1
            quantifiable = False
        elif c == "\\" and self.peek(1) in ("b", "B"):
            self.i += 2
            quantifiable = False
        elif c == "(":
            quantifiable = self.group()
        elif c == "[":
            self.char_class()
        elif c == "\\":
            self.atom_escape()
        elif c in ("*", "+", "?"):
            raise _Error("Nothing to repeat")
        elif c == "{":
            if self.u or self.braced_quantifier_here():
                raise _Error("Nothing to repeat" if not self.u else "Lone quantifier brackets")
            self.i += 1
        elif c in ("}", "]"):
            if self.u:
                raise _Error("Lone quantifier brackets")
            self.i += 1
        else:
            self.i += 1
        self.quantifier(quantifiable)

    def braced_quantifier_here(self) -> bool:
        """Is there a complete ``{n}``, ``{n,}`` or ``{n,m}`` at the position?"""
        return self.read_braces(commit=False)

    def read_braces(self, commit: bool) -> bool:
        j = self.i + 1
        p = self.p
        start = j
        while j < self.n and p[j] in _DIGITS:
            j += 1
        if j == start:
            return False
        low = int(p[start:j])
        high = low
        if j < self.n and p[j] == ",":
            j += 1
            s2 = j
            while j < self.n and p[j] in _DIGITS:
                j += 1
            high = int(p[s2:j]) if j > s2 else -1
        if j >= self.n or p[j] != "}":
            return False
        if commit:
            if high != -1 and high < low:
                raise _Error("numbers out of order in {} quantifier")
            self.i = j + 1
        return True

    def quantifier(self, quantifiable: bool) -> None:
        c = self.peek()
        if c in ("*", "+", "?"):
            if not quantifiable:
                raise _Error("Nothing to repeat")
            self.i += 1
        elif c == "{":
            if self.read_braces(commit=False):
                if not quantifiable:
                    raise _Error("Nothing to repeat")
                self.read_braces(commit=True)
            elif self.u:
                raise _Error("Incomplete quantifier")
            else:
                return
        else:
            return
        if self.peek() == "?":
            self.i += 1
        if self.peek() in ("*", "+", "?") or (self.peek() == "{" and self.read_braces(commit=False)):
            raise _Error("Nothing to repeat")

    def group(self) -> bool:
        """A group; returns whether a quantifier may follow it."""
        p = self.p
        self.i += 1
        quantifiable = True
        if self.peek() == "?":
            nxt = self.peek(1)
            if nxt == ":":
                self.i += 2
            elif nxt in ("=", "!"):
                self.i += 2
                quantifiable = not self.u  # Annex B: a lookahead may be quantified
            elif nxt == "<" and self.peek(2) in ("=", "!"):
                self.i += 3
                quantifiable = False
            elif nxt == "<":
                self.i += 2
                name = self.group_name()
                if name in self.names:
                    raise _Error("Duplicate capture group name")
                self.names.add(name)
                self.groups += 1
            elif nxt in ("i", "m", "s", "-"):  # modifiers (ES2025): left to the engine
                j = self.i + 1
                while j < self.n and p[j] in "ims-":
                    j += 1
                if j >= self.n or p[j] != ":":
                    raise _Error("Invalid group")
                self.i = j + 1
            else:
                raise _Error("Invalid group")
        else:
            self.groups += 1
        self.disjunction()
        if self.peek() != ")":
            raise _Error("Unterminated group")
        self.i += 1
        return quantifiable

    def group_name(self) -> str:
        """``name>`` after ``(?<`` or ``\\k<``: an identifier (escapes allowed)."""
        end = self.p.find(">", self.i)
        if end < 0:
            raise _Error("Invalid capture group name")
        raw = self.p[self.i : end]
        name = _cook_name(raw)
        if name is None or not name or not _is_identifier(name):
            raise _Error("Invalid capture group name")
        self.i = end + 1
        return name

    def atom_escape(self) -> None:
        self.i += 1
        c = self.peek()
        if c == "":
            raise _Error("\\ at end of pattern")
        if c in _DIGITS and c != "0":
            j = self.i
            while j < self.n and self.p[j] in _DIGITS:
                j += 1
            self.max_backref = max(self.max_backref, int(self.p[self.i : j]))
            self.i = j
            return
        if c == "k":
            if self.u or self.has_names:
                self.i += 1
                if self.peek() != "<":
                    raise _Error("Invalid named reference")
                self.i += 1
                self.backref_names.append(self.group_name())
                return
            self.i += 1
            return
        self.character_escape(in_class=False)

    def character_escape(self, in_class: bool) -> None:
        """After a backslash (the escape letter at the position)."""
        c = self.peek()
        if c in _CLASS_ESCAPES or c in _CONTROL_ESCAPES:
            self.i += 1
        elif c in ("p", "P") and self.u:
            self.i += 1
            if self.peek() != "{":
                raise _Error("Invalid property name")
            end = self.p.find("}", self.i)
            body = self.p[self.i + 1 : end] if end > 0 else ""
            if end < 0 or not body or not all(ch.isalnum() or ch in "_=" for ch in body) or body.count("=") > 1:
                raise _Error("Invalid property name")
            self.i = end + 1
        elif c == "c":
            letter = self.peek(1)
            if letter.isascii() and letter.isalpha():
                self.i += 2
            elif self.u:
                raise _Error("Invalid unicode escape")
            elif in_class and (letter in _DIGITS or letter == "_"):
                self.i += 2
            # Annex B: otherwise the backslash is a literal and `c` is read next
        elif c == "0":
            self.i += 1
            if self.u and self.peek() in _DIGITS:
                raise _Error("Invalid decimal escape")
            if not self.u:
                while self.peek() in "01234567" and self.peek():
                    self.i += 1
        elif c == "x":
            if self.peek(1) in _HEX and self.peek(2) in _HEX and self.peek(1) and self.peek(2):
                self.i += 3
            elif self.u:
                raise _Error("Invalid escape")
            else:
                self.i += 1
        elif c == "u":
            self.unicode_escape()
        elif self.u:
            if c in _SYNTAX or (in_class and c == "-"):
                self.i += 1
            else:
                raise _Error("Invalid escape")
        else:
            self.i += 1  # identity escape (Annex B)

    def unicode_escape(self) -> None:
        p = self.p
        j = self.i + 1
        if self.u and self.peek(1) == "{":
            end = p.find("}", j + 1)
            digits = p[j + 1 : end] if end > 0 else ""
            if end < 0 or not digits or not all(d in _HEX for d in digits) or int(digits, 16) > 0x10FFFF:
                raise _Error("Invalid Unicode escape")
            self.i = end + 1
            return
        if all(k < self.n and p[k] in _HEX for k in range(j, j + 4)):
            self.i = j + 4
            return
        if self.u:
            raise _Error("Invalid Unicode escape")
        self.i += 1

    def char_class(self) -> None:
        self.i += 1
        if self.peek() == "^":
            self.i += 1
        while True:
            if self.i >= self.n:
                raise _Error("Unterminated character class")
            if self.peek() == "]":
                self.i += 1
                return
            low = self.class_atom()
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.i += 1
                high = self.class_atom()
                if low is None or high is None:
                    if self.u:
                        raise _Error("Invalid character class")
                    continue
                if low > high:
                    raise _Error("Range out of order in character class")

    def class_atom(self) -> int | None:
        """One class atom: its code point, or None for a class escape (``\\d``)."""
        c = self.peek()
        if c == "":
            raise _Error("Unterminated character class")
        if c != "\\":
            self.i += 1
            value = ord(c)
            return None if value > 0xFFFF and not self.u else value  # two code units without u
        self.i += 1
        e = self.peek()
        if e == "":
            raise _Error("\\ at end of pattern")
        start = self.i
        if e == "b":
            self.i += 1
            return 8
        if e == "-" and self.u:
            self.i += 1
            return ord("-")
        if e in _CLASS_ESCAPES or (e in ("p", "P") and self.u):
            self.character_escape(in_class=True)
            return None
        if e in _DIGITS and e != "0":
            if self.u:
                raise _Error("Invalid class escape")
            j = self.i
            while j < self.n and self.p[j] in "01234567" and j < self.i + 3:
                j += 1
            if j == self.i:
                self.i += 1
                return ord(e)
            value = int(self.p[self.i : j], 8)
            self.i = j
            return value
        if e == "c" and not (self.peek(1).isascii() and (self.peek(1).isalpha() or self.peek(1) in _DIGITS
                                                         or self.peek(1) == "_")):
            if self.u:
                raise _Error("Invalid class escape")
            return ord("\\")
        if e == "k" and not self.u:
            self.i += 1
            return ord("k")
        self.character_escape(in_class=True)
        value = _escape_value(self.p[start : self.i])
        digits = self.p[self.i + 2 : self.i + 6]
        if (self.u and value is not None and 0xD800 <= value <= 0xDBFF and self.p.startswith("\\u", self.i)
                and len(digits) == 4 and all(d in _HEX for d in digits)):
            trail = int(digits, 16)
            if 0xDC00 <= trail <= 0xDFFF:
                self.i += 6
                return 0x10000 + ((value - 0xD800) << 10) + (trail - 0xDC00)
        return value


_SIMPLE_VALUES = {"f": 12, "n": 10, "r": 13, "t": 9, "v": 11}


def _escape_value(text: str) -> int | None:
    """The code point of an escape (without its backslash), or None when unsure."""
    if not text:
        return None
    c = text[0]
    if c in _SIMPLE_VALUES and len(text) == 1:
        return _SIMPLE_VALUES[c]
    if c == "c" and len(text) == 2:
        return ord(text[1]) % 32
    if c == "x" and len(text) == 3:
        return int(text[1:], 16)
    if c == "u" and text.startswith("u{"):
        return int(text[2:-1], 16)
    if c == "u" and len(text) == 5:
        return int(text[1:], 16)
    if c == "0" and len(text) == 1:
        return 0
    if c in "01234567" and all(d in "01234567" for d in text):
        return int(text, 8)
    if len(text) == 1:
        return ord(c)
    return None


def _cook_name(raw: str) -> str | None:
    """A group name with its ``\\uXXXX`` / ``\\u{...}`` escapes applied; None if malformed."""
    if "\\" not in raw:
        return raw
    out: list[str] = []
    i = 0
    while i < len(raw):
        c = raw[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        if raw[i + 1 : i + 2] != "u":
            return None
        if raw[i + 2 : i + 3] == "{":
            end = raw.find("}", i)
            digits = raw[i + 3 : end]
            if end < 0 or not digits or not all(d in _HEX for d in digits) or int(digits, 16) > 0x10FFFF:
                return None
            out.append(chr(int(digits, 16)))
            i = end + 1
            continue
        digits = raw[i + 2 : i + 6]
        if len(digits) != 4 or not all(d in _HEX for d in digits):
            return None
        code = int(digits, 16)
        i += 6
        if 0xD800 <= code <= 0xDBFF and raw[i : i + 2] == "\\u":
            low = raw[i + 2 : i + 6]
            if len(low) == 4 and all(d in _HEX for d in low) and 0xDC00 <= int(low, 16) <= 0xDFFF:
                code = 0x10000 + ((code - 0xD800) << 10) + (int(low, 16) - 0xDC00)
                i += 6
        out.append(chr(code))
    return "".join(out)


def _is_identifier(name: str) -> bool:
    probe = name.replace("$", "_").replace("\u200c", "a").replace("\u200d", "a")
    if name[:1] in ("\u200c", "\u200d"):
        return False
    try:
        return probe.isidentifier()
    except ValueError:
        return False
