"""Where the conformance data lives: the repository's npm test dependencies.

The suites read test262-parser-tests and real libraries from ``tests/node_modules``
(installed by ``make node-deps``). ``THINGS_NODE_MODULES`` points elsewhere when the
package is used outside a checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent

NODE_MODULES = Path(os.environ.get("THINGS_NODE_MODULES", _REPO / "tests" / "node_modules"))
ACORN_DUMP = _REPO / "tests" / "js" / "acorn_dump.js"
TEST262 = NODE_MODULES / "test262-parser-tests"

# npm packages that are only the oracles' own plumbing are still real JavaScript: all count.
LIBRARY_SKIP_DIRS = {"test262-parser-tests", ".bin"}
