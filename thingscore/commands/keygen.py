"""``things keygen --out FILE``: the keys of a new cluster."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from thingscore.console import usage
from thingscore.security import keys


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    targets = [out] + [out.with_name(f"{out.name}.{role}") for role in keys.ROLES]
    existing = [str(p) for p in targets if p.exists()]
    if existing and not args.force:
        raise usage(f"{', '.join(existing)} already exist(s); keys are not overwritten without --force "
                    "(programs and snapshots signed with the old keys would be refused)")
    try:
        written = keys.write_cluster(keys.generate(), out)
    except OSError as exc:
        raise usage(f"cannot write {out}: {exc.strerror or exc}") from exc
    if getattr(args, "json", False):
        print(json.dumps({"all": str(written[0]), **{role: str(p) for p, role in
                                                      zip(written[1:], keys.ROLES, strict=True)}}))
        return 0
    print(f"{written[0]}  all roles: keep it with the administrator")
    for path, role in zip(written[1:], keys.ROLES, strict=True):
        extra = " (and the snapshot key)" if role == "worker" else ""
        print(f"{path}  for {role}s{extra}")
    return 0
