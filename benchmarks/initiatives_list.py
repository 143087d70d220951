"""List benchmark: 10,000 initiatives in one municipality, time the public list pages.

Seeds a private PostgreSQL schema (the tests' tables are untouched), then requests the
list through the app (in process, so the figure is the app's own time per page, without
network) with the filters, search and sorts people use, and prints milliseconds per page.

    .venv/bin/python benchmarks/initiatives_list.py --initiatives 10000
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_URL, drop_schema, fresh_schema, make_app  # noqa: E402

SCHEMA = "bench_list"
WORDS = ("takas", "apšvietimas", "biblioteka", "stotelė", "aikštelė", "ežeras", "pilis", "parkas",
         "mokykla", "dviračių", "suoliukai", "paplūdimys", "bendruomenės", "namai", "kelias", "tiltas")
STATUSES = ["published"] * 5 + ["threshold_reached", "answered", "rejected", "expired", "withdrawn"]


def seed(app, count: int) -> None:
    from sqlalchemy import insert

    from app.accounts.models import User
    from app.core.models import utcnow
    from app.extensions import db
    from app.initiatives.models import Category, Initiative
    from app.municipalities.models import Municipality

    rng = random.Random(7)
    with app.app_context():
        m = Municipality(slug="bench-rajonas", name_lt="Bandomoji savivaldybė", name_en="Benchmark municipality",
                         population=100_000, signature_threshold=500, signature_period_days=90)
        db.session.add(m)
        db.session.flush()
        author = User(email="autorius@example.lt", name="Autorius", password_hash="x", home_municipality_id=m.id,
                      locale="lt")
        db.session.add(author)
        categories = [Category(municipality_id=m.id, name_lt=f"Kategorija {n}", name_en=f"Category {n}",
                               position=n) for n in range(8)]
        db.session.add_all(categories)
        db.session.flush()
        now = utcnow()
        rows = []
        for n in range(count):
            status = rng.choice(STATUSES)
            published = now - timedelta(days=rng.randint(0, 700), minutes=n)
            words = " ".join(rng.choice(WORDS) for _ in range(4))
            rows.append({
                "municipality_id": m.id, "author_id": author.id, "category_id": rng.choice(categories).id,
                "language": "lt", "title": f"Iniciatyva {n}: {words}", "summary": f"Santrauka apie {words}.",
                "body": "Tekstas " * 50, "status": status, "version": 1,
                "signature_count": rng.randint(0, 800), "required_signatures": 500,
                "signature_deadline": published + timedelta(days=90), "submitted_at": published,
                "decided_at": published, "published_at": None if status == "rejected" else published,
                "created_at": published, "updated_at": published,
            })
        for start in range(0, count, 2000):
            db.session.execute(insert(Initiative), rows[start:start + 2000])
        db.session.commit()
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--initiatives", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    url = fresh_schema(args.database_url, SCHEMA)
    app = make_app(url, Path(tempfile.mkdtemp(prefix="talka-bench-")))
    print(f"Seeding {args.initiatives} initiatives in schema {SCHEMA}…")
    seed(app, args.initiatives)
    client = app.test_client()
    pages = {
        "newest, page 1": "/bench-rajonas/initiatives/",
        "newest, page 200": "/bench-rajonas/initiatives/?page=200",
        "most signed": "/bench-rajonas/initiatives/?sort=signed",
        "closing soon": "/bench-rajonas/initiatives/?sort=closing",
        "open, category": "/bench-rajonas/initiatives/?status=open&category=3",
        "search 'biblioteka'": "/bench-rajonas/initiatives/?q=biblioteka",
        "search + sort + status": "/bench-rajonas/initiatives/?q=ežeras&status=answered&sort=signed",
    }
    print(f"\n{'page':28} {'median ms':>10} {'max ms':>8}")
    worst = 0.0
    for name, path in pages.items():
        client.get(path)  # warm the caches once
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        median = statistics.median(timings)
        worst = max(worst, median)
        print(f"{name:28} {median:10.1f} {max(timings):8.1f}")
    print(f"\nslowest median page: {worst:.1f} ms (target: under 100 ms)")
    with app.app_context():
        from app.extensions import db
        db.engine.dispose()
    if not args.keep:
        drop_schema(args.database_url, SCHEMA)


if __name__ == "__main__":
    main()
