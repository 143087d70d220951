"""Signing benchmark: many distinct residents sign one initiative at once.

Runs the app under gunicorn on PostgreSQL (in a private schema of the database, so the
tests' tables are untouched), signs one initiative from N distinct users with C
concurrent keep-alive connections, and prints signatures per second, p50/p99
latency and the final count against the number of acknowledged signatures.

    .venv/bin/python benchmarks/signing.py --users 3000 --concurrency 24 --workers 3 --threads 4

Sessions are minted with the benchmark app's own secret (as the sign-in form would
produce them), so no password hashing and no sign-in rate limit stand in the way; the
password hashes of the benchmark users are one cheap argon2 hash shared by all of them.
"""
from __future__ import annotations

import argparse
import http.client
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BENCH_SECRET, DEFAULT_URL, ROOT, drop_schema, fresh_schema, make_app, percentile  # noqa: E402

SCHEMA = "bench_signing"
SLUG = "bench-rajonas"


def seed(app, users: int, required: int) -> tuple[int, list[tuple[int, str, str]]]:
    """Create a municipality, ``users`` confirmed residents and one published initiative;
    return the initiative id and (user id, session cookie, CSRF token) for each user."""
    from datetime import timedelta

    from argon2 import PasswordHasher
    from flask import g, session
    from flask_wtf.csrf import generate_csrf
    from sqlalchemy import insert

    from app.accounts.models import User
    from app.core.models import utcnow
    from app.extensions import db
    from app.initiatives.models import Initiative
    from app.municipalities.models import Municipality

    with app.app_context():
        m = Municipality(slug=SLUG, name_lt="Bandomoji savivaldybė", name_en="Benchmark municipality",
                         population=1_000_000, signature_threshold=required, signature_period_days=90)
        db.session.add(m)
        db.session.flush()
        cheap_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("benchmark")
        now = utcnow()
        db.session.execute(insert(User), [
            {"email": f"bench{n}@example.lt", "name": f"Gyventojas {n}", "password_hash": cheap_hash,
             "confirmed_at": now, "home_municipality_id": m.id, "locale": "lt", "is_pilot_admin": False,
             "active": True, "created_at": now, "updated_at": now} for n in range(users + 1)])
        author_id = db.session.execute(db.select(User.id).order_by(User.id).limit(1)).scalar()
        initiative = Initiative(municipality_id=m.id, author_id=author_id, title="Apšviesti taką prie mokyklos",
                                summary="Benchmark", body="Benchmark", status="published", language="lt",
                                submitted_at=now, decided_at=now, published_at=now, required_signatures=required,
                                signature_deadline=now + timedelta(days=30))
        db.session.add(initiative)
        db.session.commit()
        ids = db.session.execute(db.select(User.id).where(User.id != author_id).order_by(User.id)).scalars().all()
        serializer = app.session_interface.get_signing_serializer(app)
        credentials = []
        for user_id in ids:
            with app.test_request_context("/"):
                g.pop("csrf_token", None)  # the app context is shared: generate a token per session
                session["_user_id"] = str(user_id)
                session["_fresh"] = True
                token = generate_csrf()
                credentials.append((user_id, serializer.dumps(dict(session)), token))
        return initiative.id, credentials


def start_gunicorn(url: str, port: int, workers: int, threads: int, log: Path,
                   worker_class: str = "gthread") -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=url + "&application_name=talka-bench", SECRET_KEY=BENCH_SECRET, TALKA_ENV="production",
               TRUSTED_HOSTS="127.0.0.1,localhost", PUBLIC_URL=f"http://127.0.0.1:{port}")
    cmd = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
           "-w", str(workers), "-k", worker_class, "--threads", str(threads),
           "-b", f"127.0.0.1:{port}", "--keep-alive", "30", "--backlog", "2048", "app:create_app()"]
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", f"/{SLUG}/")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn did not start; see {log}")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return pids


def _backend_pids(url: str) -> list[int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        pids = conn.execute(text("SELECT pid FROM pg_stat_activity WHERE application_name = 'talka-bench' "
                                 "AND pid <> pg_backend_pid()")).scalars().all()
    engine.dispose()
    return list(pids)


def _machine_seconds() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine so far, from /proc/stat (Linux)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return 0.0, 0.0
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK"), sum(fields) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(server_pid: int, url: str) -> dict[str, float]:
    """CPU seconds used so far by gunicorn (master and workers), by its PostgreSQL backends,
    by this load generator, and by the whole machine."""
    busy, everything = _machine_seconds()
    return {"server": sum(_cpu_seconds(p) for p in [server_pid, *_children(server_pid)]),
            "postgres": sum(_cpu_seconds(p) for p in _backend_pids(url)),
            "client": time.process_time(), "machine_busy": busy, "machine_all": everything}


def _requests(port: int, path: str, credentials) -> list[bytes]:
    """Each user's sign request, encoded once before the clock starts."""
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n").encode()
    requests = []
    for _user_id, cookie, token in credentials:
        body = urlencode({"csrf_token": token}).encode()
        requests.append(b"%sCookie: session=%s\r\nContent-Length: %d\r\n\r\n%s"
                        % (head, cookie.encode(), len(body), body))
    return requests


class _Connection:
    """One keep-alive connection of the load generator and the request it waits on."""

    __slots__ = ("sock", "buffer", "index", "started", "attempt")

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = bytearray()
        self.index = -1
        self.started = 0.0
        self.attempt = 0


def _response(buffer: bytearray) -> tuple[int, int, bytes, bool] | None:
    """(status, length of the whole response, Location, whether the server closes) once
    ``buffer`` holds a complete response; None while it is incomplete. A response
    without Content-Length (never sent by the app) counts as no answer (status 0)."""
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        return None
    lines = bytes(buffer[:end]).split(b"\r\n")
    try:
        status = int(lines[0].split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0, len(buffer), b"", True
    length, location, close = None, b"", False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"location":
            location = value.strip()
        elif name == b"connection":
            close = value.strip().lower() == b"close"
    if length is None:
        return 0, len(buffer), b"", True
    total = end + 4 + length
    return (status, total, location, close) if len(buffer) >= total else None


def fire(port: int, initiative_id: int, credentials, concurrency: int):
    """Send one sign request per credential over ``concurrency`` keep-alive connections;
    returns (statuses, latencies in ms, wall seconds).

    One thread drives every connection through a selector, with each request encoded
    beforehand: a thread per connection with http.client cost the load generator about
    twice the CPU, taken from the same two cores as the server. Every response is read
    whole and checked: a 303 must send the resident to the initiative's page (else it
    counts as no answer, status 0). A connection that fails before any answer is opened
    again and the request sent again (at most three times in all).
    """
    path = f"/{SLUG}/initiatives/{initiative_id}"
    requests = _requests(port, path + "/sign", credentials)
    statuses = [0] * len(requests)
    latencies = [0.0] * len(requests)
    queue = iter(range(len(requests)))
    selector = selectors.DefaultSelector()

    def send(conn: _Connection, index: int, attempt: int = 0) -> None:
        conn.index, conn.attempt = index, attempt
        conn.started = time.perf_counter()
        conn.sock.sendall(requests[index])

    def open_and_send(index: int, attempt: int = 0) -> None:
        """Request ``index`` on a new connection."""
        try:
            conn = _Connection(port)
        except OSError:
            failed(index, attempt)
            return
        selector.register(conn.sock, selectors.EVENT_READ, conn)
        try:
            send(conn, index, attempt)
        except OSError:
            close(conn)
            failed(index, attempt)

    def failed(index: int, attempt: int) -> None:
        """No answer on this try: again on a new connection, or give the request up
        (its status stays 0, and the other connections take the rest of the queue)."""
        if attempt < 2:
            open_and_send(index, attempt + 1)

    def close(conn: _Connection) -> None:
        selector.unregister(conn.sock)
        conn.sock.close()

    started = time.perf_counter()
    for _ in range(min(concurrency, len(requests))):
        open_and_send(next(queue))
    while selector.get_map():
        events = selector.select(timeout=30)
        if not events:
            break  # nothing for 30 s: what is still open counts as unanswered
        for key, _mask in events:
            conn = key.data
            try:
                data = conn.sock.recv(65536)
            except OSError:
                data = b""
            if not data:  # the server closed or reset the connection
                close(conn)
                latencies[conn.index] = (time.perf_counter() - conn.started) * 1000
                if not conn.buffer:
                    failed(conn.index, conn.attempt)
                elif (index := next(queue, None)) is not None:  # half an answer: not sent again
                    open_and_send(index)
                continue
            conn.buffer += data
            answer = _response(conn.buffer)
            if answer is None:
                continue
            status, length, location, server_closes = answer
            latencies[conn.index] = (time.perf_counter() - conn.started) * 1000
            statuses[conn.index] = 0 if status == 303 and not location.endswith(path.encode()) else status
            del conn.buffer[:length]
            index = next(queue, None)
            if server_closes or index is None:
                close(conn)
                if index is not None:
                    open_and_send(index)
                continue
            try:
                send(conn, index)
            except OSError:
                close(conn)
                failed(index, 0)
    wall = time.perf_counter() - started
    for key in list(selector.get_map().values()):
        key.fileobj.close()
    return statuses, latencies, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--users", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=24)
    # On 2 cores 3 workers × 4 threads used the least CPU per signature of the shapes
    # tried (2×8, 2×12, 3×6, 4×2, 4×4) while still keeping both cores busy.
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class (gthread or sync)")
    parser.add_argument("--port", type=int, default=5191)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark schema afterwards")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="talka-bench-"))
    url = fresh_schema(args.database_url, SCHEMA)
    required = args.users // 2  # the threshold is crossed in the middle of the run
    print(f"Seeding {args.users} residents and one initiative (threshold {required}) in schema {SCHEMA}…")
    app = make_app(url, tmp)
    initiative_id, credentials = seed(app, args.users, required)
    with app.app_context():
        from app.extensions import db
        db.engine.dispose()
    log = tmp / "gunicorn.log"
    print(f"Starting gunicorn: {args.workers} {args.worker_class} workers × {args.threads} threads (log: {log})")
    server = start_gunicorn(url, args.port, args.workers, args.threads, log, args.worker_class)
    try:
        # a short warm-up with 20 extra GETs so every worker has imported and connected
        for _ in range(20):
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5)
            conn.request("GET", f"/{SLUG}/initiatives/{initiative_id}")
            conn.getresponse().read()
        print(f"Signing with {args.concurrency} concurrent connections…")
        before = cpu_snapshot(server.pid, url)
        statuses, latencies, wall = fire(args.port, initiative_id, credentials, args.concurrency)
        after = cpu_snapshot(server.pid, url)
        acknowledged = statuses.count(303)
        # Every user again: each must be refused (409) and nothing counted twice.
        repeat = credentials[: min(300, len(credentials))]
        again, _lat, _wall = fire(args.port, initiative_id, repeat, args.concurrency)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT count(*) FROM signatures WHERE initiative_id = :i"),
                            {"i": initiative_id}).scalar()
        count, status = conn.execute(text("SELECT signature_count, status FROM initiatives WHERE id = :i"),
                                     {"i": initiative_id}).one()
        transitions = conn.execute(text("SELECT count(*) FROM audit_events WHERE action = "
                                        "'initiative.threshold_reached'")).scalar()
    engine.dispose()
    if not args.keep:
        drop_schema(args.database_url, SCHEMA)

    others = {code: statuses.count(code) for code in sorted(set(statuses)) if code != 303}
    print()
    print(f"requests             {len(statuses)} in {wall:.2f} s")
    print(f"signatures/s         {acknowledged / wall:.0f}")
    print(f"latency p50 / p99    {percentile(latencies, 50):.1f} ms / {percentile(latencies, 99):.1f} ms"
          f"   (max {max(latencies):.1f} ms)")
    print(f"acknowledged (303)   {acknowledged}   other answers: {others or 'none'}")
    print(f"final count          {count}   rows: {rows}   status: {status}   threshold transitions: {transitions}")
    print(f"repeat signatures    {len(again)} sent, {again.count(409)} refused with 409, "
          f"{again.count(303)} accepted")
    if acknowledged:
        used = {k: after[k] - before[k] for k in after}
        cost = {k: used[k] * 1000 / acknowledged for k in ("server", "postgres", "client")}
        total = sum(cost.values())
        print(f"CPU per signature    server {cost['server']:.1f} ms + PostgreSQL {cost['postgres']:.1f} ms "
              f"+ load generator {cost['client']:.1f} ms = {total:.1f} ms")
        print(f"                     -> ceiling on 2 otherwise idle cores ≈ {2000 / total:.0f} signatures/s "
              f"(load average now {os.getloadavg()[0]:.1f})")
        if used["machine_all"]:
            rest = used["machine_busy"] - sum(used[k] for k in ("server", "postgres", "client"))
            print(f"machine while signing {used['machine_busy'] / used['machine_all']:.0%} busy; everything else "
                  f"(other programs, PostgreSQL's own processes, the kernel) {rest / wall:.2f} cores")
    ok = acknowledged == count == rows and again.count(303) == 0 and transitions == 1
    print("RESULT               " + ("OK: no signature lost or doubled" if ok else "MISMATCH"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
