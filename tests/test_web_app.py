"""The sample web app (examples/physics) end to end, in real headless Chromium: the page's
simulation starts in the page's own Web Worker, is offloaded to a node worker through
`things gateway`, moves to a second node worker, and is brought back into the page. Its
frames go on one after the other with the checksum of an uninterrupted run (plain node),
wherever each was computed. Screenshots of the page at each stage are kept in
tests/artifacts/web_app/ (the test's artifacts).

Real parts: mosquitto, two `things worker` processes (node), the gateway process, a static
HTTP server for the page, Chromium driven by Playwright with the system's executable.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Fleet, things_cmd
from servers import free_port

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "physics"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "web_app"
BODIES = 200


def _chromium() -> str | None:
    try:
        from things_plugins.runtimes.browser_host import find_chromium
    except ImportError:
        return None
    return find_chromium()[0]


pytestmark = pytest.mark.skipif(shutil.which("node") is None or _chromium() is None,
                                reason="needs node and Chromium (apt-get install chromium)")


def _reference(frames: int) -> list[float]:
    """The checksums of frames 1..frames of an uninterrupted run under plain node."""
    # one frame at a time through the worker's own message protocol (its timer never runs)
    driver = (
        "globalThis.self = globalThis; const sums = [];"
        "globalThis.postMessage = (m) => { sums.push(m.checksum); };"
        "globalThis.close = () => {};"
        f"require({json.dumps(str(SAMPLE / 'physics.js'))});"
        f"self.onmessage({{ data: {{ cmd: 'start', bodies: {BODIES} }} }});"
        "self.onmessage({ data: { cmd: 'pause' } });"
        "sums.length = 0;"
        f"for (let i = 0; i < {frames}; i++) self.onmessage({{ data: {{ cmd: 'steps', count: 1 }} }});"
        "console.log(JSON.stringify(sums));"
    )
    out = subprocess.run(["node", "-e", driver], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample's files and things web-assets, served on loopback."""
    root = tmp_path_factory.mktemp("site")
    for f in SAMPLE.iterdir():
        if f.is_file():
            shutil.copy(f, root / f.name)
    subprocess.run([*things_cmd(), "web-assets", "--out", str(root / "things")], check=True, capture_output=True)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                      ".mjs": "text/javascript"}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def cluster(mosquitto: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    work = tmp_path_factory.mktemp("webapp")
    fleet = Fleet(work, f"mqtt://127.0.0.1:{mosquitto.port}", str(work / "fs"))
    for wid in ("edge-1", "edge-2"):
        fleet.worker(wid, "--runtime", "node", wait=False)
    port = free_port()
    fleet.spawn("gateway", "gateway", "--port", str(port))
    try:
        for wid in ("edge-1", "edge-2"):
            fleet.wait_log(wid, ": ready", 60)
        fleet.wait_log("gateway", "listening on", 30)
        yield {"url": f"ws://127.0.0.1:{port}", "fleet": fleet}
    finally:
        fleet.stop()


def _frames_after(page: Any, count: int, where: str, timeout: float = 30) -> list[list[Any]]:
    """Wait until ``count`` more frames were drawn while the program is ``where``."""
    start = page.evaluate("window.sample.frames.length")
    deadline = time.monotonic() + timeout
    while True:
        frames = page.evaluate("window.sample.frames")
        errors = page.evaluate("window.sample.errors")
        assert not errors, errors
        mine = [f for f in frames[start:] if f[2] == where]
        if len(mine) >= count:
            return frames
        assert time.monotonic() < deadline, f"no {count} frames {where}: {frames[-3:]} {page.evaluate('window.sample')}"
        time.sleep(0.1)


def test_physics_sample_moves_page_edge_edge_page(site: str, cluster: dict[str, Any]) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    console: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"], headless=True)
        try:
            page = browser.new_page(viewport={"width": 800, "height": 700})
            page.on("console", lambda m: console.append(m.text))
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            page.goto(f"{site}/index.html?cluster={cluster['url']}")
            page.fill("#bodies", str(BODIES))
            page.click("#start")
            _frames_after(page, 20, "page")
            page.screenshot(path=str(ARTIFACTS / "1-page.png"))
            moved = page.evaluate("window.sample.act('offload', 'edge-1')")
            assert moved["worker"] == "edge-1", moved
            _frames_after(page, 20, "cluster")
            assert page.evaluate("window.sample.worker") == "edge-1"
            page.screenshot(path=str(ARTIFACTS / "2-edge-1.png"))
            page.evaluate("window.sample.act('migrate', 'edge-2')")
            frames = _frames_after(page, 20, "cluster")
            assert page.evaluate("window.sample.worker") == "edge-2"
            page.screenshot(path=str(ARTIFACTS / "3-edge-2.png"))
            page.evaluate("window.sample.act('bringBack')")
            frames = _frames_after(page, 20, "page")
            page.screenshot(path=str(ARTIFACTS / "4-page-again.png"))
        finally:
            (ARTIFACTS / "console.txt").write_text("\n".join(console), encoding="utf-8")
            browser.close()
    numbers = [f[0] for f in frames]
    assert numbers == list(range(1, len(numbers) + 1)), f"frames skipped or repeated: {numbers}"
    reference = _reference(len(frames))
    assert [f[1] for f in frames] == reference, "the simulation did not go on where it was"
    assert {f[2] for f in frames} >= {"page", "cluster"}
