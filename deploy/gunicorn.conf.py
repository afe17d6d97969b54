"""Gunicorn for one application server of 2–4 cores: `gunicorn -c deploy/gunicorn.conf.py`.

A request here spends most of its time in Python (the ORM building SQL and the templates),
which holds the GIL, and the rest waiting for the database. So there are processes for the
cores, two per core so that one waits for the database while the other runs, and a few threads
in each, which overlap only the waiting. Measured with benchmarks/load.py (100 users, SQLite,
2 cores shared with other work): the CPU time per request was the same within the noise for
2×2, 2×4, 3×2 and 4×4 processes × threads (43–49 ms), so threads cost nothing measurable,
while fewer requests in flight left more of them queueing (2×2: 11 requests/s, 2×4: 18,
3×2: 27, 4×4: 34 on the same machine). Hence 4 processes × 4 threads on 2 cores, 8 × 4 on 4,
at about 150 MB per process. Each thread keeps its database connection open between requests
(IK_DB_CONN_MAX_AGE), on SQLite too, whose new connections parse the whole schema first; a
pool (psycopg_pool) would only share those connections between threads, at a checkout per
request. Every setting can be changed by the environment variable named beside it.
"""

import gc
import json
import multiprocessing
import os

wsgi_app = "internkontroll.wsgi:application"
bind = os.environ.get("IK_WEB_BIND", "0.0.0.0:8000")

workers = int(os.environ.get("IK_WEB_WORKERS", 2 * multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("IK_WEB_THREADS", "4"))
# Heartbeat files in memory, not on a disk that may stall (and is read-only in containers);
# Gunicorn makes them with unguessable names and unlinks them at once.
SHARED_MEMORY = "/dev/shm"  # noqa: S108
worker_tmp_dir = SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None

# Large reports are made by the worker; a small one, or a page, takes well under a second.
# A request still running after this is stuck: its process is replaced.
timeout = int(os.environ.get("IK_WEB_TIMEOUT", "60"))
graceful_timeout = 30
# Longer than the load balancer's idle timeout, so the balancer, not Gunicorn, closes idle
# connections (else a request can meet a connection just closed: a 502).
keepalive = int(os.environ.get("IK_WEB_KEEPALIVE", "75"))
# A process is replaced after this many requests, so memory a large PDF took is given back.
max_requests = 2000
max_requests_jitter = 200

# The load balancer's address: only it may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("IK_WEB_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker: object) -> None:
    """Tune Python's cycle collector for a process that serves requests.

    A request makes and drops tens of thousands of objects, nearly all freed by reference
    counting; with the default threshold (700) the collector still ran a young-generation pass
    every few hundred allocations: 4 % of the CPU time of benchmarks/load.py's mix of pages
    (measured in one process with gc.callbacks), 2 % with a pass every 10,000 objects (larger
    thresholds made each pass dearer). What the process loaded at start (Django, the templates)
    is frozen out of the collector's sight: it lives as long as the process.
    """
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("IK_LOG_LEVEL", "warning").lower()
if os.environ.get("IK_LOG_FORMAT") == "json":
    access_log_format = json.dumps(
        {
            "time": "%(t)s",
            "logger": "gunicorn.access",
            "method": "%(m)s",
            "path": "%(U)s",
            "status": "%(s)s",
            "bytes": "%(B)s",
            "duration_ms": "%(M)s",
            "client": "%({x-forwarded-for}i)s",
        }
    )
else:
    access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms'
