"""Pub/sub latency and throughput: our layer against the raw client library, per backend.

    .venv/bin/python bench/pubsub_bench.py [--backends zmq,mqtt,redis,local] [-n 20000] [--size 100]
                                           [--rounds 500] [--repeat 5] [--mqtt URL] [--redis URL]

For each backend, on loopback, with the same broker for both sides:

- throughput: one client publishes N plain messages as fast as it can, another receives
  them (counted in the subscriber's handler / callback); messages per second from the
  first publish to the last receipt, and CPU time of this process per message (publisher
  and subscriber share the process; the zmq broker too, for raw and ours alike; mosquitto
  and redis-server are other processes and not counted);
- latency: ping-pong round trips (A publishes, B's handler answers, A waits), median and
  99th percentile.

Raw and ours run alternately ``--repeat`` times and each figure is the median: on a shared
machine one run can be 2x off, and alternating lets a burst of load hit both sides.

Like with like. "raw" is the client library used as its documentation shows, with the
same QoS, payload and delivery as ours: pyzmq PUB/SUB through our broker's libzmq proxy
(``send_multipart``; the subscriber drains everything ready after each poll, as our I/O
thread does), paho QoS 0 with TCP_NODELAY too, redis-py ``PUBLISH`` (synchronous: it
returns after Redis's reply, as ours does) and its pub/sub thread. "ours" is the plugin
(message id in an envelope, wildcard matching, the dispatcher thread, deduplication).
Our plugins use some of those libraries' calls below the documented convenience layer
(pyzmq's compiled send/recv, one kept redis-py connection instead of a pool checkout per
command, paho reading every received packet per wake-up): the raw twin does not, so part
of our layer's cost is paid by using the library better; bench/README.md gives the sizes.
The issue's target: ours within 1.2x of raw throughput. Durable publications (QoS 1,
Lua + streams, the ROUTER channel) are measured as an extra row, with no raw twin.
mosquitto and redis-server are started on free ports unless URLs are given.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from thingscore import plugins  # noqa: E402
from thingscore.pubsub import PubSub  # noqa: E402

Row = tuple[str, str, float, float, float, float]  # backend, variant, msgs/s, median us, p99 us, CPU us/msg


class Counter:
    def __init__(self, n: int) -> None:
        self.n, self.count, self.done = n, 0, threading.Event()

    def hit(self, *_: object) -> None:
        self.count += 1
        if self.count >= self.n:
            self.done.set()


def timed(publish: Callable[[int], None], counter: Counter, n: int) -> tuple[float, float]:
    """(messages per second, CPU microseconds per message of this whole process).

    Publisher and subscriber share this process (and its GIL), so the process's CPU time
    per message is the cost of both ends; it is steadier than the rate on a shared machine
    (another program's burst stretches the wall time, not our CPU time).
    """
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        publish(i)
    if not counter.done.wait(120):
        raise RuntimeError(f"received {counter.count} of {n}")
    return n / (time.perf_counter() - started), (time.process_time() - cpu) / n * 1e6


def pingpong(send_ping: Callable[[], None], got_pong: threading.Event, rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        got_pong.clear()
        t = time.perf_counter()
        send_ping()
        if not got_pong.wait(10):
            raise RuntimeError("no pong")
        samples.append((time.perf_counter() - t) * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


# -- ours ----------------------------------------------------------------------------------------


def bench_ours(name: str, url: str | None, n: int, size: int, rounds: int, durable: bool = False) -> Row:
    payload = b"x" * size
    a: PubSub = plugins.load("pubsub", name, url=url, client_id=None)
    b: PubSub = plugins.load("pubsub", name, url=url, client_id=None)
    with a, b:
        counter = Counter(n)
        b.subscribe("bench/t", counter.hit, durable=durable)
        rate, cpu = timed(lambda i: a.publish("bench/t", payload, durable=durable), counter, n)
        pong = threading.Event()
        b.subscribe("bench/ping", lambda m: b.publish("bench/pong", m.payload, durable=durable), durable=durable)
        a.subscribe("bench/pong", lambda m: pong.set(), durable=durable)
        med, p99 = pingpong(lambda: a.publish("bench/ping", payload, durable=durable), pong, rounds)
    return name, "ours durable" if durable else "ours", rate, med, p99, cpu


# -- raw clients ---------------------------------------------------------------------------------


def bench_raw_zmq(url: str, n: int, size: int, rounds: int, tuned: bool = False) -> Row:
    """Raw pyzmq; ``tuned``: with the compiled send/recv our plugin uses (see its module)."""
    import zmq
    from things_plugins.pubsub.zmq_broker import endpoints, parse_url, unbounded
    from things_plugins.pubsub.zmq_pubsub import _NOBLOCK, _SNDMORE, _recv, _send

    xsub, xpub, _ = endpoints(*parse_url(url))
    ctx = zmq.Context()
    socks = {k: ctx.socket(t) for k, t in (("pa", zmq.PUB), ("sa", zmq.SUB), ("pb", zmq.PUB), ("sb", zmq.SUB))}
    for k, s in socks.items():
        unbounded(s)
        s.setsockopt(zmq.LINGER, 0)
        s.connect(xsub if k.startswith("p") else xpub)
    socks["sb"].setsockopt(zmq.SUBSCRIBE, b"bench/")
    socks["sa"].setsockopt(zmq.SUBSCRIBE, b"bench/pong")
    time.sleep(0.5)  # raw ZeroMQ has no handshake: the classic sleep
    payload = b"x" * size
    counter, pong, stop = Counter(n), threading.Event(), threading.Event()

    def b_loop() -> None:
        # Drains what is ready after each poll, as our I/O thread does (one poll per message
        # would handicap the raw client: a poll costs about as much as a receive).
        sb, pb = socks["sb"], socks["pb"]
        while not stop.is_set():
            if sb.poll(100):
                while True:
                    try:
                        if tuned:
                            first = _recv(sb, _NOBLOCK, False)
                            topic, data = first.bytes, (_recv(sb, _NOBLOCK, False).bytes if first.more else b"")
                        else:
                            topic, data = sb.recv_multipart(zmq.NOBLOCK)
                    except zmq.Again:
                        break
                    if topic == b"bench/ping":
                        pb.send_multipart([b"bench/pong", data])
                    else:
                        counter.hit()

    def a_loop() -> None:
        while not stop.is_set():
            if socks["sa"].poll(100):
                socks["sa"].recv_multipart()
                pong.set()

    threads = [threading.Thread(target=f, daemon=True) for f in (b_loop, a_loop)]
    for t in threads:
        t.start()
    pa = socks["pa"]

    def send_tuned(i: int) -> None:
        _send(pa, b"bench/t", _SNDMORE)
        _send(pa, payload, 0)

    rate, cpu = timed(send_tuned if tuned else (lambda i: pa.send_multipart([b"bench/t", payload])), counter, n)
    med, p99 = pingpong(lambda: pa.send_multipart([b"bench/ping", payload]), pong, rounds)
    stop.set()
    for t in threads:
        t.join()
    for s in socks.values():
        s.close()
    ctx.term()
    return "zmq", "raw tuned" if tuned else "raw", rate, med, p99, cpu


def bench_raw_mqtt(url: str, n: int, size: int, rounds: int, tuned: bool = False) -> Row:
    """Raw paho; ``tuned``: its client class reading bursts as our plugin's does."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion
    from things_plugins.pubsub.mqtt_pubsub import _burst_client, parse_url

    host, port, _ = parse_url(url)
    payload = b"x" * size
    counter, pong = Counter(n), threading.Event()

    def client(on_message: Callable[..., None]) -> mqtt.Client:
        c = (_burst_client() if tuned else mqtt.Client)(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
        c.on_socket_open = lambda cl, ud, sock: sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c.on_message = on_message
        c.connect(host, port)
        c.loop_start()
        return c

    def b_msg(c: mqtt.Client, u: object, m: mqtt.MQTTMessage) -> None:
        if m.topic == "bench/ping":
            c.publish("bench/pong", m.payload)
        else:
            counter.hit()

    b = client(b_msg)
    a = client(lambda c, u, m: pong.set())
    b.subscribe("bench/#")
    a.subscribe("bench/pong")
    time.sleep(0.3)
    rate, cpu = timed(lambda i: a.publish("bench/t", payload), counter, n)
    med, p99 = pingpong(lambda: a.publish("bench/ping", payload), pong, rounds)
    for c in (a, b):
        c.disconnect()
        c.loop_stop()
    return "mqtt", "raw tuned" if tuned else "raw", rate, med, p99, cpu


def bench_raw_redis(url: str, n: int, size: int, rounds: int, tuned: bool = False) -> Row:
    """Raw redis-py; ``tuned``: PUBLISH on one kept connection, as our plugin does."""
    import redis

    r = redis.Redis.from_url(url)
    payload = b"x" * size
    counter, pong = Counter(n), threading.Event()
    ps_b, ps_a = r.pubsub(), r.pubsub()

    def b_msg(m: dict[str, object]) -> None:
        if m["channel"] == b"bench/ping":
            r.publish("bench/pong", m["data"])  # type: ignore[arg-type]
        else:
            counter.hit()

    ps_b.psubscribe(**{"bench/*": b_msg})
    ps_a.subscribe(**{"bench/pong": lambda m: pong.set()})
    tb, ta = ps_b.run_in_thread(0.05, daemon=True), ps_a.run_in_thread(0.05, daemon=True)
    time.sleep(0.3)
    conn = r.connection_pool.get_connection()

    def publish_tuned(i: int) -> None:
        conn.send_command("PUBLISH", "bench/t", payload)
        conn.read_response()

    rate, cpu = timed(publish_tuned if tuned else (lambda i: r.publish("bench/t", payload)), counter, n)
    med, p99 = pingpong(lambda: r.publish("bench/ping", payload), pong, rounds)
    for t in (tb, ta):
        t.stop()
        t.join()
    r.close()
    return "redis", "raw tuned" if tuned else "raw", rate, med, p99, cpu


def free_port_triple() -> int:
    """A port P with P, P+1, P+2 free (the zmq broker's three)."""
    for _ in range(100):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        try:
            for p in (base + 1, base + 2):
                with socket.socket() as t:
                    t.bind(("127.0.0.1", p))
            return base
        except OSError:
            continue
    raise RuntimeError("no three consecutive free ports")


# -- main ----------------------------------------------------------------------------------------


def _median_row(runs: list[Row]) -> Row:
    """One row from repeated runs: the median of each figure."""
    backend, variant = runs[0][0], runs[0][1]
    return (backend, variant, statistics.median(r[2] for r in runs), statistics.median(r[3] for r in runs),
            statistics.median(r[4] for r in runs), statistics.median(r[5] for r in runs))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backends", default="zmq,mqtt,redis,local")
    ap.add_argument("-n", type=int, default=20000, help="messages for the throughput run")
    ap.add_argument("--size", type=int, default=100, help="payload bytes")
    ap.add_argument("--rounds", type=int, default=500, help="ping-pong round trips")
    ap.add_argument("--repeat", type=int, default=5,
                    help="raw and ours run alternately this many times; medians are reported")
    ap.add_argument("--mqtt", help="mqtt://host:port (default: a mosquitto started here)")
    ap.add_argument("--redis", help="redis://host:port/db (default: a redis-server started here)")
    ap.add_argument("--no-durable", action="store_true", help="skip the durable rows")
    ap.add_argument("--no-tuned", action="store_true",
                    help="skip the 'raw tuned' twins (raw clients using the same low-level calls as ours)")
    args = ap.parse_args(argv)
    backends = args.backends.split(",")
    rows: list[Row] = []
    pair_ratios: dict[str, list[float]] = {}
    cleanup: list[Callable[[], None]] = []

    def progress(row: Row) -> None:
        print(f"  {row[0]:6} {row[1]:13} {row[2]:9.0f} msg/s {row[3]:6.0f} us {row[5]:6.2f} us CPU/msg",
              file=sys.stderr, flush=True)

    try:
        for name in backends:
            url: str | None = None
            raw: Callable[..., Row] | None = None
            if name == "zmq":
                from things_plugins.pubsub.zmq_broker import ZmqBroker

                broker = ZmqBroker("127.0.0.1", free_port_triple(), grace=0).start()
                cleanup.append(broker.stop)
                url, raw = broker.url, bench_raw_zmq
            elif name == "mqtt":
                if args.mqtt:
                    url = args.mqtt
                else:
                    from servers import start_mosquitto

                    # mosquitto leaves Nagle on by default: ~40 ms per QoS 1 round trip
                    srv = start_mosquitto()
                    cleanup.append(srv.stop)
                    url = f"mqtt://127.0.0.1:{srv.port}"
                raw = bench_raw_mqtt
            elif name == "redis":
                if args.redis:
                    url = args.redis
                else:
                    from servers import start_redis

                    srv = start_redis()
                    cleanup.append(srv.stop)
                    url = f"redis://127.0.0.1:{srv.port}/0"
                raw = bench_raw_redis
            raw_runs: list[Row] = []
            tuned_runs: list[Row] = []
            our_runs: list[Row] = []
            # Alternating, so that a burst of load from elsewhere on the machine hits both sides.
            for _ in range(max(1, args.repeat)):
                if raw is not None:
                    assert url is not None
                    raw_runs.append(raw(url, args.n, args.size, args.rounds))
                    progress(raw_runs[-1])
                    if not args.no_tuned:
                        tuned_runs.append(raw(url, args.n, args.size, args.rounds, tuned=True))
                        progress(tuned_runs[-1])
                our_runs.append(bench_ours(name, url, args.n, args.size, args.rounds))
                progress(our_runs[-1])
                if raw_runs:
                    pair_ratios.setdefault(name, []).append(raw_runs[-1][2] / our_runs[-1][2])
            if raw_runs:
                rows.append(_median_row(raw_runs))
            if tuned_runs:
                rows.append(_median_row(tuned_runs))
            rows.append(_median_row(our_runs))
            if not args.no_durable and name != "local":
                n_durable = min(args.n, 5000)
                rows.append(bench_ours(name, url, n_durable, args.size, args.rounds, durable=True))
                progress(rows[-1])
    finally:
        for stop in reversed(cleanup):
            stop()
    raw_rate = {r[0]: r[2] for r in rows if r[1] == "raw"}
    raw_cpu = {r[0]: r[5] for r in rows if r[1] == "raw"}
    print(f"\npub/sub on loopback: {args.n} messages of {args.size} bytes; {args.rounds} ping-pongs; "
          f"median of {args.repeat} alternating runs (durable rows: one run)")
    print(f"{'backend':8} {'variant':13} {'msgs/s':>10} {'raw/ours':>9} {'pairs min..max':>15} "
          f"{'CPU us/msg':>11} {'ours/raw':>9} {'rtt median':>11} {'rtt p99':>9}")
    for backend, variant, rate, med, p99, cpu in rows:
        ratio, spread, cpu_ratio = " " * 9, " " * 15, " " * 9
        if backend in raw_rate and variant == "ours":
            ratio = f"{raw_rate[backend] / rate:8.2f}x"
            pr = pair_ratios[backend]
            spread = f"{min(pr):6.2f}..{max(pr):.2f}x".rjust(15)
            cpu_ratio = f"{cpu / raw_cpu[backend]:8.2f}x"
        print(f"{backend:8} {variant:13} {rate:10.0f} {ratio} {spread} {cpu:11.2f} {cpu_ratio} "
              f"{med:9.0f}us {p99:7.0f}us")
    ours = {r[0]: r for r in rows if r[1] == "ours"}
    for r in rows:
        if r[1] == "raw tuned" and r[0] in ours:
            print(f"{r[0]}: ours against raw tuned (the layer's own cost): throughput {r[2] / ours[r[0]][2]:.2f}x, "
                  f"CPU per message {ours[r[0]][5] / r[5]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
