"""Application files: several programs with their needs and constraints, for ``things app run``.

```yaml
name: sensors
checkpoint_every: 5s          # for every program of the app, unless a program says otherwise
programs:
  - name: camera
    file: camera.js           # relative to this file
    args: [--fps, "2"]
    needs: {memory_mb: 64, cpu: 0.25}
    labels: {camera: "true"}  # only on workers started with --label camera=true
  - name: temperature
    file: temp.js
    replicas: 2               # temperature-1, temperature-2
    anti_affinity: [temp]     # never two of them on one worker
```

YAML (``.yaml``/``.yml``), JSON (``.json``) or TOML (``.toml``). Every mistake is reported
with the file and the place in it. The programs are instrumented here, on the sender's
machine (syntax errors show as ``file:line:col``), and their code goes to the global FS.
"""

from __future__ import annotations

import json
import math
import re
import reprlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thingscore.fs import FileSystem
from thingscore.instrument.bundle import instrument
from thingscore.security.keys import KeyRing

from . import store

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MAX_FILE = 1024 * 1024  # an application file is a page of settings, not a data set
MAX_NESTING = 64
_SHOW = reprlib.Repr()
_SHOW.maxstring = _SHOW.maxother = 60
_SHOW.maxlevel = 2


def _show(value: Any) -> str:
    """A value for an error message: bounded whatever the file holds (a YAML alias bomb is
    cheap to load, since aliases are shared, but its repr or str() would be exponential)."""
    return _SHOW.repr(value)


class AppSpecError(ValueError):
    """An application file that cannot be used; the message names the file and the place."""


def parse_duration(value: Any, where: str = "duration") -> float:
    """Seconds from ``5``, ``5s``, ``500ms``, ``2m``, ``1h``, ``7d``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            seconds = float(value)
        except OverflowError:
            seconds = math.inf
    elif isinstance(value, str) and (m := _DURATION.match(value)):
        seconds = float(m.group(1)) * _UNITS[m.group(2)]
    else:
        raise AppSpecError(f"{where}: {_show(value)} is not a duration (like 5s, 500ms, 2m)")
    if not math.isfinite(seconds) or seconds <= 0:
        raise AppSpecError(f"{where}: a duration must be > 0 and finite")
    return seconds


@dataclass
class ProgramSpec:
    name: str
    file: Path
    args: list[str] = field(default_factory=list)
    memory_mb: float = 0.0
    cpu: float = 0.0
    labels: dict[str, str] = field(default_factory=dict)
    anti_affinity: list[str] = field(default_factory=list)
    checkpoint_every: float | None = None


@dataclass
class AppSpec:
    name: str
    programs: list[ProgramSpec]


def _nesting(text: str) -> int:
    """An upper bound of how deeply flow collections (``[``, ``{``) nest, strings included.

    The three readers recurse once per level (PyYAML and tomllib in Python, json in C, which
    overflows the C stack when the recursion limit has been raised); no application file
    nests more than a few levels, so a rough bound is enough to refuse before reading.
    """
    depth = deepest = 0
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return 0
    for ch in re.sub(r"[^\[\]{}]+", "", text):
        depth = depth + 1 if ch in "[{" else max(0, depth - 1)
        deepest = max(deepest, depth)
    return deepest


def _read(path: Path) -> Any:
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_FILE + 1)
    except OSError as exc:
        raise AppSpecError(f"{path}: {exc.strerror or exc}") from exc
    if len(raw) > MAX_FILE:
        raise AppSpecError(f"{path}: larger than {MAX_FILE // 1024} KiB: not an application file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AppSpecError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    if _nesting(text) > MAX_NESTING:
        raise AppSpecError(f"{path}: nested more than {MAX_NESTING} levels deep")
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            return json.loads(text)
        if suffix == ".toml":
            return tomllib.loads(text)
        import yaml

        return yaml.safe_load(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise AppSpecError(f"{path}: {str(exc)[:500]}") from exc
    except RecursionError as exc:  # block-style YAML nests without brackets
        raise AppSpecError(f"{path}: nested too deeply") from exc
    except Exception as exc:  # yaml.YAMLError carries the line and column in its text
        raise AppSpecError(f"{path}: {str(exc)[:500]}") from exc


def _number(value: Any, where: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0 or value > 1e15 \
            or (isinstance(value, float) and math.isnan(value)):
        raise AppSpecError(f"{where}: a number >= 0 (and at most 1e15) is required, not {_show(value)}")
    return float(value)


def _scalar(value: Any, where: str) -> str:
    """A label value, argument or group name as text: only strings, numbers and booleans."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str | int | float):
        return str(value)
    raise AppSpecError(f"{where}: a string or a number is required, not {_show(value)}")


def _labels(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise AppSpecError(f"{where}: a mapping of label to value is required")
    return {_scalar(k, where): _scalar(v, f"{where}.{_show(k)}") for k, v in value.items()}


def load_app(path: str | Path) -> AppSpec:
    path = Path(path)
    data = _read(path)
    if not isinstance(data, dict):
        raise AppSpecError(f"{path}: an application is a mapping with 'name' and 'programs'")
    name = data.get("name") or path.stem
    if not isinstance(name, str) or not NAME.match(name):
        raise AppSpecError(f"{path}: name: {_show(name)} is not a valid application name (letters, digits, . _ -)")
    default_every = data.get("checkpoint_every")
    default_every = None if default_every is None else parse_duration(default_every, f"{path}: checkpoint_every")
    progs = data.get("programs")
    if not isinstance(progs, list) or not progs:
        raise AppSpecError(f"{path}: programs: a non-empty list is required")
    out: list[ProgramSpec] = []
    seen: set[str] = set()
    for i, raw in enumerate(progs):
        where = f"{path}: programs[{i}]"
        if not isinstance(raw, dict):
            raise AppSpecError(f"{where}: a mapping is required")
        unknown = set(raw) - {"name", "file", "args", "needs", "labels", "anti_affinity", "replicas",
                              "checkpoint_every"}
        if unknown:  # (YAML keys can be numbers, dates...: shown as text, not sorted as they are)
            raise AppSpecError(f"{where}: unknown key(s) {', '.join(sorted(str(k)[:60] for k in unknown))}")
        file = raw.get("file")
        if not isinstance(file, str) or not file or "\0" in file:
            raise AppSpecError(f"{where}: file: the program's JavaScript file is required")
        try:
            fpath = (path.parent / file).resolve()
            is_file = fpath.is_file()
        except (OSError, ValueError) as exc:  # a symlink loop, a name too long...
            raise AppSpecError(f"{where}: file: {_show(file)}: {exc.strerror if isinstance(exc, OSError) else exc}") \
                from exc
        if not is_file:
            raise AppSpecError(f"{where}: file: {file} does not exist (relative to {path.parent})")
        pname = raw.get("name") or Path(file).stem
        if not isinstance(pname, str) or not NAME.match(pname):
            raise AppSpecError(f"{where}: name: {_show(pname)} is not a valid program name")
        args = raw.get("args", [])
        if not isinstance(args, list):
            raise AppSpecError(f"{where}: args: a list is required")
        args = [_scalar(a, f"{where}: args[{j}]") for j, a in enumerate(args)]
        needs = raw.get("needs", {})
        if not isinstance(needs, dict) or set(needs) - {"memory_mb", "cpu"}:
            raise AppSpecError(f"{where}: needs: a mapping with memory_mb and/or cpu is required")
        groups = raw.get("anti_affinity", [])
        groups = [groups] if isinstance(groups, str) else groups
        if not isinstance(groups, list):
            raise AppSpecError(f"{where}: anti_affinity: a group name or a list of them is required")
        groups = [_scalar(g, f"{where}: anti_affinity[{j}]") for j, g in enumerate(groups)]
        replicas = raw.get("replicas", 1)
        if not isinstance(replicas, int) or isinstance(replicas, bool) or not 1 <= replicas <= 1000:
            raise AppSpecError(f"{where}: replicas: an integer from 1 to 1000 is required")
        every = raw.get("checkpoint_every")
        every = default_every if every is None else parse_duration(every, f"{where}: checkpoint_every")
        for r in range(replicas):
            full = pname if replicas == 1 else f"{pname}-{r + 1}"
            if full in seen:
                raise AppSpecError(f"{where}: name: two programs are called {full!r}")
            seen.add(full)
            out.append(ProgramSpec(name=full, file=fpath, args=list(args),
                                   memory_mb=_number(needs.get("memory_mb", 0), f"{where}: needs.memory_mb"),
                                   cpu=_number(needs.get("cpu", 0), f"{where}: needs.cpu"),
                                   labels=_labels(raw.get("labels", {}), f"{where}: labels"),
                                   anti_affinity=list(groups), checkpoint_every=every))
    return AppSpec(name=name, programs=out)


def upload(app: AppSpec, fs: FileSystem, parser: str | None = None, keys: KeyRing | None = None) -> dict[str, Any]:
    """Instrument every program, store the code in the global FS (sealed with ``keys``, the
    dispatcher's, when given), and build the ``app-run`` request for the scheduler."""
    programs = []
    built: dict[Path, tuple[str, str, list[str]]] = {}
    for p in app.programs:
        if p.file not in built:
            prog = instrument(p.file, parser=parser)
            built[p.file] = (store.put_program(fs, prog.hash, prog.render(), keys), prog.hash,
                             list(prog.host_builtins))
        path, phash, builtins = built[p.file]
        # builtins: the host's Node modules the bundle names; the scheduler places it only
        # on a worker whose runtime gives them all
        programs.append({"name": p.name, "program": path, "hash": phash, "args": p.args, "memory_mb": p.memory_mb,
                         "cpu": p.cpu, "labels": p.labels, "anti_affinity": p.anti_affinity,
                         "checkpoint_every": p.checkpoint_every, "builtins": builtins})
    return {"name": app.name, "programs": programs}
