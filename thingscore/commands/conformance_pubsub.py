"""``things conformance run --pubsub=URL|NAME``: the pub/sub conformance suite from the command line.

Runs the very pytest class a plugin's own tests subclass (``things_conformance.pubsub``)
through a generated subclass whose ``make_pubsub`` builds clients of the named plugin:
``--pubsub=mqtt://127.0.0.1:1883`` loads the plugin that declares the scheme ``mqtt`` with that
URL, ``--pubsub=NAME`` the plugin of that name with no URL. Reconnection checks use the
plugin's ``drop_connection`` hook (we cannot restart someone else's broker). Prints one
line per check (PASS / FAIL / SKIP with the reason) and a summary; exit 0 only if nothing
failed and something ran, 1 a check failed, 2 a usage error (unknown plugin), 3 nothing
answering at the URL, 4 every check skipped.
"""

from __future__ import annotations

import json
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from thingscore import plugins
from thingscore.console import Exit, Progress, reports_errors, unreachable, usage

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
        self.on_result: Callable[[str, str], None] | None = None

    def pytest_runtest_logreport(self, report: Any) -> None:
        before = len(self.results)
        self._record(report)
        if self.on_result is not None and len(self.results) > before:
            self.on_result(*self.results[-1][:2])

    def _record(self, report: Any) -> None:
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


@reports_errors("conformance")
def run(url_or_name: str, verbose: bool, as_json: bool = False) -> int:
    import pytest

    from thingscore.control.config import ClusterUnreachable, probe

    name, url = split(url_or_name)
    cls = plugins.load_class("pubsub", name)  # PluginNotFound: a usage error, printed as one line
    try:
        if url:
            probe(url, "pub/sub broker")
        with cls(url) as client:
            caps = ", ".join(sorted(client.capabilities)) or "none"
    except (ValueError, ClusterUnreachable) as exc:
        if isinstance(exc, ValueError):
            raise usage(f"pub/sub {url_or_name!r}: {exc}") from exc
        raise unreachable(f"nothing ran: {exc}") from exc
    except Exception as exc:
        raise unreachable(f"nothing ran: cannot use pub/sub {url_or_name!r}: {exc}",
                          "start the broker, or name a running one") from exc
    out = sys.stderr if as_json else sys.stdout
    print(f"pub/sub conformance: {name} at {url or '(in-process)'} ({cls.__module__}.{cls.__qualname__}); "
          f"capabilities: {caps}", flush=True, file=out)
    started = time.monotonic()
    report = _Report()
    with tempfile.TemporaryDirectory(prefix="things-conformance-") as tmp, \
            Progress(f"pub/sub conformance: {name}") as bar:
        report.on_result = lambda check, outcome: bar.advance(description=f"pub/sub conformance: {name}: {check}")
        test_file = Path(tmp) / "test_pubsub_cli.py"
        test_file.write_text(textwrap.dedent(_TEMPLATE.format(name=name, url=url)))
        (Path(tmp) / "none.ini").write_text("[pytest]\n")
        args = [str(test_file), "-p", "no:cacheprovider", "--rootdir", tmp, "-c", str(Path(tmp) / "none.ini")]
        # Quiet: our table is the report; verbose: pytest's own output (tracebacks) as well.
        code = pytest.main([*args, "-v"] if verbose else [*args, "-p", "no:terminal"], plugins=[report])
    width = max((len(n) for n, *_ in report.results), default=10)
    for check, outcome, detail, seconds in report.results:
        line = f"  {outcome:4}  {check:<{width}}  {seconds:6.2f} s"
        print(line + (f"  {detail}" if detail else ""), file=out)
    counts = {k: sum(1 for _, o, _, _ in report.results if o == k) for k in ("PASS", "FAIL", "SKIP")}
    failed = counts["FAIL"] > 0 or code not in (0, 5) or not report.results
    nothing = not failed and counts["PASS"] == 0
    verdict = "FAIL" if failed else "NOTHING RAN" if nothing else "PASS"
    print(f"{verdict}: {counts['PASS']} passed, {counts['FAIL']} failed, "
          f"{counts['SKIP']} skipped ({time.monotonic() - started:.0f} s)", file=out)
    if as_json:
        print(json.dumps({"suite": "pubsub", "plugin": name, "url": url, "verdict": verdict.lower(),
                          "passed": counts["PASS"], "failed": counts["FAIL"], "skipped": counts["SKIP"],
                          "checks": [{"check": c, "outcome": o.lower(), "detail": d, "seconds": round(t, 3)}
                                     for c, o, d, t in report.results]}))
    return Exit.FAILED if failed else Exit.INCOMPLETE if nothing else Exit.OK
