"""The example third-party policy (tests/example_policy): its own distribution, installed
into this environment with pip, found through its own entry point, checked by the same
conformance suite as the built-in policies."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from things_conformance.scheduler import SchedulerPolicyConformance

from thingscore import plugins
from thingscore.scheduling import Fleet, Program, Resources, Worker

EXAMPLE = Path(__file__).resolve().parent / "example_policy"


@pytest.fixture(scope="module")
def installed() -> None:
    if "example" not in plugins.available("scheduler"):
        done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-e", str(EXAMPLE)],
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            pytest.skip(f"pip could not install the example policy: {done.stderr.strip()[-500:]}")
        importlib.invalidate_caches()
        plugins.refresh()  # thingscore.plugins keeps the entry points it read for the life of the process
    if str(EXAMPLE) not in sys.path:  # an editable install takes effect at interpreter start; this one is running
        sys.path.insert(0, str(EXAMPLE))
    assert "example" in plugins.available("scheduler"), plugins.available("scheduler")


class TestExamplePolicy(SchedulerPolicyConformance):
    @pytest.fixture
    def policy(self, installed: None):
        return plugins.load("scheduler", "example")


def test_example_keeps_an_app_together(installed: None) -> None:
    policy = plugins.load("scheduler", "example")
    assert type(policy).__module__ == "things_example_policy"
    workers = (Worker("a", Resources(1024, 4)), Worker("b", Resources(1024, 4), labels={"preferred": "true"}))
    running = (Program("web.0", Resources(100, 0.5), "web"),)
    fleet = Fleet(workers, running, {"web.0": "a"})
    d = policy.place(fleet, [Program("web.1", Resources(100, 0.5), "web"), Program("db.0", Resources(100, 0.5), "db")])
    assert d.placements == {"web.1": "a", "db.0": "b"}


def test_example_found_by_a_fresh_interpreter(installed: None) -> None:
    """The pip-installed entry point, not our sys.path edit, is what a new process finds."""
    code = "from thingscore import plugins; p = plugins.load('scheduler', 'example'); print(type(p).__module__, p.name)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd="/")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["things_example_policy", "example"]
