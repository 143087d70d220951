"""gunicorn settings for Talka: `gunicorn -c gunicorn.conf.py 'app:create_app()'`.

Command-line options override these (benchmarks/signing.py passes its own workers and
threads). TALKA_BIND, TALKA_WORKERS and TALKA_THREADS override the defaults below.
"""
import gc
import os

bind = os.environ.get("TALKA_BIND", "127.0.0.1:8000")
worker_class = "gthread"
# 3 processes x 4 threads kept both cores of a 2-core machine busiest in the signing benchmark
workers = int(os.environ.get("TALKA_WORKERS", "3"))
threads = int(os.environ.get("TALKA_THREADS", "4"))
keepalive = 30


def post_worker_init(worker):
    """Once the app is loaded in a worker: leave its long-lived objects (modules, templates,
    metadata) out of every later garbage collection, and collect the youngest generation
    less often, since each request allocates thousands of short-lived objects."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(7000, 20, 20)
