"""gunicorn settings for Discretion (`gunicorn -c python:discretion.gunicorn_conf discretion.wsgi`).

Every value comes from the environment, so the compose file, the systemd unit and
`discretion serve` share this one file.
"""

from __future__ import annotations

import os

bind = os.environ.get("DISCRETION_BIND", "127.0.0.1:8000")
# Sync workers: each request is CPU (templates) plus short database round trips. Two per core
# keeps a core busy while the other worker waits on PostgreSQL (bench/bench_load.py).
workers = int(os.environ.get("DISCRETION_WEB_WORKERS", str(2 * (os.cpu_count() or 1))))
worker_class = "sync"
# Load the application in the master first: a refusal (discretion.safety) then stops the server
# at once instead of every worker failing to boot in turn.
preload_app = True
timeout = int(os.environ.get("DISCRETION_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (bounds any slow leak).
max_requests = 5000
max_requests_jitter = 500
# Behind the council's TLS proxy: only these addresses may say a request came over HTTPS.
forwarded_allow_ips = os.environ.get("DISCRETION_FORWARDED_ALLOW_IPS", "127.0.0.1")
# The access log names the path only: a query string (a search for a child's name) and the
# referrer never reach a log (no names or notes in logs: ids only).
accesslog = os.environ.get("DISCRETION_ACCESS_LOG", "-") or None
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("DISCRETION_WEB_LOG_LEVEL", "info").lower()
proc_name = "discretion-web"
# gunicorn's control socket is one per user by default; several servers (nodes on one host, the
# test suite) would fight over it, and nothing here uses it.
control_socket_disable = True
