"""Plugins that declare themselves: the kernel knows no plugin by name.

A third-party pub/sub plugin and file-system plugin, installed as a third party would
(a package and its dist-info with entry points, on the path), are chosen by the URL schemes
they declare, by the `things` command line exactly as the built-in ones are, and carry a real
program from a dispatcher to a worker over a real redis-server. And a scan of the kernel's
source fails when it names a plugin, one of its URL schemes or imports one.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, things_cmd
from servers import _binary, free_port
from third_party import install

from thingscore import plugins

ACME_PUBSUB = '''
    import os
    import subprocess
    from things_plugins.pubsub.redis_pubsub import RedisPubSub

    class AcmeBus(RedisPubSub):
        """A vendor's bus: redis underneath, its own URL scheme on top."""
        name = "acme"
        schemes = ("acme", "acmes")
        default_url = "acme://127.0.0.1:6379/0"

        capabilities = RedisPubSub.capabilities | {"serve_broker"}
        broker_port = 6390

        def __init__(self, url=None, *, client_id=None):
            _mark("pubsub", url)
            super().__init__("redis://" + (url or self.default_url).split("://", 1)[1], client_id=client_id)

        @classmethod
        def serve_broker(cls, host, port, options):
            return RedisServer(host, port)

    class RedisServer:
        """The vendor's broker for `things pubsub --backend acme`: a redis-server child."""

        def __init__(self, host, port):
            exe = os.environ["ACME_REDIS_SERVER"]
            self._proc = subprocess.Popen([exe, "--bind", host, "--port", str(port), "--save", "",
                                           "--appendonly", "no"], stdout=subprocess.DEVNULL)
            self.url = f"acme://{host}:{port}/0"
            self.description = f"acme broker at {self.url}"
            self.notes = []

        def serve_forever(self):
            return 0 if self._proc.wait() in (0, -15) else 1

        def stop(self):
            self._proc.terminate()

    def _mark(kind, url):
        marker = os.environ.get("ACME_MARKER")
        if marker:
            with open(marker, "a") as f:
                f.write(f"{kind} {os.getpid()} {url}\\n")
'''

ACME_FS = '''
    from things_plugins.fs.local import LocalFS
    from acme_things.bus import _mark

    class AcmeFS(LocalFS):
        """A vendor's file system: a directory named by an acmefs:// URL."""
        name = "acmefs"
        schemes = ("acmefs",)
        default_url = None
        default_priority = 0
        accepts_paths = False

        def __init__(self, url=None):
            _mark("fs", url)
            super().__init__("file://" + url.split("://", 1)[1])
'''

PROGRAM = """
const fs = require('fs');
let n = 0;
const t = setInterval(() => {
  n++;
  console.log('tick ' + n);
  if (n === 3) { clearInterval(t); fs.writeFileSync('out.txt', 'done ' + n); }
}, 20);
"""


@pytest.fixture
def acme_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The third-party package on sys.path (this process) and PYTHONPATH (`things` processes)."""
    site = install(tmp_path / "site", "acme_things", {"bus.py": ACME_PUBSUB, "files.py": ACME_FS},
                   {"things.pubsub": {"acme": "acme_things.bus:AcmeBus"},
                    "things.fs": {"acmefs": "acme_things.files:AcmeFS"}})
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")])))
    plugins.refresh()
    yield site
    plugins.refresh()


def test_a_third_party_plugin_is_chosen_by_the_scheme_it_declares(acme_site: Path) -> None:
    assert "acme" in plugins.available("pubsub") and "acmefs" in plugins.available("fs")
    assert plugins.resolve("pubsub", "acme://h:1/0") == ("acme", "acme://h:1/0")
    assert plugins.resolve("pubsub", "ACMES://h:1/0")[0] == "acme"  # schemes are case-insensitive
    assert plugins.resolve("pubsub", "acme") == ("acme", "acme://127.0.0.1:6379/0")  # its bare word
    assert plugins.resolve("fs", "acmefs:///srv/x") == ("acmefs", "acmefs:///srv/x")
    # the built-ins are found the same way, and the defaults are declared, not known
    assert plugins.resolve("pubsub", "rediss://h:1/0")[0] == "redis"
    assert plugins.resolve("fs", "/srv/things")[0] == plugins.default_name("fs")
    with pytest.raises(plugins.PluginNotFound, match="acme://"):
        plugins.resolve("pubsub", "nosuch://h")  # the error lists what is installed, the third party too


def test_things_plugins_lists_what_each_plugin_declares(acme_site: Path) -> None:
    r = subprocess.run([*things_cmd(), "plugins", "--json"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    rows = {(row["kind"], row["name"]): row for row in json.loads(r.stdout)}
    acme = rows[("pubsub", "acme")]
    assert acme["schemes"] == ["acme", "acmes"] and "serve_broker" in acme["capabilities"] and not acme["default"]
    assert rows[("fs", "acmefs")]["schemes"] == ["acmefs"]
    for kind in plugins.GROUPS:  # exactly one default per kind, and it is the one the kernel picks
        assert [name for (k, name), row in rows.items() if k == kind and row.get("default")] == [
            plugins.default_name(kind)]


def test_the_cli_runs_a_program_over_a_third_party_bus_and_fs(acme_site: Path, redis_url: str,
                                                              tmp_path: Path) -> None:
    hostport = redis_url.split("://", 1)[1]
    bus, fsdir, marker = f"acme://{hostport}", tmp_path / "acme-fs", tmp_path / "marker"
    fs_url = f"acmefs://{fsdir}"
    env = {**os.environ, "ACME_MARKER": str(marker)}
    program = tmp_path / "app.js"
    program.write_text(PROGRAM)
    wid = f"acme-{tmp_path.name[-6:]}"
    worker = subprocess.Popen([*things_cmd(), "worker", "--id", wid, "--pubsub", bus, "--fs", fs_url,
                               "--heartbeat", "0.3"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        cluster = ["dispatch", "--pubsub", bus, "--fs", fs_url, "--timeout", "20"]
        _wait_for_worker(cluster, wid, env, worker)
        run = subprocess.run([*things_cmd(), *cluster, "run", wid, str(program)], env=env, capture_output=True,
                             text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        pid = json.loads(run.stdout)["id"]
        out = fsdir / "files" / pid / "out.txt"
        deadline = time.monotonic() + 30
        while not out.exists():
            assert time.monotonic() < deadline, "the program's file never reached the third-party file system"
            time.sleep(0.1)
        assert out.read_text() == "done 3"
        assert list((fsdir / "code").glob("*.js")), "the dispatcher put the code through the third-party FS"
    finally:
        worker.terminate()
        worker.wait(20)
    marks = [line.split(" ", 2) for line in marker.read_text().splitlines()]
    assert {kind for kind, _, _ in marks} == {"pubsub", "fs"}
    assert {p for _, p, _ in marks} >= {str(worker.pid)}, "the worker process used the third-party plugins"
    assert len({p for _, p, _ in marks}) >= 3, "worker and dispatch commands all chose them by URL"


def _wait_for_worker(cluster: list[str], wid: str, env: dict[str, str], proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while True:
        ws = subprocess.run([*things_cmd(), *cluster, "workers", "--json"], env=env, capture_output=True,
                            text=True, timeout=60)
        if ws.returncode == 0 and wid in ws.stdout:
            return
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        assert time.monotonic() < deadline, f"the worker never showed up: {ws.stdout} {ws.stderr}"
        time.sleep(0.3)


def test_things_pubsub_serves_the_broker_of_the_plugin_named(acme_site: Path, tmp_path: Path) -> None:
    """`things pubsub --backend acme` runs the third party's broker; a worker reaches it by its URL."""
    exe = _binary("redis-server")
    if exe is None:
        pytest.skip("redis-server is not installed (make test installs it with apt-get)")
    env = {**os.environ, "ACME_REDIS_SERVER": exe}
    port = free_port()
    broker = subprocess.Popen([*things_cmd(), "pubsub", "--backend", "acme", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    worker = None
    try:
        assert broker.stdout is not None
        first = broker.stdout.readline()
        url = f"acme://127.0.0.1:{port}/0"
        assert first.strip() == f"things pubsub: acme broker at {url}", first + (broker.stderr.read() or "")
        wid = f"acme-broker-{tmp_path.name[-6:]}"
        worker = subprocess.Popen([*things_cmd(), "worker", "--id", wid, "--pubsub", url, "--fs", str(tmp_path / "fs"),
                                   "--heartbeat", "0.3"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _wait_for_worker(["dispatch", "--pubsub", url, "--fs", str(tmp_path / "fs")], wid, env, worker)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(20)
        broker.terminate()
        assert broker.wait(20) == 0


def test_things_pubsub_refuses_what_a_broker_plugin_does_not_declare() -> None:
    local = subprocess.run([*things_cmd(), "pubsub", "--backend", "local"], capture_output=True, text=True, timeout=60)
    assert local.returncode == 2 and "serves no broker" in local.stderr
    served = [d.name for d in plugins.declarations("pubsub")
              if "serve_broker" in plugins.load_class("pubsub", d.name).capabilities]
    assert served and all(name in local.stderr for name in served)
    no_curve = [n for n in served if "curve_keys" not in plugins.load_class("pubsub", n).broker_options]
    if no_curve:
        r = subprocess.run([*things_cmd(), "pubsub", "--backend", no_curve[0], "--curve-keys", "/nonexistent"],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 2 and "takes no --curve-keys" in r.stderr, r.stderr


def test_a_plugin_that_cannot_be_imported_hides_no_other(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = install(tmp_path / "site", "broken_things", {"bus.py": "import no_such_client_library\n"},
                   {"things.pubsub": {"aaa-broken": "broken_things.bus:Bus"}})
    monkeypatch.syspath_prepend(str(site))
    plugins.refresh()
    try:
        assert "aaa-broken" in plugins.available("pubsub")
        assert plugins.resolve("pubsub", "mqtts://h")[0] == "mqtt"  # found past the broken one
        assert plugins.default_name("pubsub") in plugins.available("pubsub")
        with pytest.raises(plugins.PluginNotFound, match="aaa-broken"):
            plugins.declaration("pubsub", "aaa-broken")
    finally:
        plugins.refresh()


# -- the kernel names no plugin ----------------------------------------------------------------

KERNEL = ROOT / "thingscore"

#: Words that are plugin names or schemes and also mean something else in the kernel. For these
#: only a string literal that *is* the word is flagged, and each place that means the other
#: thing is listed here with that meaning.
AMBIGUOUS = {"local", "node", "file", "unix", "tcp", "balanced", "v8", "browser"}
ALLOWED: dict[tuple[str, str], str] = {
    ("instrument/scope.py", "local"): "ESTree: the `local` of import/export specifiers",
    ("instrument/esm.py", "local"): "ESTree: the `local` of import/export specifiers",
    ("instrument/graph.py", "local"): "ESTree: the `local` of import specifiers",
    ("instrument/resolve.py", "node"): "Node.js's `node` condition of package.json exports",
    ("instrument/scope_model.py", "node"): "an attribute name of the scope model",
    ("instrument/verify.py", "node"): "the node executable that checks instrumented output",
    ("test262/runner.py", "node"): "plain node, the reference engine test262 results are compared with",
    ("control/apps.py", "file"): "the `file` key of an application file",
    ("cli.py", "file"): "the FILE argument of commands",
    ("instrument/bundle.py", "file"): "a module's `file` field",
    ("commands/conformance.py", "node"): "the node executable the parser suite's oracle (acorn) runs in",
    ("gateway/door.py", "file"): "a module's `file` field in a program's meta",
    ("security/keys.py", "browser"): "the key role of web pages (not the runtime plugin)",
    ("security/policy.py", "browser"): "the key role of web pages (not the runtime plugin)",
}
#: Not plugins, but what only plugins may import or name: their client libraries and brokers.
CLIENT_LIBRARIES = {"paho", "pymongo", "gridfs", "redis", "zmq", "mosquitto", "prometheus_client",
                    "esprima", "tree_sitter", "quickjs", "py_mini_racer", "things_plugins"}


def _plugin_words() -> set[str]:
    words = set(CLIENT_LIBRARIES) | {"mqtt", "mongo", "mongodb", "local", "node", "quickjs", "esprima"}
    for kind in plugins.GROUPS:
        for name in plugins.available(kind):
            words.add(name)
            words.update(plugins.declaration(kind, name).schemes)
    return words


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def kernel_mentions(root: Path = KERNEL) -> list[str]:
    """Every place in the kernel's code (docstrings and comments aside) that names a plugin."""
    words = _plugin_words()
    distinctive = [w for w in words if w not in AMBIGUOUS]
    mention = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(distinctive, key=len, reverse=True)))
                         + r")(?![\w-])")
    schemes = {s for kind in ("pubsub", "fs") for d in plugins.declarations(kind) for s in d.schemes}
    url = re.compile(r"(?<![\w+.-])(" + "|".join(map(re.escape, sorted(schemes))) + r")://")
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                found += [f"{rel}:{node.lineno}: imports {m}" for m in modules if m.split(".")[0] in words]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
                text = node.value
                if text in AMBIGUOUS and (rel, text) not in ALLOWED:
                    found.append(f"{rel}:{node.lineno}: {text!r}")
                hit = mention.search(text) or url.search(text)
                if hit:
                    found.append(f"{rel}:{node.lineno}: {hit.group(0)!r} in {text[:60]!r}")
    return found


def test_the_kernel_names_no_plugin() -> None:
    mentions = kernel_mentions()
    assert not mentions, "the kernel names plugins (let the plugins declare it):\n" + "\n".join(mentions)


def test_the_scan_finds_a_plugin_name(tmp_path: Path) -> None:
    """The scan is not blind: each way of naming a plugin is caught."""
    (tmp_path / "bad.py").write_text('"""Docstrings may say zmq."""\n'
                                     "import redis\n"
                                     "from things_plugins.pubsub import zmq_pubsub\n"
                                     'DEFAULT = "mqtt://127.0.0.1:1883"\n'
                                     'def f(parser="esprima", runtime="node"):\n'
                                     '    return "the zmq broker"\n')
    found = "\n".join(kernel_mentions(tmp_path))
    for what in ("imports redis", "imports things_plugins", "in 'mqtt://", "'esprima'", "'node'", "'zmq' in"):
        assert what in found, found
    assert "Docstrings" not in found


def test_plugin_modules_import_their_client_libraries_lazily() -> None:
    """Reading the declarations of every pub/sub and FS plugin (what choosing by URL or by
    default does) must not import the backends' client libraries."""
    code = ("import sys; from thingscore import plugins\n"
            "for k in ('pubsub', 'fs'): plugins.declarations(k)\n"
            "print(sorted(m for m in ('redis', 'pymongo', 'gridfs', 'paho.mqtt.client') "
            "if m in sys.modules and type(sys.modules[m]).__name__ != '_LazyModule'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]", out.stdout
