"""Signing benchmark: many distinct residents sign one initiative at once.

Runs the app under gunicorn on PostgreSQL (in a private schema of the database, so the
tests' tables are untouched), signs one initiative from N distinct users with C
concurrent keep-alive connections, and prints signatures per second, p50/p99
latency and the final count against the number of acknowledged signatures.

    .venv/bin/python benchmarks/signing.py --users 3000 --concurrency 32

Sessions are minted with the benchmark app's own secret (as the sign-in form would
produce them), so no password hashing and no sign-in rate limit stand in the way; the
password hashes of the benchmark users are one cheap argon2 hash shared by all of them.
"""
from __future__ import annotations

import argparse
import http.client
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
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
    cmd = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", worker_class, "--threads", str(threads),
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


def cpu_snapshot(server_pid: int, url: str) -> dict[str, float]:
    """CPU seconds used so far by gunicorn (master and workers) and by its PostgreSQL backends."""
    return {"server": sum(_cpu_seconds(p) for p in [server_pid, *_children(server_pid)]),
            "postgres": sum(_cpu_seconds(p) for p in _backend_pids(url)),
            "client": time.process_time()}


class Worker(threading.local):
    conn: http.client.HTTPConnection | None = None


def fire(port: int, initiative_id: int, credentials, concurrency: int):
    """Send one sign request per credential; returns (statuses, latencies in ms, wall seconds)."""
    local = Worker()
    path = f"/{SLUG}/initiatives/{initiative_id}/sign"

    def one(cred):
        _user_id, cookie, token = cred
        body = urlencode({"csrf_token": token})
        headers = {"Cookie": f"session={cookie}", "Content-Type": "application/x-www-form-urlencoded",
                   "Host": f"127.0.0.1:{port}"}
        for attempt in range(3):
            if local.conn is None:
                local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            started = time.perf_counter()
            try:
                local.conn.request("POST", path, body=body, headers=headers)
                response = local.conn.getresponse()
                response.read()
                return response.status, (time.perf_counter() - started) * 1000
            except (OSError, http.client.HTTPException):
                local.conn.close()
                local.conn = None
                if attempt == 2:
                    return 0, (time.perf_counter() - started) * 1000
        return 0, 0.0

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, credentials))
    wall = time.perf_counter() - started
    return [s for s, _ in results], [ms for _, ms in results], wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--users", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
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
        cost = {k: (after[k] - before[k]) * 1000 / acknowledged for k in after}
        total = sum(cost.values())
        print(f"CPU per signature    server {cost['server']:.1f} ms + PostgreSQL {cost['postgres']:.1f} ms "
              f"+ load generator {cost['client']:.1f} ms = {total:.1f} ms")
        print(f"                     -> ceiling on 2 otherwise idle cores ≈ {2000 / total:.0f} signatures/s "
              f"(load average now {os.getloadavg()[0]:.1f})")
    ok = acknowledged == count == rows and again.count(303) == 0 and transitions == 1
    print("RESULT               " + ("OK: no signature lost or doubled" if ok else "MISMATCH"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
