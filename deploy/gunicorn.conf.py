"""gunicorn settings for one app instance; several instances run behind nginx (deploy/nginx/).

Read from the environment so that one file serves every instance: systemd's `aifabriek@.service`
gives each its port, `make serve-prod` and the system test give theirs.
"""

import os

# One instance per port; nginx spreads requests over them and skips one that is down.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads keep a worker answering while one request waits on the database, and let nginx keep
# connections open to the instance (the sync worker closes every connection).
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# A request that takes longer than this is cut off and its worker replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM (systemctl stop, an upgrade) requests under way get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Longer than nginx keeps an idle upstream connection (keepalive_timeout 60s in the site), so
# nginx always closes first and never sends a request down a connection gunicorn is closing.
keepalive = 75

# nginx logs every request; the app logs what it needs itself. Errors go to stderr (the journal).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "aifabriek"

# Only nginx on this machine may say which client and scheme a request came from.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
