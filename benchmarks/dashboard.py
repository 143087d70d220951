"""Benchmark: the comparison dashboard over a pilot-sized data set.

    python benchmarks/dashboard.py                      # SQLite in a temporary file
    python benchmarks/dashboard.py --database-url postgresql+psycopg://postgres@127.0.0.1/talka_bench --reset

It builds five municipalities, 100,000 residents (users), 50,000 audit events and
1,000,000 signature-like rows, then times the pages (target: under one second each).

Signatures: the benchmark always creates its own two tables, ``bench_initiatives`` and
``bench_signatures`` (1,000,000 rows, a signature joined to its initiative for the
municipality, as a real signature table is), and registers a benchmark-only metric
over them with a monthly series. When the application's metadata also has tables such
as ``initiative_signatures`` (after the features are merged), they are filled too: by a
generator from ``VOLUME_GENERATORS`` when one is registered for the table, otherwise by
a generic filler that reads the columns and foreign keys (it reports, and skips, a
table whose constraints it cannot satisfy).

The database is emptied: never point ``--database-url`` at a database you care about.
``--reset`` is required when it already has tables.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import (Column, DateTime, ForeignKey, Index, Integer, MetaData, Table, func, inspect,  # noqa: E402
                        select, text)

NOW = datetime.now(timezone.utc).replace(microsecond=0)
SPAN = timedelta(days=730)
POPULATIONS = [("kauno-rajonas", 100_000), ("taurages-rajonas", 36_000), ("jurbarko-rajonas", 25_000),
               ("birzu-rajonas", 22_000), ("zarasu-rajonas", 15_000)]

# Benchmark-only tables, outside the application's metadata (never in a migration).
BENCH = MetaData()
bench_initiatives = Table(
    "bench_initiatives", BENCH,
    Column("id", Integer, primary_key=True),
    Column("municipality_id", Integer, nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
bench_signatures = Table(
    "bench_signatures", BENCH,
    Column("id", Integer, primary_key=True),
    Column("initiative_id", Integer, ForeignKey("bench_initiatives.id"), nullable=False),
    Column("user_id", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_bench_signatures_created_initiative", "created_at", "initiative_id"),
)

# table name -> generator(connection, table, context, rows, rng, dialect).
VOLUME_GENERATORS: dict[str, Callable] = {}


def fill_signatures(conn, table, context: dict, rows: int, rng: random.Random, dialect: str) -> int:
    """The real tables: published initiatives (200 signatures each on average) and their
    signatures, one per (initiative, resident) as the UNIQUE constraint demands."""
    ids, users = context["municipality_ids"], context["user_ids"]
    weights = [p for _s, p in POPULATIONS]
    author = users[0]
    initiatives = max(1, rows // 200)
    created = [random_time(rng) for _ in range(initiatives)]
    home = [rng.choices(ids, weights)[0] for _ in range(initiatives)]
    bulk_insert(conn, "initiatives",
                ["id", "municipality_id", "author_id", "title", "summary", "body", "language", "status", "version",
                 "signature_count", "submitted_at", "published_at", "created_at", "updated_at"],
                [(i + 1, home[i], author, f"Iniciatyva {i}", "Santrauka", "Tekstas", "lt",
                  "published", 1, 0, ts(c, dialect), ts(c, dialect), ts(c, dialect), ts(c, dialect))
                 for i, c in enumerate(created)], dialect)
    per = -(-rows // initiatives)  # signatures per initiative, rounded up
    bulk_insert(conn, "signatures", ["id", "municipality_id", "initiative_id", "user_id", "show_name", "created_at"],
                ((i + 1, home[i % initiatives], i % initiatives + 1, users[((i // initiatives) * 500 + i % initiatives) % len(users)]
                  if per * 500 <= len(users) else users[i % len(users)], False, ts(random_time(rng), dialect))
                 for i in range(rows)), dialect)
    conn.execute(text("UPDATE initiatives SET signature_count = (SELECT count(*) FROM signatures "
                      "WHERE signatures.initiative_id = initiatives.id)"))
    return rows


VOLUME_GENERATORS["signatures"] = fill_signatures


def log(message: str) -> None:
    print(message, flush=True)


def random_time(rng: random.Random) -> datetime:
    return NOW - timedelta(seconds=rng.randrange(int(SPAN.total_seconds())))


def ts(value: datetime, dialect: str) -> str:
    # SQLite: SQLAlchemy's storage format; PostgreSQL: ISO with the zone.
    return value.strftime("%Y-%m-%d %H:%M:%S.000000") if dialect == "sqlite" else value.isoformat()


def bulk_insert(conn, table_name: str, columns: list[str], rows, dialect: str) -> None:
    """COPY on PostgreSQL, executemany on SQLite: a million rows in seconds."""
    raw = conn.connection.driver_connection
    if dialect == "postgresql":
        with raw.cursor() as cursor:
            with cursor.copy(f'COPY "{table_name}" ({", ".join(columns)}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        placeholders = ", ".join("?" for _ in columns)
        raw.executemany(f'INSERT INTO "{table_name}" ({", ".join(columns)}) VALUES ({placeholders})', rows)


def generate(app, args) -> dict:
    from app.extensions import db
    from app.municipalities.models import Municipality

    rng = random.Random(2026)
    dialect = db.engine.dialect.name
    context: dict = {}
    municipalities = []
    for slug, population in POPULATIONS:
        m = Municipality(slug=slug, name_lt=slug, name_en=slug, population=population, default_locale="lt",
                         locales="lt,en", signature_threshold=300, signature_period_days=90)
        db.session.add(m)
        municipalities.append(m)
    db.session.commit()
    ids = [m.id for m in municipalities]
    weights = [p for _s, p in POPULATIONS]
    context["municipality_ids"] = ids

    started = time.perf_counter()
    with db.engine.begin() as conn:
        users = []
        for i in range(args.residents):
            created = random_time(rng)
            confirmed = created + timedelta(minutes=rng.randrange(1, 600)) if rng.random() < 0.8 else None
            users.append((f"bench{i}@example.lt", f"Gyventojas {i}", "bench-no-password",
                          ts(confirmed, dialect) if confirmed else None, rng.choices(ids, weights)[0],
                          1950 + i % 60, "lt", False, True, ts(created, dialect), ts(created, dialect)))
        bulk_insert(conn, "users", ["email", "name", "password_hash", "confirmed_at", "home_municipality_id",
                                    "birth_year", "locale", "is_pilot_admin", "active", "created_at",
                                    "updated_at"], users, dialect)
        del users
        events = [(ts(random_time(rng), dialect), rng.choice(ids), "bench.action", rng.random() < 0.7)
                  for _ in range(args.residents // 2)]
        bulk_insert(conn, "audit_events", ["created_at", "municipality_id", "action", "public"], events, dialect)
    log(f"  {args.residents:,} users and {args.residents // 2:,} audit events in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    user_ids = [row[0] for row in db.session.execute(text("SELECT id FROM users")).all()]
    context["user_ids"] = user_ids
    initiatives = args.signatures // 200
    if "signatures" in db.metadata.tables:
        return _fill_app_tables(args, context, rng, dialect)
    with db.engine.begin() as conn:
        bulk_insert(conn, "bench_initiatives", ["id", "municipality_id", "created_at"],
                    [(i + 1, rng.choices(ids, weights)[0], ts(random_time(rng), dialect)) for i in range(initiatives)],
                    dialect)
        signatures = ((i + 1, rng.randrange(1, initiatives + 1), user_ids[i % len(user_ids)],
                       ts(random_time(rng), dialect)) for i in range(args.signatures))
        bulk_insert(conn, "bench_signatures", ["id", "initiative_id", "user_id", "created_at"], signatures, dialect)
    log(f"  {args.signatures:,} benchmark signatures on {initiatives:,} initiatives in "
        f"{time.perf_counter() - started:.1f} s")

    return _fill_app_tables(args, context, rng, dialect)


def _fill_app_tables(args, context: dict, rng: random.Random, dialect: str) -> dict:
    from app.extensions import db

    for table_name in args.fill:
        table = db.metadata.tables.get(table_name)
        if table is None:
            log(f"  table {table_name} is not in this application: skipped")
            continue
        started = time.perf_counter()
        try:
            with db.engine.begin() as conn:
                generator = VOLUME_GENERATORS.get(table_name, generic_fill)
                count = generator(conn, table, context, args.signatures, rng, dialect)
            log(f"  {count:,} rows in {table_name} in {time.perf_counter() - started:.1f} s")
        except Exception as error:  # a benchmark reports and carries on
            log(f"  could not generate {table_name} generically ({type(error).__name__}: {str(error)[:200]}); "
                f"register a generator in VOLUME_GENERATORS")
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))  # fresh planner statistics, as a live database has
    return context


def generic_fill(conn, table, context: dict, rows: int, rng: random.Random, dialect: str, depth: int = 0) -> int:
    """Fill ``table`` from its columns: foreign keys point at existing (or generated)
    parent rows, combined so that a UNIQUE over foreign keys holds; timestamps are
    spread over two years; other NOT NULL columns get a neutral value."""
    from sqlalchemy import Boolean, Enum, Numeric, String
    from sqlalchemy.types import JSON

    columns, makers = [], []
    fk_columns = [c for c in table.columns if c.foreign_keys]
    parent_ids: dict[str, list[int]] = {}
    for column in fk_columns:
        parent = next(iter(column.foreign_keys)).column.table
        ids = [r[0] for r in conn.execute(select(parent.primary_key.columns.values()[0])).all()]
        if not ids and depth < 2:
            generic_fill(conn, parent, context, max(rows // 200, 50), rng, dialect, depth + 1)
            ids = [r[0] for r in conn.execute(select(parent.primary_key.columns.values()[0])).all()]
        if not ids:
            raise RuntimeError(f"no rows in {parent.name}")
        parent_ids[column.name] = ids
    capacity = 1
    for ids in parent_ids.values():
        capacity *= len(ids)
    rows = min(rows, capacity) if parent_ids else rows
    for column in table.columns:
        if column.primary_key and column.autoincrement in (True, "auto") and not column.foreign_keys:
            continue
        kind = column.type
        if column.name in parent_ids:
            ids = parent_ids[column.name]
            stride = 1
            for name in list(parent_ids)[:list(parent_ids).index(column.name)]:
                stride *= len(parent_ids[name])
            makers.append(lambda i, ids=ids, stride=stride: ids[(i // stride) % len(ids)])
        elif isinstance(kind, DateTime) or "DateTime" in type(kind).__name__:
            makers.append(lambda i: ts(random_time(rng), dialect))
        elif column.nullable and column.default is None:
            continue
        elif isinstance(kind, Enum):
            makers.append(lambda i, v=kind.enums[0]: v)
        elif isinstance(kind, Boolean):
            makers.append(lambda i: False)
        elif isinstance(kind, (Integer, Numeric)):
            makers.append(lambda i: 1)
        elif isinstance(kind, JSON):
            makers.append(lambda i: "{}")
        elif isinstance(kind, String) and column.unique:
            makers.append(lambda i, n=kind.length or 40: f"b{i}"[:n])
        else:
            makers.append(lambda i: "bench")
        columns.append(column.name)
    bulk_insert(conn, table.name, columns, (tuple(make(i) for make in makers) for i in range(rows)), dialect)
    return rows


def register_bench_metric(additive: bool) -> None:
    from app.core.metrics import Metric, grouped_counts, grouped_monthly, month_bucket, register_metric

    def compute(ids, start, end):
        return grouped_counts(
            select(bench_initiatives.c.municipality_id, func.count(bench_signatures.c.id))
            .join(bench_initiatives, bench_initiatives.c.id == bench_signatures.c.initiative_id)
            .where(bench_initiatives.c.municipality_id.in_(ids), bench_signatures.c.created_at >= start,
                   bench_signatures.c.created_at < end)
            .group_by(bench_initiatives.c.municipality_id))

    def monthly(ids, start, end):
        month = month_bucket(bench_signatures.c.created_at)
        return grouped_monthly(
            select(bench_initiatives.c.municipality_id, month, func.count(bench_signatures.c.id))
            .join(bench_initiatives, bench_initiatives.c.id == bench_signatures.c.initiative_id)
            .where(bench_initiatives.c.municipality_id.in_(ids), bench_signatures.c.created_at >= start,
                   bench_signatures.c.created_at < end)
            .group_by(bench_initiatives.c.municipality_id, month))

    register_metric(Metric(key="bench.signatures", group="Benchmark", label="Signatures (benchmark table)",
                           definition="Benchmark only.", compute=compute, monthly=monthly, per_capita=True,
                           order=30, additive=additive))


def time_pages(app, pilot_id: int, repeat: int) -> list[tuple[str, float, float]]:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(pilot_id)
        session["_fresh"] = True
    results = []
    for path in ("/compare", "/compare.json", "/pilot/", "/pilot/compare.csv", "/pilot/report"):
        client.get(path)  # warm caches and templates
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)
        results.append((path, statistics.median(times), max(times)))
    return results


def time_metrics(period) -> list[tuple[str, float, float]]:
    """Seconds each metric's ``compute`` and ``monthly`` query takes, for the slow-query hunt."""
    from app.core.metrics import METRICS
    from app.municipalities.models import Municipality
    from app.extensions import db

    ids = list(db.session.execute(select(Municipality.id)).scalars())
    results = []
    for metric in METRICS:
        started = time.perf_counter()
        metric.compute(ids, period.start_utc, period.end_utc)
        middle = time.perf_counter()
        if metric.monthly:
            metric.monthly(ids, period.start_utc, period.end_utc)
        results.append((metric.key, middle - started, time.perf_counter() - middle))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--signatures", type=int, default=1_000_000)
    parser.add_argument("--fill", nargs="*", default=["signatures"],
                        help="application tables to fill with --signatures rows when they exist")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reset", action="store_true", help="drop existing tables first")
    parser.add_argument("--additive", action="store_true",
                        help="mark the signatures metric additive: its total is the sum of its months")
    parser.add_argument("--threads", type=int, default=None,
                        help="PILOT_QUERY_THREADS (default: 4 on PostgreSQL, 1 on SQLite)")
    args = parser.parse_args()

    os.environ.setdefault("TALKA_ENV", "testing")
    from app import create_app
    from app.accounts.models import User
    from app.extensions import db

    tmp = None
    url = args.database_url
    if not url:
        tmp = tempfile.mkdtemp(prefix="talka-bench-")
        url = f"sqlite:///{tmp}/bench.sqlite"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_STORAGE_URI": "memory://",
                      "WTF_CSRF_ENABLED": False, "SERVER_NAME": None,
                      "PILOT_QUERY_THREADS": args.threads})
    with app.app_context():
        existing = inspect(db.engine).get_table_names()
        if existing and not args.reset:
            sys.exit(f"{url} already has tables; pass --reset to empty it (everything in it is lost).")
        BENCH.drop_all(db.engine)
        db.drop_all()
        db.create_all()
        BENCH.create_all(db.engine)
        if "signatures" not in db.metadata.tables:
            register_bench_metric(args.additive)  # stand-in tables when initiatives are not installed
        log(f"Generating on {db.engine.dialect.name} ({url.split('@')[-1]}):")
        generate(app, args)
        pilot = User(email="pilot@example.lt", name="Pilot", password_hash="x", is_pilot_admin=True, locale="lt")
        db.session.add(pilot)
        db.session.commit()
        pilot_id = pilot.id
        log("Page times (median / worst of %d, default period: the last 12 months):" % args.repeat)
        for path, median, worst in time_pages(app, pilot_id, args.repeat):
            flag = "ok" if median < 1.0 else "SLOW"
            log(f"  {path:22} {median * 1000:7.0f} ms  {worst * 1000:7.0f} ms  {flag}")
        from app.pilot.period import default_period

        log("Query times per metric (compute / monthly):")
        for key, compute, monthly in time_metrics(default_period()):
            log(f"  {key:30} {compute * 1000:7.0f} ms  {monthly * 1000:7.0f} ms")
        db.session.remove()
        db.engine.dispose()
    if tmp:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
