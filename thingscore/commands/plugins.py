"""``things plugins``: the installed plugins of every kind and what each declares about itself.

The same declarations the kernel reads to choose a plugin (:mod:`thingscore.plugins`): the URL
schemes it answers to, the URL its bare word stands for, whether it is its kind's default,
its capabilities. A plugin that cannot be imported is listed as such, with no declarations.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from thingscore import plugins


def listing() -> list[dict[str, Any]]:
    """One row per installed plugin, by kind then name."""
    rows = []
    for kind in plugins.GROUPS:
        try:
            default = plugins.default_name(kind)
        except plugins.PluginNotFound:
            default = None
        for name in plugins.available(kind):
            try:
                decl = plugins.declaration(kind, name)
                caps = sorted(getattr(plugins.load_class(kind, name), "capabilities", ()) or ())
            except plugins.PluginNotFound:
                rows.append({"kind": kind, "name": name, "usable": False})
                continue
            rows.append({"kind": kind, "name": name, "usable": True, "default": name == default,
                         "schemes": list(decl.schemes), "default_url": decl.default_url,
                         "accepts_paths": decl.accepts_paths, "capabilities": caps})
    return rows


def run(args: argparse.Namespace) -> int:
    rows = listing()
    if getattr(args, "json", False):
        print(json.dumps(rows, indent=2))
        return 0
    header = ("KIND", "NAME", "DEFAULT", "SCHEMES", "URL", "CAPABILITIES")
    table = [header] + [
        (r["kind"], r["name"], "yes" if r.get("default") else "",
         ", ".join(s + "://" for s in r.get("schemes", [])) + (" (paths)" if r.get("accepts_paths") else ""),
         r.get("default_url") or "", ", ".join(r.get("capabilities", [])) if r["usable"] else "(cannot be loaded)")
        for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0
