"""Every runtime plugin Things ships meets the runtime contract (conformance/runtime.py):
node, quickjs, v8 and browser, each through its entry point as a worker loads it (node, v8 and
browser through the pytest class, quickjs through the command line, which runs the same checks).
The browser runtime needs Chromium and Playwright: without them its checks are skipped, visibly."""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from things_conformance.runtime import RuntimeConformance

from thingscore import plugins

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not on PATH")


@pytest.fixture(scope="module", params=["node", "v8", "browser"])
def runtime_plugin(request: pytest.FixtureRequest) -> Any:
    rt = plugins.load("runtime", request.param)
    if not rt.available():
        pytest.skip(f"the {request.param} runtime is not available here")
    yield rt
    close = getattr(rt, "close", None)
    if close is not None:
        close()


class TestShippedRuntimes(RuntimeConformance):
    @pytest.fixture
    def runtime(self, runtime_plugin: Any) -> Any:
        return runtime_plugin


def test_the_command_line_runs_the_same_suite() -> None:
    """`things conformance run --runtime=NAME --json`: one line per check, a JSON summary."""
    import json
    import subprocess
    import sys

    from things_conformance.runtime import CHECKS

    r = subprocess.run([sys.executable, "-m", "thingscore.cli", "conformance", "run", "--runtime=quickjs", "--json"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    summary = json.loads(r.stdout)
    assert (summary["suite"], summary["plugin"], summary["verdict"]) == ("runtime", "quickjs", "pass")
    assert summary["passed"] == len(CHECKS) and summary["failed"] == 0
    assert all(f"] {name} " in r.stderr for name in CHECKS)
