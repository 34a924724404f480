"""``things conformance run --pubsub=URL|NAME``: the pub/sub conformance suite from the command line.

Runs the very pytest class a plugin's own tests subclass (``things_conformance.pubsub``)
through a generated subclass whose ``make_pubsub`` builds clients of the named plugin:
``--pubsub=mqtt://127.0.0.1:1883`` loads the plugin that declares the scheme ``mqtt`` with that
URL, ``--pubsub=NAME`` the plugin of that name with no URL. Reconnection checks use the
plugin's ``drop_connection`` hook (we cannot restart someone else's broker). Prints one
line per check (PASS / FAIL / SKIP with the reason) and a summary; exit 0 only if nothing
failed, 2 on a usage error (unknown plugin, nothing answering at the URL).
"""

from __future__ import annotations

import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

from thingscore import plugins

_TEMPLATE = '''
import pytest
from things_conformance.pubsub import ClientFactory, PubSubConformance
from thingscore import plugins

class TestCli(PubSubConformance):
    @pytest.fixture
    def make_pubsub(self):
        with ClientFactory(lambda cid: plugins.load("pubsub", {name!r}, url={url!r}, client_id=cid)) as f:
            yield f
'''


def split(url_or_name: str) -> tuple[str, str | None]:
    """(plugin name, URL or None): a URL goes to the plugin that declares its scheme; a plugin's
    name alone to that plugin, with no URL (its own default)."""
    if "://" in url_or_name:
        name, url = plugins.resolve("pubsub", url_or_name)
        return name, url
    return url_or_name, None


class _Report:
    """A pytest plugin that records one outcome per check."""

    def __init__(self) -> None:
        self.results: list[tuple[str, str, str, float]] = []

    def pytest_runtest_logreport(self, report: Any) -> None:
        name = report.nodeid.split("::")[-1]
        if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
            if report.skipped:
                reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
                self.results.append((name, "SKIP", reason.removeprefix("Skipped: "), report.duration))
            elif report.failed:
                self.results.append((name, "FAIL", _first_error(report), report.duration))
            else:
                self.results.append((name, "PASS", "", report.duration))
        elif report.when == "teardown" and report.failed:
            self.results.append((name, "FAIL", "teardown: " + _first_error(report), report.duration))


def _first_error(report: Any) -> str:
    text = str(report.longrepr)
    errors = [line[1:].strip() for line in text.splitlines() if line.startswith("E ")]
    return errors[0] if errors else text.strip().splitlines()[-1]


def run(url_or_name: str, verbose: bool) -> int:
    import pytest

    try:
        name, url = split(url_or_name)
        cls = plugins.load_class("pubsub", name)
    except plugins.PluginNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        with cls(url) as client:
            caps = ", ".join(sorted(client.capabilities)) or "none"
    except Exception as exc:
        print(f"error: cannot use pub/sub {url_or_name!r}: {exc}", file=sys.stderr)
        return 2
    print(f"pub/sub conformance: {name} at {url or '(in-process)'} ({cls.__module__}.{cls.__qualname__}); "
          f"capabilities: {caps}", flush=True)
    started = time.monotonic()
    report = _Report()
    with tempfile.TemporaryDirectory(prefix="things-conformance-") as tmp:
        test_file = Path(tmp) / "test_pubsub_cli.py"
        test_file.write_text(textwrap.dedent(_TEMPLATE.format(name=name, url=url)))
        (Path(tmp) / "none.ini").write_text("[pytest]\n")
        args = [str(test_file), "-p", "no:cacheprovider", "--rootdir", tmp, "-c", str(Path(tmp) / "none.ini")]
        # Quiet: our table is the report; verbose: pytest's own output (tracebacks) as well.
        code = pytest.main([*args, "-v"] if verbose else [*args, "-p", "no:terminal"], plugins=[report])
    width = max((len(n) for n, *_ in report.results), default=10)
    for check, outcome, detail, seconds in report.results:
        line = f"  {outcome:4}  {check:<{width}}  {seconds:6.2f} s"
        print(line + (f"  {detail}" if detail else ""))
    counts = {k: sum(1 for _, o, _, _ in report.results if o == k) for k in ("PASS", "FAIL", "SKIP")}
    failed = counts["FAIL"] > 0 or code not in (0, 5) or not report.results
    print(f"{'FAIL' if failed else 'PASS'}: {counts['PASS']} passed, {counts['FAIL']} failed, "
          f"{counts['SKIP']} skipped ({time.monotonic() - started:.0f} s)")
    return 1 if failed else 0
