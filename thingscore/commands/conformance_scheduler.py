"""``things conformance run --scheduler=NAME``: run the scheduler-policy conformance suite.

The policy is loaded through its ``things.schedulers`` entry point, exactly as the
scheduler would load it, so a third-party policy is checked the same way as ours. Prints
one line per check (ok / FAIL / skip, with the reason), then ``N passed, N failed, N
skipped``. Exit status: 0 when no check failed, 1 when one did, 2 for an unknown policy,
4 when every check was skipped.
"""

from __future__ import annotations

import sys
import time

from things_conformance._suite import module_main

from thingscore import plugins
from thingscore.commands.conformance_report import finish
from thingscore.console import Progress, reports_errors


@reports_errors("conformance")
def run(name: str, verbose: bool, as_json: bool = False) -> int:
    policy = plugins.load("scheduler", name)  # PluginNotFound: a usage error, printed by the CLI
    from things_conformance.scheduler import run_suite

    caps = ", ".join(sorted(getattr(policy, "capabilities", ()) or ())) or "none"
    print(f"scheduler conformance: {name} ({type(policy).__module__}.{type(policy).__qualname__}); "
          f"capabilities: {caps}", file=sys.stderr if as_json else sys.stdout)
    started = time.monotonic()
    with Progress(f"scheduler conformance: {name}"):
        report = run_suite(policy, verbose=verbose)
    return finish(report, "scheduler", name, started, as_json)


def main(argv: list[str] | None = None) -> int:
    """``python -m thingscore.commands.conformance_scheduler NAME [-v]`` (the same as the CLI)."""
    return module_main(argv, "python -m thingscore.commands.conformance_scheduler NAME [-v]", run)

if __name__ == "__main__":
    sys.exit(main())
