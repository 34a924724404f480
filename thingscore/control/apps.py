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
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thingscore.fs import FileSystem
from thingscore.instrument.bundle import instrument
from thingscore.security.keys import KeyRing

from . import store

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, None: 1.0}
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class AppSpecError(ValueError):
    """An application file that cannot be used; the message names the file and the place."""


def parse_duration(value: Any, where: str = "duration") -> float:
    """Seconds from ``5``, ``5s``, ``500ms``, ``2m``, ``1h``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str) and (m := _DURATION.match(value)):
        seconds = float(m.group(1)) * _UNITS[m.group(2)]
    else:
        raise AppSpecError(f"{where}: {value!r} is not a duration (like 5s, 500ms, 2m)")
    if seconds <= 0:
        raise AppSpecError(f"{where}: a duration must be > 0")
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


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AppSpecError(f"{path}: {exc.strerror or exc}") from exc
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            return json.loads(text)
        if suffix == ".toml":
            return tomllib.loads(text)
        import yaml

        return yaml.safe_load(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise AppSpecError(f"{path}: {exc}") from exc
    except Exception as exc:  # yaml.YAMLError carries the line and column in its text
        raise AppSpecError(f"{path}: {exc}") from exc


def _number(value: Any, where: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
        raise AppSpecError(f"{where}: a number >= 0 is required, not {value!r}")
    return float(value)


def _labels(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise AppSpecError(f"{where}: a mapping of label to value is required")
    return {str(k): (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in value.items()}


def load_app(path: str | Path) -> AppSpec:
    path = Path(path)
    data = _read(path)
    if not isinstance(data, dict):
        raise AppSpecError(f"{path}: an application is a mapping with 'name' and 'programs'")
    name = data.get("name") or path.stem
    if not isinstance(name, str) or not NAME.match(name):
        raise AppSpecError(f"{path}: name: {name!r} is not a valid application name (letters, digits, . _ -)")
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
        if unknown:
            raise AppSpecError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        file = raw.get("file")
        if not isinstance(file, str) or not file:
            raise AppSpecError(f"{where}: file: the program's JavaScript file is required")
        fpath = (path.parent / file).resolve()
        if not fpath.is_file():
            raise AppSpecError(f"{where}: file: {file} does not exist (relative to {path.parent})")
        pname = raw.get("name") or Path(file).stem
        if not isinstance(pname, str) or not NAME.match(pname):
            raise AppSpecError(f"{where}: name: {pname!r} is not a valid program name")
        args = raw.get("args", [])
        if not isinstance(args, list):
            raise AppSpecError(f"{where}: args: a list is required")
        needs = raw.get("needs", {})
        if not isinstance(needs, dict) or set(needs) - {"memory_mb", "cpu"}:
            raise AppSpecError(f"{where}: needs: a mapping with memory_mb and/or cpu is required")
        groups = raw.get("anti_affinity", [])
        groups = [groups] if isinstance(groups, str) else groups
        if not isinstance(groups, list):
            raise AppSpecError(f"{where}: anti_affinity: a group name or a list of them is required")
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
            out.append(ProgramSpec(name=full, file=fpath, args=[str(a) for a in args],
                                   memory_mb=_number(needs.get("memory_mb", 0), f"{where}: needs.memory_mb"),
                                   cpu=_number(needs.get("cpu", 0), f"{where}: needs.cpu"),
                                   labels=_labels(raw.get("labels", {}), f"{where}: labels"),
                                   anti_affinity=[str(g) for g in groups], checkpoint_every=every))
    return AppSpec(name=name, programs=out)


def upload(app: AppSpec, fs: FileSystem, parser: str = "esprima", keys: KeyRing | None = None) -> dict[str, Any]:
    """Instrument every program, store the code in the global FS (sealed with ``keys``, the
    dispatcher's, when given), and build the ``app-run`` request for the scheduler."""
    programs = []
    built: dict[Path, tuple[str, str]] = {}
    for p in app.programs:
        if p.file not in built:
            prog = instrument(p.file, parser=parser)
            built[p.file] = (store.put_program(fs, prog.hash, prog.render(), keys), prog.hash)
        path, phash = built[p.file]
        programs.append({"name": p.name, "program": path, "hash": phash, "args": p.args, "memory_mb": p.memory_mb,
                         "cpu": p.cpu, "labels": p.labels, "anti_affinity": p.anti_affinity,
                         "checkpoint_every": p.checkpoint_every})
    return {"name": app.name, "programs": programs}
