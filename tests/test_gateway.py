"""`things gateway`: a web page's door into the cluster, with real parts: mosquitto, `things
worker` processes (node and QuickJS, signed commands, encrypted snapshots), the gateway as a
process, and a WebSocket client in Python that does what the page library does.

The channel survives every move: posts made while the program starts, is paused, moves
node -> QuickJS -> node, or is brought back, each reach the program once and in order, and
each reply reaches the page once and in order."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import PROGRAMS, Fleet, things_cmd
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from servers import free_port

from thingscore.gateway import auth
from thingscore.gateway.channel import ENDED, HELD, PAGE, RUNNING, Channel, Post, Refused
from thingscore.gateway.client import PageClient
from thingscore.security import keys
from thingscore.structured_clone import deserialize, serialize

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not on PATH")

PROGRAM = PROGRAMS / "web_worker_sum.js"


class Page(PageClient):
    """The test's page: answers as frames, and authenticated unless told not to."""

    def __init__(self, url: str, ring: keys.KeyRing | None, *, auth_now: bool = True) -> None:
        super().__init__(url, ring, authenticate=False)
        if auth_now:
            assert self.call("auth", **(auth.sign(ring, self.hello["challenge"]) if ring else {}))["role"] == "browser"

@pytest.fixture(scope="module")
def cluster(mosquitto: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    work = tmp_path_factory.mktemp("gateway")
    keyfile = work / "cluster.keys"
    ring = keys.generate()
    # a second browser key: another page's (ownership is by key)
    other = Ed25519PrivateKey.generate()
    ring.public["browser"][keys.key_id(other.public_key())] = other.public_key()
    keys.write_cluster(ring, keyfile)
    second = keys.KeyRing(ring.public, {"browser": other}, None, ring.cluster)
    fleet = Fleet(work, f"mqtt://127.0.0.1:{mosquitto.port}", str(work / "fs"))
    for wid, rt in (("N1", "node"), ("Q", "quickjs"), ("N2", "node")):
        fleet.worker(wid, "--runtime", rt, "--keys", f"{keyfile}.worker", "--encrypt-snapshots", wait=False)
    port = free_port()
    fleet.spawn("gateway", "gateway", "--port", str(port), "--keys", str(keyfile))
    try:
        for wid in ("N1", "Q", "N2"):
            fleet.wait_log(wid, ": ready", 60)
        fleet.wait_log("gateway", "listening on", 30)
        yield {"url": f"ws://127.0.0.1:{port}", "ring": keys.load(f"{keyfile}.browser"), "fleet": fleet,
               "keyfile": keyfile, "other": second}
    finally:
        fleet.stop()


def _until(ok: Any, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not ok():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _check(got: list[Any], first: int = 1) -> None:
    total = sum(range(1, first))
    for i, r in enumerate(got, start=first):
        total += i
        assert (r["tag"], r["total"], r["seen"]) == (f"t{i}", total, i), r
        assert r["big"] == total ** 3


def test_posts_and_replies_survive_pause_and_moves_once_in_order(cluster: dict[str, Any]) -> None:
    page = Page(cluster["url"], cluster["ring"])
    try:
        # posted at once after run: held by the gateway until the program listens
        rid = page.send("run", source=PROGRAM.read_text(), name="sum.js", worker="N1")
        started = page.answer(rid)
        assert started["type"] == "result", started
        pid = started["result"]["pid"]
        for i in range(1, 6):
            page.post(pid, {"n": i, "tag": f"t{i}"})
        assert page.call("pause", pid=pid) == {"pid": pid, "state": "paused"}
        for i in range(6, 11):  # while paused: held, delivered after resume
            page.post(pid, {"n": i, "tag": f"t{i}"})
        time.sleep(0.3)
        assert len(page.messages.get(pid, [])) <= 5
        page.call("resume", pid=pid)
        n = 10
        for target in ("Q", "N1"):
            move = page.send("migrate", pid=pid, worker=target)
            for _ in range(5):  # in flight while it moves
                n += 1
                page.post(pid, {"n": n, "tag": f"t{n}"})
            assert page.answer(move)["result"]["worker"] == target
        got = page.replies(pid, n)
        _check(got)
        # Another connection of the same page (a reload) attaches and goes on numbering; a resent
        # post is acked and not delivered again; what no connection acked is sent again on attach.
        again = Page(cluster["url"], cluster["ring"])
        try:
            state = again.call("attach", pid=pid, after=0)
            assert state["state"] == "running" and state["outSeq"] == n  # (the replies above were acked)
            resent = again.answer(again.send("post", pid=pid, seq=n, data=serialize({"n": 99, "tag": "again"})))
            assert resent == {"type": "ack", "id": resent["id"], "pid": pid, "seq": n}
            again.seq[pid] = n
            again.post(pid, {"n": n + 1, "tag": f"t{n + 1}"})
            n += 1
            _until(lambda: again.received(pid) == 1)
        finally:
            again.close()
        third = Page(cluster["url"], cluster["ring"])
        try:
            third.call("attach", pid=pid, after=n - 1)
            _until(lambda: third.received(pid) == 1)
            assert third.messages[pid][0]["seq"] == n
            assert deserialize(third.messages[pid][0]["data"])["total"] == sum(range(1, n + 1))
        finally:
            third.close()
        listed = page.call("ps")["programs"]
        assert [(p["id"], p["worker"], p["state"], p["held"]) for p in listed if p["id"] == pid] == \
            [(pid, "N1", "running", 0)]
        time.sleep(0.3)
        assert len(page.messages[pid]) == n and len(got) == n - 1  # nothing twice
    finally:
        page.close()


def test_bring_back_returns_the_snapshot_and_every_message_it_did_not_see(cluster: dict[str, Any]) -> None:
    page = Page(cluster["url"], cluster["ring"])
    try:
        pid = page.call("run", source=PROGRAM.read_text(), name="sum.js", worker="N2")["pid"]
        for i in range(1, 4):
            page.post(pid, {"n": i, "tag": f"t{i}"})
        page.replies(pid, 3)
        back = page.send("bringBack", pid=pid)
        for i in range(4, 7):  # while it is being brought back
            page.post(pid, {"n": i, "tag": f"t{i}"})
        result = page.answer(back)
        assert result["type"] == "result", result
        brought = result["result"]
        snap = json.loads(brought["snapshot"])
        assert snap["program"] == brought["hash"]
        assert brought["inSeq"] == 6
        handled = len(page.messages[pid])  # replies to what it handled before its snapshot
        assert brought["outSeq"] == handled
        ids = [m["id"] for m in brought["messages"]]
        assert ids[-3:] == [f"{pid}.{i}" for i in (4, 5, 6)]
        # In the page now: a post goes to its own Web Worker, not through the gateway.
        err = page.answer(page.send("post", pid=pid, seq=7, data=serialize({"n": 7})))
        assert err["code"] == "not-here"
        assert [p["state"] for p in page.call("ps")["programs"] if p["id"] == pid] == ["page"]
        reloaded = Page(cluster["url"], cluster["ring"])  # a page that lost the answer gets it again
        try:
            assert reloaded.call("attach", pid=pid)["brought"]["snapshot"] == brought["snapshot"]
        finally:
            reloaded.close()
        # The page resumes it (here: offloads it again at once, with the messages it brought
        # back, as a page that restored it would hand them to its runtime): the runtime drops
        # those its snapshot has seen, each of the others is handled once, in order.
        out = page.call("offload", pid=pid, hash=brought["hash"], snapshot=brought["snapshot"],
                        messages=brought["messages"], inSeq=brought["inSeq"], worker="N1")
        assert out["worker"] == "N1"
        page.seq[pid] = 6
        page.post(pid, {"n": 7, "tag": "t7"})
        got = page.replies(pid, 7)
        _check(got)
        assert brought["outSeq"] == handled and handled >= 3
    finally:
        page.close()


def test_a_brought_back_snapshot_resumes_in_a_plain_node_process(cluster: dict[str, Any], tmp_path: Path) -> None:
    """`things restore` makes a standalone program of the snapshot the page got; node runs it
    with the state it had (here: it answers the messages the bring-back handed over)."""
    page = Page(cluster["url"], cluster["ring"])
    try:
        pid = page.call("run", source=PROGRAM.read_text(), name="sum.js", worker="N1")["pid"]
        for i in range(1, 3):
            page.post(pid, {"n": i, "tag": f"t{i}"})
        page.replies(pid, 2)
        brought = page.call("bringBack", pid=pid)
    finally:
        page.close()
    snap = tmp_path / "snap.json"
    snap.write_text(brought["snapshot"])
    main = tmp_path / "sum.js"  # (the name the page gave it: part of what the program is)
    main.write_text(PROGRAM.read_text())
    out = tmp_path / "resumed.js"
    r = subprocess.run([*things_cmd(), "restore", str(snap), "--program", str(main), "-o", str(out)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    # The page's Web Worker would get the handed-over messages by id; a plain node run has no
    # channel: it resumes its state and ends as node's worker programs do without a page.
    run = subprocess.run(["node", str(out)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr


def test_pages_without_a_valid_key_are_refused_and_logged(cluster: dict[str, Any]) -> None:
    fleet: Fleet = cluster["fleet"]
    # no auth at all
    page = Page(cluster["url"], None, auth_now=False)
    err = page.answer(page.send("ps"), timeout=10)
    assert err["code"] == "unauthorized" and "authenticate first" in err["message"]
    time.sleep(0.2)
    assert page.closed is not None and page.closed.rcvd is not None and page.closed.rcvd.code == 1008
    # a key of another cluster
    page = Page(cluster["url"], None, auth_now=False)
    stranger = keys.generate()
    err = page.answer(page.send("auth", **auth.sign(stranger, page.hello["challenge"])), timeout=10)
    assert err["code"] == "unauthorized" and "not a browser key of this cluster" in err["message"]
    # a valid key, but the signature of another challenge (a replay)
    page = Page(cluster["url"], None, auth_now=False)
    err = page.answer(page.send("auth", **auth.sign(cluster["ring"], "0" * 64)), timeout=10)
    assert err["code"] == "unauthorized" and "bad signature" in err["message"]
    # the cluster's dispatcher key is not a browser key either
    page = Page(cluster["url"], None, auth_now=False)
    ring = keys.load(cluster["keyfile"])
    sig = ring.as_role("dispatcher").sign(b"things-gateway-auth/1\n" + page.hello["challenge"].encode())
    import base64

    err = page.answer(page.send("auth", kid=sig[1], sig=base64.b64encode(sig[2]).decode()), timeout=10)
    assert err["code"] == "unauthorized"
    log = fleet.log("gateway")
    assert log.count("refused:") >= 4 and "not a browser key of this cluster" in log


def test_malformed_frames_and_other_pages_programs(cluster: dict[str, Any]) -> None:
    page = Page(cluster["url"], cluster["ring"])
    try:
        for raw, code in (("not json", "bad-frame"), ("[1, 2]", "bad-frame"), ('{"op": "ps"}', "version"),
                          ('{"v": 1, "op": "fly"}', "unknown-op"), ('{"v": 1, "op": "post", "pid": 3}', "bad-frame"),
                          ('{"v": 1, "op": "migrate", "pid": "x"}', "bad-frame"), ("[" * 10_000, "bad-frame")):
            page.ws.send(raw)
            frame = page.frames.get(timeout=10)
            assert (frame["type"], frame["code"]) == ("error", code), (raw[:40], frame)
        err = page.answer(page.send("post", pid="nope", data=serialize(1)))
        assert err["code"] == "unknown-program" and "nope" in err["message"]
        err = page.answer(page.send("bringBack", pid="../etc"))
        assert err["code"] == "unknown-program"
        pid = page.call("run", source=PROGRAM.read_text(), name="sum.js", worker="Q")["pid"]
        # a function cannot be cloned: the clone text has no form for it
        err = page.answer(page.send("post", pid=pid, data='["F", "function () {}"]'))
        assert err["code"] == "uncloneable" and "DataCloneError" in err["message"]
        err = page.answer(page.send("run", source="self.onmessage = (e) => {", name="broken.js"))
        assert err["code"] == "bad-program" and "broken.js" in err["message"]
        err = page.answer(page.send("run", source="console.log(1)", name="plain.js"))
        assert err["code"] == "bad-program" and "not a Web Worker program" in err["message"]
        err = page.answer(page.send("run", source="require('/etc/hostname'); self.onmessage = () => {}"))
        assert err["code"] == "bad-program" and "outside the program" in err["message"]
        for path, code in (("files/x/secret.js", "forbidden"), ("web/../code/x.js", "forbidden"),
                           ("../x.js", "bad-frame"),
                           ("web/none.js", "unknown-program")):
            assert page.answer(page.send("run", path=path))["code"] == code, path
        published = Path(cluster["fleet"].fs) / "web" / "sum.js"
        published.parent.mkdir(parents=True, exist_ok=True)
        published.write_text(PROGRAM.read_text())
        by_path = page.call("run", path="web/sum.js", worker="N2")["pid"]
        page.post(by_path, {"n": 5, "tag": "t1"})
        assert page.replies(by_path, 1)[0]["total"] == 5
        page.call("terminate", pid=by_path)
        err = page.answer(page.send("migrate", pid=pid, worker="nowhere"))
        assert err["code"] == "failed" and "nowhere" in err["message"]
        # a page with another browser key of the cluster cannot touch this page's program
        intruder = Page(cluster["url"], cluster["other"])
        try:
            for op in ("post", "bringBack", "terminate", "pause", "attach"):
                fields = {"data": serialize(1)} if op == "post" else {}
                err = intruder.answer(intruder.send(op, pid=pid, **fields))
                assert err["code"] == "forbidden", (op, err)
            assert intruder.call("ps")["programs"] == []
        finally:
            intruder.close()
        page.post(pid, {"n": 1, "tag": "t1"})
        assert page.replies(pid, 1)[0]["total"] == 1
        page.call("terminate", pid=pid)
        # the gateway is still there for everyone
        assert {w["worker"] for w in page.call("workers")["workers"]} == {"N1", "Q", "N2"}
    finally:
        page.close()


def test_a_restarted_gateway_still_knows_whose_programs_are_whose(cluster: dict[str, Any]) -> None:
    """Ownership is in the global FS: after a restart the page reaches its program again (and
    a resent post, whose id is fixed, is not handled twice by the program)."""
    fleet: Fleet = cluster["fleet"]
    page = Page(cluster["url"], cluster["ring"])
    pid = page.call("run", source=PROGRAM.read_text(), name="sum.js", worker="N1")["pid"]
    page.post(pid, {"n": 1, "tag": "t1"})
    page.replies(pid, 1)
    page.close()
    old = fleet.procs["gateway"]
    old.terminate()
    old.wait(15)
    started = fleet.log("gateway").count("listening on")
    fleet.spawn("gateway", "gateway", "--port", cluster["url"].rsplit(":", 1)[1], "--keys", str(cluster["keyfile"]))
    _until(lambda: fleet.log("gateway").count("listening on") > started, 30)
    page = Page(cluster["url"], cluster["ring"])
    try:
        assert page.call("attach", pid=pid)["state"] == "running"
        page.seq[pid] = 0
        page.post(pid, {"n": 1, "tag": "t1"})  # the page did not see its ack: it sends it again
        page.post(pid, {"n": 2, "tag": "t2"})
        _until(lambda: page.received(pid) == 1)
        assert deserialize(page.messages[pid][0]["data"])["total"] == 3  # post 1 once, then post 2
        assert page.answer(page.send("pause", pid=pid))["type"] == "result"
        intruder = Page(cluster["url"], cluster["other"])
        assert intruder.answer(intruder.send("attach", pid=pid))["code"] == "forbidden"
        intruder.close()
        page.call("terminate", pid=pid)
    finally:
        page.close()


# -- the channel alone: where exactly-once and order come from (no cluster) ------------------


def test_a_channel_takes_each_post_once_in_order_and_holds_them_while_the_program_is_away() -> None:
    sent: list[Post] = []
    ch = Channel("p1", "page", sent.append, state=RUNNING)
    assert ch.accept(1, "a") == (1, True) and ch.accept(1, "a") == (1, False)  # a resend: acked, not sent
    with pytest.raises(Refused) as gap:
        ch.accept(3, "c")
    assert gap.value.code == "gap"
    ch.hold("moving")
    assert ch.accept(None, "b") == (2, True) and ch.state == HELD and [p.data for p in sent] == ["a"]
    ch.accept(3, "c")
    assert ch.release("W") == 2 and [(p.seq, p.id) for p in sent] == [(1, "p1.1"), (2, "p1.2"), (3, "p1.3")]
    ch.hold("bringing back")
    ch.accept(4, "d")
    back = ch.to_page()  # the window of published posts, then the held ones: the page's runtime sorts by id
    assert [p.data for p in back] == ["a", "b", "c", "d"] and ch.state == PAGE
    with pytest.raises(Refused) as away:
        ch.accept(5, "e")
    assert away.value.code == "not-here"
    ch.from_page(in_seq=9)  # the page handled posts 5..9 itself
    assert ch.accept(10, "j") == (10, True) and ch.held[-1].id == "p1.10"
    ch.end("killed")
    assert ch.state == ENDED


def test_a_channel_numbers_the_programs_messages_and_keeps_them_until_acked() -> None:
    ch = Channel("p2", "page", lambda post: None)
    for text in ("x", "y", "z"):
        ch.reply(text)
    assert ch.since(1) == [(2, "y"), (3, "z")]
    ch.acked(2)
    assert ch.since(0) == [(3, "z")] and ch.out_seq == 3
