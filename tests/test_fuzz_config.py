"""Fuzzing application files (YAML/JSON/TOML) and worker configs: a clear error of their own type, or a spec.

``load_app`` may raise AppSpecError only, ``load_worker_config`` ConfigError only, whatever
the file holds: broken syntax, wrong types everywhere, YAML alias bombs (cheap to load,
exponential to print), deep nesting, huge files, bytes that are not UTF-8. Each case has a
time limit, so an exponential repr or a quadratic reader fails here.

Budget: ``THINGS_FUZZ_EXAMPLES`` (see tests/README.md); derandomized in CI.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from fuzzing import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

from thingscore.control.apps import AppSpec, AppSpecError, load_app
from thingscore.control.config import ConfigError, WorkerConfig, load_worker_config

CASE_SECONDS = 5.0

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12) | \
    st.sampled_from(["prog.js", "5s", "500ms", "-1s", "x", "", "0", "1e999", "nan", "camera"])
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) |
                      st.dictionaries(st.text(max_size=6) | st.sampled_from(["name", "file", "cpu"]), inner,
                                      max_size=3), max_leaves=8)
PROGRAM_KEYS = ["name", "file", "args", "needs", "labels", "anti_affinity", "replicas", "checkpoint_every", "extra"]


@st.composite
def app_documents(draw: st.DrawFn) -> Any:
    """Application data that is nearly right: the real keys, values of any type here and there."""
    def maybe(good: Any) -> Any:
        return draw(values) if draw(st.integers(0, 3)) == 0 else good

    programs = []
    for _ in range(draw(st.integers(0, 3))):
        prog = {k: maybe(v) for k, v in {"name": "p", "file": "prog.js", "args": ["--x", 2], "needs": {"cpu": 0.5},
                                         "labels": {"a": True}, "anti_affinity": "g", "replicas": 2,
                                         "checkpoint_every": "5s"}.items() if draw(st.integers(0, 3))}
        if draw(st.integers(0, 6)) == 0:
            prog[draw(st.sampled_from(PROGRAM_KEYS) | st.integers())] = draw(values)
        programs.append(prog)
    return {k: maybe(v) for k, v in {"name": "app", "checkpoint_every": "2m", "programs": programs}.items()
            if draw(st.integers(0, 4))}


def render(doc: Any, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(doc, default=str)
    if fmt == "yaml":
        return yaml.safe_dump(doc)
    # TOML: a hand-made rendering is enough to reach the checks (and break them)
    def toml_value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return repr(v) if v == v and abs(v) != float("inf") else "nan"
        if isinstance(v, list):
            return "[" + ", ".join(toml_value(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{json.dumps(str(k))} = {toml_value(x)}" for k, x in v.items()) + "}"
        return json.dumps("" if v is None else str(v))
    if not isinstance(doc, dict):
        return f"x = {toml_value(doc)}"
    return "\n".join(f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in doc.items())


INSERTS = ["[", "{", "]", "}", ":", "-", "&a", "*a", "!!python/object:os.system", "\n  ", '"', "'", "#", "=", "\t"]


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["delete", "insert", "truncate"]))
        if kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 10)):]
        elif kind == "insert":
            text = text[:at] + draw(st.sampled_from(INSERTS)) + text[at:]
        else:
            text = text[:at]
    return text


def load_app_text(tmp: Path, text: str | bytes, fmt: str) -> AppSpec | None:
    (tmp / "prog.js").write_text("console.log(1)\n")
    path = tmp / f"app.{fmt}"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_bytes(text)
    t0 = time.perf_counter()
    try:
        spec = load_app(path)
    except AppSpecError as exc:
        assert str(exc).startswith(str(path)) and len(str(exc)) < 2000, str(exc)[:300]
        spec = None
    assert time.perf_counter() - t0 < CASE_SECONDS
    return spec


def test_fuzz_app_files(tmp_path: Path) -> None:
    outcomes = {"spec": 0, "error": 0}

    @fuzz_settings(1_000)
    @given(doc=app_documents(), fmt=st.sampled_from(["json", "yaml", "toml", "yml"]), data=st.data())
    def case(doc: Any, fmt: str, data: st.DataObject) -> None:
        text = data.draw(mutated(render(doc, "yaml" if fmt == "yml" else fmt)))
        spec = load_app_text(tmp_path, text, fmt)
        outcomes["spec" if spec else "error"] += 1
        if spec:
            assert spec.programs and all(isinstance(a, str) for p in spec.programs for a in p.args)

    case()
    # Not vacuous: the fuzz reaches the refusals, and the same documents unharmed load. (How
    # many mutated ones happen to load depends on hypothesis's draws, which shift with the
    # interpreter's recursion limit: the JavaScript parsers raise it when they are imported.)
    assert outcomes["error"] > 200, outcomes
    good = {"name": "app", "checkpoint_every": "2m",
            "programs": [{"name": "p", "file": "prog.js", "args": ["--x", 2], "needs": {"cpu": 0.5},
                          "labels": {"a": True}, "anti_affinity": "g", "replicas": 2, "checkpoint_every": "5s"}]}
    for fmt in ("json", "yaml", "toml"):
        spec = load_app_text(tmp_path, render(good, fmt), fmt)
        assert spec is not None and spec.programs, fmt


BOMB = "\n".join(["a: &a [x, x, x, x, x, x, x, x, x]"] +
                 [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
                  f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]" for i in range(9)])
DEEP = 100_000
APP_EXTREMES: dict[str, tuple[str, str | bytes]] = {
    # each of these once escaped as another exception, or took minutes / all memory
    "alias bomb as a name": ("yaml", BOMB + "\nname: *j\nprograms: [{file: prog.js}]\n"),
    "alias bomb as args": ("yaml", BOMB + "\nprograms: [{file: prog.js, args: *j}]\n"),
    "alias bomb as labels": ("yaml", BOMB + "\nprograms: [{file: prog.js, labels: {x: *j}}]\n"),
    "alias bomb as a duration": ("yaml", BOMB + "\ncheckpoint_every: *j\nprograms: [{file: prog.js}]\n"),
    "unknown keys of mixed types": ("yaml", "programs: [{file: prog.js, 1: x, zz: y}]\n"),
    "not UTF-8": ("yaml", b"name: \xff\xfe\nprograms: []\n"),
    "deep flow YAML": ("yaml", "programs: " + "[" * DEEP + "]" * DEEP),
    "deep JSON": ("json", '{"programs": ' + "[" * DEEP + "]" * DEEP + "}"),
    "deep TOML": ("toml", "programs = " + "[" * DEEP + "]" * DEEP),
    "deep block YAML": ("yaml", "".join(" " * i + "- \n" for i in range(1000))),
    "huge file": ("yaml", "name: x\n" + "# " + "x" * 2_000_000 + "\n"),
    "NaN duration": ("yaml", "checkpoint_every: .nan\nprograms: [{file: prog.js}]\n"),
    "infinite duration": ("yaml", "checkpoint_every: .inf\nprograms: [{file: prog.js}]\n"),
    "huge integer duration": ("json", '{"checkpoint_every": 1' + "0" * 400 + ', "programs": [{"file": "prog.js"}]}'),
    "NaN memory": ("yaml", "programs: [{file: prog.js, needs: {memory_mb: .nan}}]\n"),
    "file with a NUL": ("json", '{"programs": [{"file": "a\\u0000b.js"}]}'),
    "file name too long": ("json", '{"programs": [{"file": "' + "a" * 5000 + '.js"}]}'),
    "python tag": ("yaml", "name: !!python/object/apply:os.system ['touch /tmp/things-fuzz-pwned']\n"),
    "args of objects": ("yaml", "programs: [{file: prog.js, args: [{a: 1}]}]\n"),
    "labels of lists": ("yaml", "programs: [{file: prog.js, labels: {a: [1]}}]\n"),
}


@pytest.mark.parametrize("case", sorted(APP_EXTREMES))
def test_extreme_app_file(tmp_path: Path, case: str) -> None:
    fmt, text = APP_EXTREMES[case]
    assert load_app_text(tmp_path, text, fmt) is None
    assert not Path("/tmp/things-fuzz-pwned").exists()


def test_good_app_still_loads(tmp_path: Path) -> None:
    spec = load_app_text(tmp_path, "name: ok\nprograms:\n  - file: prog.js\n    args: [--fps, 2, true]\n"
                                   "    labels: {camera: true}\n    replicas: 2\n", "yaml")
    assert spec is not None and [p.name for p in spec.programs] == ["prog-1", "prog-2"]
    assert spec.programs[0].args == ["--fps", "2", "true"] and spec.programs[0].labels == {"camera": "true"}


# -- worker config ------------------------------------------------------------------------------

def load_config_text(tmp: Path, text: str | bytes) -> WorkerConfig | None:
    path = tmp / "worker.toml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_bytes(text)
    t0 = time.perf_counter()
    try:
        cfg = load_worker_config(str(path), {})
    except ConfigError as exc:
        assert str(exc).startswith(str(path)), str(exc)[:300]
        cfg = None
    assert time.perf_counter() - t0 < CASE_SECONDS
    return cfg


@st.composite
def config_documents(draw: st.DrawFn) -> Any:
    good = {"id": "pi-1", "pubsub": "local", "fs": "/tmp/fs", "runtime": "node", "heartbeat": 0.5,
            "labels": {"camera": "true"}, "capacity": {"memory_mb": 512}, "low_memory_mb": 64}
    table = {k: (draw(values) if draw(st.integers(0, 3)) == 0 else v) for k, v in good.items()
             if draw(st.integers(0, 3))}
    return {"worker": table} if draw(st.booleans()) else table


def test_fuzz_worker_config(tmp_path: Path) -> None:
    outcomes = {"config": 0, "error": 0}

    @fuzz_settings(1_000)
    @given(doc=config_documents(), data=st.data())
    def case(doc: Any, data: st.DataObject) -> None:
        cfg = load_config_text(tmp_path, data.draw(mutated(render(doc, "toml"))))
        outcomes["config" if cfg else "error"] += 1
        if cfg:
            assert isinstance(cfg.heartbeat, float) and cfg.heartbeat > 0 and isinstance(cfg.id, str)
            assert all(isinstance(v, float) for v in cfg.capacity.values())

    case()
    assert outcomes["config"] >= 20 and outcomes["error"] > 200, outcomes


CONFIG_EXTREMES: dict[str, str | bytes] = {
    # each of these once escaped as ValueError, TypeError, AttributeError or RecursionError
    "not UTF-8": b"[worker]\nid = \"\xff\"\n",
    "worker is not a table": "worker = 5\n",
    "heartbeat is text": "heartbeat = \"often\"\n",
    "heartbeat is a date": "heartbeat = 1979-05-27\n",
    "heartbeat is NaN": "heartbeat = nan\n",
    "heartbeat is negative": "heartbeat = -1\n",
    "labels is a list": "labels = [1, 2]\n",
    "labels hold tables": "labels = {a = {b = 1}}\n",
    "capacity is text": "capacity = \"lots\"\n",
    "capacity value is text": "capacity = {memory_mb = \"lots\"}\n",
    "low_memory_mb is a list": "low_memory_mb = [1]\n",
    "pubsub is a number": "pubsub = 5\n",
    "deep arrays": "x = " + "[" * DEEP + "]" * DEEP + "\n",
    "deep inline tables": "x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n",
    "huge file": "id = \"a\"\n# " + "x" * 2_000_000 + "\n",
}


@pytest.mark.parametrize("case", sorted(CONFIG_EXTREMES))
def test_extreme_worker_config(tmp_path: Path, case: str) -> None:
    assert load_config_text(tmp_path, CONFIG_EXTREMES[case]) is None


def test_good_worker_config_still_loads(tmp_path: Path) -> None:
    cfg = load_config_text(tmp_path, "[worker]\nid = \"pi-1\"\nheartbeat = 2\nlabels = {camera = true}\n"
                                     "capacity = {memory_mb = 512, cpu = 2}\nlow_memory_mb = 64\n")
    assert cfg is not None and cfg.id == "pi-1" and cfg.heartbeat == 2.0 and cfg.labels == {"camera": "true"}
    assert cfg.capacity == {"memory_mb": 512.0, "cpu": 2.0} and cfg.low_memory_mb == 64.0
