"""gunicorn settings for one app instance; several instances run behind nginx (deploy/nginx/).

Read from the environment so that one file serves every instance: systemd's `aifabriek@.service`
gives each its port, `make serve-prod` and the system test give theirs.
"""

import sys
from pathlib import Path

# gunicorn reads this file before it puts the project on the import path: the project's own
# reader of the environment names a mistyped value instead of starting with a wrong one.
PROJECT = str(Path(__file__).resolve().parent.parent)
if PROJECT not in sys.path:
    sys.path.insert(0, PROJECT)

from aifabriek.env import env_choice, env_int, env_text  # noqa: E402

# One instance per port; nginx spreads requests over them and skips one that is down.
bind = env_text("GUNICORN_BIND", "127.0.0.1:8001")
workers = env_int("WEB_CONCURRENCY", 2, minimum=1)
# Threads keep a worker answering while one request waits on the database, and let nginx keep
# connections open to the instance (the sync worker closes every connection).
worker_class = "gthread"
threads = env_int("GUNICORN_THREADS", 4, minimum=1)

# A request that takes longer than this is cut off and its worker replaced (0: never).
timeout = env_int("GUNICORN_TIMEOUT", 30, minimum=0)
# On SIGTERM (systemctl stop, an upgrade) requests under way get this long to finish.
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30, minimum=0)
# Longer than nginx keeps an idle upstream connection (keepalive_timeout 60s in the site), so
# nginx always closes first and never sends a request down a connection gunicorn is closing.
keepalive = 75

# nginx logs every request; the app logs what it needs itself. Errors go to stderr (the journal).
accesslog = None
errorlog = "-"
loglevel = env_choice(
    "GUNICORN_LOG_LEVEL", "info", ["debug", "info", "warning", "error", "critical"]
)
proc_name = "aifabriek"

# Only nginx on this machine may say which client and scheme a request came from.
# gunicorn checks these addresses itself.
forwarded_allow_ips = env_text("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
