"""``things simulate`` and ``things conformance run --scheduler`` command bodies."""

from __future__ import annotations

import argparse
import json

from thingscore import cli
from thingscore.commands import conformance_scheduler, simulate


def args(**kw: object) -> argparse.Namespace:
    base = {"workers": 200, "programs": 800, "policy": "first-fit", "churn": 0.05, "rounds": 3, "seed": 1,
            "json": False}
    base.update(kw)
    return argparse.Namespace(**base)


def test_simulate_table(capsys) -> None:
    assert simulate.run(args(policy="first-fit,best-fit-decreasing,balanced")) == 0
    out = capsys.readouterr().out
    assert "simulated fleet: 200 workers, 800 programs" in out
    for name in ("first-fit", "best-fit-decreasing", "balanced"):
        assert f"\n{name} " in out
    assert "placements/s" in out and "moves/round" in out


def test_simulate_json_is_deterministic_apart_from_timing(capsys) -> None:
    assert simulate.run(args(json=True, policy="balanced")) == 0
    first = json.loads(capsys.readouterr().out)
    assert simulate.run(args(json=True, policy="balanced")) == 0
    second = json.loads(capsys.readouterr().out)
    timing = ("place_seconds", "placements_per_second", "rebalance_seconds_per_round")
    for a, b in zip(first, second, strict=True):
        assert {k: v for k, v in a.items() if k not in timing} == {k: v for k, v in b.items() if k not in timing}
    r = first[0]
    assert r["policy"] == "balanced" and r["placed"] + 0 <= 800 and r["rounds"] == 3
    assert r["moves_per_round"] > 0  # 5% of the workers died each round
    assert 0 < r["memory_util_mean"] < 1


def test_simulate_overloaded_fleet_reports_unplaced(capsys) -> None:
    assert simulate.run(args(workers=10, programs=500, rounds=1, json=True)) == 0
    r = json.loads(capsys.readouterr().out)[0]
    assert r["unplaced"] > 0 and sum(r["unplaced_reasons"].values()) == r["unplaced"]


def test_simulate_errors(capsys) -> None:
    assert simulate.run(args(policy="nope")) == 2
    assert "no scheduler policy named nope" in capsys.readouterr().err
    assert simulate.run(args(churn=2.0)) == 2


def test_simulate_module_main(capsys) -> None:
    assert simulate.main(["--workers", "20", "--programs", "50", "--rounds", "1"]) == 0
    assert "first-fit" in capsys.readouterr().out


def test_simulate_through_the_cli(capsys) -> None:
    assert cli.main(["simulate", "--workers", "50", "--programs", "200", "--policy", "first-fit,balanced",
                     "--churn", "0.1", "--rounds", "2", "--json"]) == 0
    assert [r["policy"] for r in json.loads(capsys.readouterr().out)] == ["first-fit", "balanced"]


def test_conformance_command(capsys) -> None:
    assert cli.main(["conformance", "run", "--scheduler=first-fit"]) == 0
    out = capsys.readouterr().out
    assert "[ok  ] empty_fleet" in out
    assert "[skip] property_program_order: first-fit does not declare capability 'program-order-independent'" in out
    assert out.strip().splitlines()[-1] == "25 passed, 0 failed, 1 skipped"


def test_conformance_command_unknown(capsys) -> None:
    assert conformance_scheduler.run("nope", False) == 2
    assert "no scheduler plugin named 'nope'" in capsys.readouterr().err
