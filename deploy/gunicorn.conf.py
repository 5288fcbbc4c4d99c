"""gunicorn settings for rural-cars (docs/operations.md): `gunicorn -c deploy/gunicorn.conf.py`.

Two synchronous workers suit the 2-core machines volunteer groups rent: pages are quick, and a
coordinator's "Plan now" runs in the scheduler, not in a worker. Requests slower than the
timeout are cut so one stuck client cannot hold a worker.
"""

import os

wsgi_app = "web:create_app()"
bind = os.environ.get("RURAL_CARS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("RURAL_CARS_WORKERS", "2"))
worker_class = "sync"
timeout = 60
graceful_timeout = 30
# Restart workers now and then so a slow leak never becomes an outage.
max_requests = 2000
max_requests_jitter = 200
# Only the TLS proxy on this machine may set X-Forwarded-*.
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"
errorlog = "-"
