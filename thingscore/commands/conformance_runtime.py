"""``things conformance run --runtime=NAME``: run the runtime contract's conformance suite.

The runtime is loaded through its ``things.runtimes`` entry point, exactly as a worker
loads it, so a third-party runtime is checked the same way as ours. Prints one line per
check (ok / FAIL / skip, with the reason), then ``N passed, N failed, N skipped``. Exit
status: 0 when no check failed, 1 when one did, 2 for an unknown runtime or one that is not
available here, 4 when every check was skipped.
"""

from __future__ import annotations

import sys
import time

from things_conformance._suite import module_main

from thingscore import plugins
from thingscore.commands.conformance_report import finish
from thingscore.console import Progress, reports_errors, usage


@reports_errors("conformance")
def run(name: str, verbose: bool, as_json: bool = False) -> int:
    runtime = plugins.load("runtime", name)  # PluginNotFound: a usage error, printed by the CLI
    if not runtime.available():
        raise usage(f"the {name} runtime is not available on this machine",
                    "install what it needs (`things plugins` lists the runtimes)")
    from things_conformance.runtime import run_suite

    print(f"runtime conformance: {name} ({type(runtime).__module__}.{type(runtime).__qualname__})",
          file=sys.stderr if as_json else sys.stdout)
    started = time.monotonic()
    try:
        with Progress(f"runtime conformance: {name}"):
            report = run_suite(runtime, verbose=verbose)
    finally:
        close = getattr(runtime, "close", None)
        if close is not None:
            close()
    return finish(report, "runtime", name, started, as_json)


def main(argv: list[str] | None = None) -> int:
    """``python -m thingscore.commands.conformance_runtime NAME [-v]`` (the same as the CLI)."""
    return module_main(argv, "python -m thingscore.commands.conformance_runtime NAME [-v]", run)


if __name__ == "__main__":
    sys.exit(main())
