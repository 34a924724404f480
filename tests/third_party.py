"""Third-party plugin packages for the tests, installed as a third party would install them:
a package directory plus a ``*.dist-info`` with ``entry_points.txt``, on a directory that the
test puts on ``sys.path`` (and on ``PYTHONPATH`` for the ``things`` processes it starts).
Nothing here is imported by the kernel; it finds them through their entry points only."""

from __future__ import annotations

import textwrap
from pathlib import Path


def install(site: Path, package: str, files: dict[str, str], entry_points: dict[str, dict[str, str]]) -> Path:
    """Write ``package`` (its modules from ``files``) and its dist-info into ``site``."""
    pkg = site / package
    pkg.mkdir(parents=True, exist_ok=True)
    (pkg / "__init__.py").write_text("")
    for name, text in files.items():
        (pkg / name).write_text(textwrap.dedent(text))
    info = site / f"{package}-1.0.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("".join(
        f"[{group}]\n" + "".join(f"{name} = {target}\n" for name, target in eps.items()) + "\n"
        for group, eps in entry_points.items()))
    return site
