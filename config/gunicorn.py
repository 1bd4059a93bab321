"""gunicorn settings for production serving (`make serve`); all overridable by env vars.

The app keeps no state between requests but caches rebuilt from the database, so any
number of workers, processes and hosts can serve behind a load balancer.

Sync workers serve one request at a time, so a client sending its body slowly (or
less of it than its Content-Length says) holds one until `timeout`: serve behind a
buffering proxy, as gunicorn's documentation requires (deploy/nginx.conf), and keep
the timeouts short.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# A worker silent this long is restarted: a request may take at most this (imports
# needing longer go through manage.py import_glossary).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 20))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 2))
# Request line and headers bounded: gunicorn's defaults, stated.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 10000))
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # empty: no access log
errorlog = "-"
wsgi_app = "config.wsgi:application"
