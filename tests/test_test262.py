"""test262 transparency: a fixed sample of the ECMAScript suite, plain node against
instrumented (``things conformance run --test262 --sample N`` runs the same code).

The sample (``SAMPLE`` tests, the same ones every time, spread over the suite's folders;
each test in one of its modes, strict or sloppy chosen by its path, to stay within a few
minutes on two cores: the command runs every mode) is strict: a test plain node passes
must pass instrumented, unless it is listed in ``tests/test262/KNOWN_FAILURES.txt`` with
its reason; a listed test that passes fails the run too, so take its line out. The suite
is read from ``../shared/test262/`` (or ``$THINGS_TEST262``); without it the tests are
skipped, saying so.

Knobs: ``THINGS_TEST262_SAMPLE`` (sample size, default 1500), ``THINGS_TEST262_JOBS``.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from thingscore.test262 import known as known_list
from thingscore.test262.parallel import run_tests
from thingscore.test262.runner import (
    BASELINE,
    FAIL,
    PASS,
    REFUSED,
    ModeResult,
    Run,
    TestResult,
    combine,
    expectation_met,
)
from thingscore.test262.suite import (
    Meta,
    SuiteMissing,
    folder_of,
    list_tests,
    parse_meta,
    sample,
    tarball,
    unpacked,
)

KNOWN_FAILURES_FILE = Path(__file__).resolve().parent / "test262" / "KNOWN_FAILURES.txt"
SAMPLE = int(os.environ.get("THINGS_TEST262_SAMPLE", "1500"))


@pytest.fixture(scope="module")
def root() -> Path:
    try:
        return unpacked()
    except SuiteMissing as exc:
        pytest.skip(str(exc))


def test_missing_suite_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("THINGS_TEST262", str(tmp_path / "nowhere"))
    with pytest.raises(SuiteMissing, match="test262 not found .*nowhere.*THINGS_TEST262"):
        tarball()
    from thingscore.commands.conformance_test262 import run

    assert run(None, 3, False) == 2


def test_front_matter_and_modes() -> None:
    src = ("/*---\ndescription: x\nflags: [onlyStrict, async]\nincludes: [compareArray.js]\n"
           "negative:\n  phase: parse\n  type: SyntaxError\nfeatures: [class]\n---*/\n$DONOTEVALUATE();")
    meta = parse_meta(src)
    assert meta.includes == ["compareArray.js"] and meta.is_async and meta.modes() == ["strict"]
    assert (meta.negative_phase, meta.negative_type) == ("parse", "SyntaxError")
    assert Meta().modes() == ["sloppy", "strict"]
    assert Meta(flags={"module"}).modes() == ["module"] and Meta(flags={"raw"}).modes() == ["raw"]


def test_expectations() -> None:
    neg = Meta(negative_phase="runtime", negative_type="TypeError")
    assert expectation_met(neg, Run(1, "", "TypeError: x\n"))[0]
    assert not expectation_met(neg, Run(0, "", ""))[0]
    assert not expectation_met(neg, Run(1, "", "RangeError: x\n"))[0]
    asy = Meta(flags={"async"})
    assert expectation_met(asy, Run(0, "Test262:AsyncTestComplete\n", ""))[0]
    assert not expectation_met(asy, Run(0, "Test262:AsyncTestFailure:Test262Error: no\n", ""))[0]
    assert not expectation_met(asy, Run(0, "", ""))[0]
    assert not expectation_met(Meta(), Run(0, "", "", timed_out=True))[0]


def test_combine_modes() -> None:
    assert combine([ModeResult("sloppy", BASELINE), ModeResult("strict", BASELINE)]) == BASELINE
    assert combine([ModeResult("sloppy", BASELINE), ModeResult("strict", PASS)]) == PASS
    assert combine([ModeResult("sloppy", REFUSED), ModeResult("strict", PASS)]) == REFUSED
    assert combine([ModeResult("sloppy", REFUSED), ModeResult("strict", FAIL)]) == FAIL


def test_known_failures_are_judged_strictly() -> None:
    results = [TestResult("a.js", FAIL), TestResult("b.js", PASS), TestResult("c.js", FAIL)]
    v = known_list.judge(results, {"b.js": "fixed since", "c.js": "x", "z.js": "not in this run"})
    assert [r.test for r in v.unexpected] == ["a.js"] and v.fixed == ["b.js"] and [r.test for r in v.known] == ["c.js"]


def test_sample_is_fixed_and_spread(root: Path) -> None:
    tests = list_tests(root)
    assert len(tests) > 30000 and not any("_FIXTURE" in t for t in tests)
    picked = sample(tests, 200)
    assert picked == sample(tests, 200) and len(picked) == 200
    assert set(picked) <= set(sample(tests, 400))
    assert {folder_of(t).split("/")[0] for t in picked} == {"language", "built-ins"}
    assert len({folder_of(t) for t in picked}) > 20
    assert list_tests(root, ["language/expressions/class/elements/syntax"]) == [
        t for t in tests if t.startswith("language/expressions/class/elements/syntax")]


def test_known_failures_file_is_well_formed() -> None:
    for test, reason in known_list.read(KNOWN_FAILURES_FILE).items():
        assert test.endswith(".js") and (test.startswith("language/") or test.startswith("built-ins/")), test
        assert reason, f"{test}: give a reason"


def test_sample_is_transparent(root: Path) -> None:
    """The fixed sample: every test plain node passes passes instrumented, or is listed."""
    tests = sample(list_tests(root), SAMPLE)
    jobs = int(os.environ.get("THINGS_TEST262_JOBS", "0")) or None
    started = time.monotonic()
    results = run_tests(root, tests, jobs=jobs, one_mode=True)
    seconds = time.monotonic() - started
    known = known_list.read(KNOWN_FAILURES_FILE)
    if SAMPLE != 1500:  # a different sample: only its own tests' lines apply
        known = {t: r for t, r in known.items() if t in set(tests)}
    verdict = known_list.judge(results, known)
    counts = {s: sum(r.status == s for r in results) for s in (PASS, FAIL, REFUSED, BASELINE)}
    print(f"\ntest262 sample of {len(tests)}: {counts} in {seconds:.0f} s ({len(tests) / seconds:.1f} tests/s)")
    problems = []
    if verdict.unexpected:
        problems.append("failing, not in tests/test262/KNOWN_FAILURES.txt:\n" +
                        "\n".join("  " + known_list.line_for(r) for r in verdict.unexpected))
    if verdict.fixed:
        problems.append("listed in tests/test262/KNOWN_FAILURES.txt but passing now (take the lines out):\n" +
                        "\n".join("  " + t for t in verdict.fixed))
    assert not problems, "\n".join(problems)


def test_results_file_resumes(tmp_path: Path) -> None:
    from thingscore.commands.conformance_test262 import _read_results

    done = TestResult("a.js", PASS, [ModeResult("sloppy", PASS, moves=0)])
    f = tmp_path / "r.jsonl"
    f.write_text(json.dumps(done.as_dict()) + "\n" + '{"test": "b.js", "sta')  # the second cut short
    back = _read_results(f, {"a.js", "b.js"})
    assert [(r.test, r.status, r.modes[0].moves) for r in back] == [("a.js", PASS, 0)]
    assert _read_results(f, {"b.js"}) == []
