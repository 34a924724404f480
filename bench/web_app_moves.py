"""The sample web app's moves (examples/physics), measured from the page in real headless
Chromium, beside Mobile Web Worker's table (Jeong et al., SoCC 2019): page->edge (offload:
snapshot in the page's Web Worker, restore on a node worker), edge->edge (migrate between two
node workers) and edge->page (bring back: snapshot on the worker, restore in the page's Web
Worker), at 100, 500 and 2,000 bodies. Each figure is the time from the page's call to its
answer (the page's view, what a user waits); edge->edge also gives the worker's own downtime
(held at a boundary -> resumed on the target). Loopback, mosquitto, two `things worker`
processes, `things gateway`, the page served by a static HTTP server.

    .venv/bin/python bench/web_app_moves.py [--bodies 100,500,2000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from gateway_rtt import THINGS, _wait, broker, tear_down  # noqa: E402
from servers import free_port  # noqa: E402

SAMPLE = ROOT / "examples" / "physics"
MWW = {"page->edge": "3.1 s (physics app, phone -> edge)", "edge->edge": "0.15-11.9 s (their range)",
       "edge->page": "-"}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                      ".mjs": "text/javascript"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def measure(bodies: list[int], rounds: int) -> dict[int, dict[str, list[float]]]:
    from playwright.sync_api import sync_playwright
    from things_plugins.runtimes.browser_host import find_chromium

    url, stop = broker("mqtt")
    work = Path(tempfile.mkdtemp(prefix="things-webbench-"))
    site = work / "site"
    site.mkdir()
    for f in SAMPLE.iterdir():
        if f.is_file():
            shutil.copy(f, site / f.name)
    subprocess.run([THINGS, "web-assets", "--out", str(site / "things")], check=True, capture_output=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    procs = []
    port = free_port()
    fs = str(work / "fs")
    try:
        for wid in ("edge-1", "edge-2"):
            log = work / f"{wid}.log"
            procs.append(subprocess.Popen([THINGS, "worker", "--id", wid, "--pubsub", url, "--fs", fs, "--runtime",
                                           "node"], stdout=log.open("wb"), stderr=subprocess.STDOUT))
        gw_log = work / "gateway.log"
        procs.append(subprocess.Popen([THINGS, "gateway", "--pubsub", url, "--fs", fs, "--port", str(port)],
                                      stdout=gw_log.open("wb"), stderr=subprocess.STDOUT))
        for wid in ("edge-1", "edge-2"):
            _wait(work / f"{wid}.log", ": ready")
        _wait(gw_log, "listening on")
        out: dict[int, dict[str, list[float]]] = {}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=find_chromium()[0], args=["--no-sandbox"])
            try:
                for n in bodies:
                    page = browser.new_page()
                    page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html?cluster=ws://127.0.0.1:{port}")
                    page.fill("#bodies", str(n))
                    page.click("#start")
                    page.wait_for_function("window.sample.frames.length > 10", timeout=60000)
                    got: dict[str, list[float]] = {"page->edge": [], "edge->edge": [], "edge->edge held": [],
                                                   "edge->page": []}
                    timed = ("async ([what, arg]) => { const t = performance.now(); const r = "
                             "await window.sample.act(what, arg); return [performance.now() - t, r]; }")
                    for _ in range(rounds):
                        ms, _r = page.evaluate(timed, ["offload", "edge-1"])
                        got["page->edge"].append(ms)
                        ms, r = page.evaluate(timed, ["migrate", "edge-2"])
                        got["edge->edge"].append(ms)
                        got["edge->edge held"].append(float(r.get("downtime_ms") or 0.0))
                        ms, _r = page.evaluate(timed, ["bringBack", None])
                        got["edge->page"].append(ms)
                        page.wait_for_timeout(200)
                    errors = page.evaluate("window.sample.errors")
                    if errors:
                        raise SystemExit(f"the page reported: {errors}")
                    page.close()
                    out[n] = got
            finally:
                browser.close()
        return out
    finally:
        server.shutdown()
        tear_down(procs, stop, work)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bodies", default="100,500,2000")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    bodies = [int(b) for b in args.bodies.split(",")]
    results = measure(bodies, args.rounds)
    print(f"{'bodies':>7} {'move':<16} {'median ms':>10} {'min ms':>8} {'max ms':>8}   MWW (SoCC 2019)")
    for n, got in results.items():
        for move, values in got.items():
            print(f"{n:>7} {move:<16} {statistics.median(values):>10.0f} {min(values):>8.0f} {max(values):>8.0f}   "
                  f"{MWW.get(move, '')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
