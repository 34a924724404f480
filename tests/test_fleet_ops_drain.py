"""``things dispatch drain`` while a scheduler runs moves every program off the worker,
whoever started it, or says which it could not move and why (issue 13: it answered
``"moved": [], "remaining": []`` and left a program started with ``dispatch run`` behind).

Real mosquitto, a real ``things scheduler`` and two ``things worker`` processes.
"""

from __future__ import annotations

import json
import time

from conftest import PROGRAMS

SLOW = PROGRAMS / "slow_counter.js"
DEADLINE = 3.0


def _ps(fleet) -> dict[str, dict]:
    done = fleet.things("dispatch", "ps", "--json")
    assert done.returncode == 0, done.stderr
    return {r["id"]: r for r in json.loads(done.stdout) if r["state"] in ("running", "paused")}


def test_drain_moves_programs_started_by_hand_and_names_what_stays(mqtt_url: str, fleet_factory) -> None:
    fleet = fleet_factory(mqtt_url)
    fleet.scheduler("--deadline", f"{DEADLINE}s", "-v")
    fleet.wait_log("scheduler", ": ready")
    fleet.worker("d1")
    fleet.worker("d2")
    moving = json.loads(fleet.things("dispatch", "run", "d1", str(SLOW), "--", "100000").stdout)["id"]
    held = json.loads(fleet.things("dispatch", "run", "d1", str(SLOW), "--", "100000").stdout)["id"]
    paused = fleet.things("dispatch", "pause", held)
    assert paused.returncode == 0, paused.stderr
    time.sleep(DEADLINE + 0.5)  # the scheduler's start-up grace; it has heard d1's processes

    drained = fleet.things("dispatch", "drain", "d1", "--wait", "20")
    assert drained.returncode == 0, drained.stderr
    answer = json.loads(drained.stdout)
    assert {"id": moving, "worker": "d2"} in answer["moved"], answer
    stuck = {r["id"]: r for r in answer["remaining"]}
    assert set(stuck) == {held}, answer
    assert "paused" in stuck[held]["reason"] and "resume it first" in stuck[held]["reason"]

    now = _ps(fleet)
    assert now[moving]["worker"] == "d2" and now[moving]["state"] == "running"
    assert now[held]["worker"] == "d1"
    assert f"moving {moving} (started by hand) from d1 to d2" in fleet.log("scheduler")
