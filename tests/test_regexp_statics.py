"""The instrumenter marks a program that reads RegExp's legacy statics (``RegExp.$1``...), so
that a host whose engine lacks them (QuickJS-ng) makes them for it, and only for it: made for
every program they would cost a call into JavaScript on every match (jsruntime/qjs_regexp.js)."""

from __future__ import annotations

from pathlib import Path

import pytest

from thingscore.instrument.bundle import instrument


@pytest.mark.parametrize(
    ("source", "marked"),
    [
        ("/(a)/.test('a'); console.log(RegExp.$1);", True),
        ("/(a)/.test('a'); console.log(RegExp.lastMatch);", True),
        ("/(a)/.test('a'); console.log(RegExp['$&']);", True),
        ("console.log(RegExp.prototype.exec, RegExp.escape, new RegExp('a').source);", False),
        ("const RegExp = { $1: 'mine' }; console.log(RegExp.$1);", False),  # not the global one
    ],
)
def test_reading_legacy_statics_marks_the_program(tmp_path: Path, source: str, marked: bool) -> None:
    """Why: a program reading them on QuickJS gets them; one that does not pays nothing."""
    prog = tmp_path / "prog.js"
    prog.write_text(source, encoding="utf-8")
    built = instrument(prog, cache=False)
    assert bool(built.meta.get("regexpStatics")) is marked
