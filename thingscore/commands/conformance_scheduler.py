"""``things conformance run --scheduler=NAME``: run the scheduler-policy conformance suite.

The policy is loaded through its ``things.schedulers`` entry point, exactly as the
scheduler would load it, so a third-party policy is checked the same way as ours. Prints
one line per check (ok / FAIL / skip, with the reason), then ``N passed, N failed, N
skipped``. Exit status: 0 when no check failed, 1 when one did, 2 for an unknown policy.
"""

from __future__ import annotations

import sys
import time

from thingscore import plugins


def run(name: str, verbose: bool) -> int:
    try:
        policy = plugins.load("scheduler", name)
    except plugins.PluginNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from things_conformance.scheduler import run_suite

    caps = ", ".join(sorted(getattr(policy, "capabilities", ()) or ())) or "none"
    print(f"scheduler conformance: {name} ({type(policy).__module__}.{type(policy).__qualname__}); "
          f"capabilities: {caps}")
    started = time.monotonic()
    report = run_suite(policy, verbose=verbose)
    for line in report.lines:
        print(line)
    verdict = "PASS" if report.failed == 0 else "FAIL"
    print(f"{verdict}: {name} ({time.monotonic() - started:.1f} s)")
    print(f"{report.passed} passed, {report.failed} failed, {report.skipped} skipped")
    return 0 if report.failed == 0 else 1


def main(argv: list[str] | None = None) -> int:
    """``python -m thingscore.commands.conformance_scheduler NAME [-v]`` (the same as the CLI)."""
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = any(a in ("-v", "--verbose") for a in args)
    rest = [a for a in args if a not in ("-v", "--verbose")]
    if len(rest) != 1:
        print("usage: python -m thingscore.commands.conformance_scheduler NAME [-v]", file=sys.stderr)
        return 2
    return run(rest[0], verbose)


if __name__ == "__main__":
    sys.exit(main())
