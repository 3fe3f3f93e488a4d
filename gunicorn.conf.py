"""gunicorn's settings for Accord: `gunicorn -c gunicorn.conf.py wsgi:app` (gunicorn also
reads this file by itself when started from the repository's root).

Every value can be changed from the environment, for one host or all:
ACCORD_BIND (default 127.0.0.1:8000: the reverse proxy on the same host is the only
client), ACCORD_WORKERS (default 2 × cores + 1), ACCORD_THREADS (default 1),
ACCORD_GRACEFUL_TIMEOUT (default 30 s), ACCORD_TIMEOUT (default 60 s),
ACCORD_DATABASE_CONNECTIONS (each worker's, default two per core in all, at least one).
"""

import math
import multiprocessing
import os

bind = os.environ.get("ACCORD_BIND", "127.0.0.1:8000")

# Processes rather than threads: a request's time is Python work (SQLAlchemy, Jinja) that
# the GIL lets only one thread of a process do at a time, so threads add waiting, not
# speed. One request per process also bounds the database connections: a process holds
# one, so a host needs about `workers` connections of PostgreSQL's max_connections
# (100 by default; count every host). 2 × cores + 1 keeps each core busy while another
# process waits on the database. Synchronous workers need a buffering proxy in front
# (nginx buffers by default), so that a slow client ties up nginx, not a worker.
workers = int(os.environ.get("ACCORD_WORKERS", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("ACCORD_THREADS", 1))

# A worker's threads share its connections to PostgreSQL: about two per core in all, at
# least one a worker. More transactions under way at once only wait on each other inside
# PostgreSQL (README, "Registering a position under load"); a thread that finds its
# worker's all in use waits for one.
os.environ.setdefault(
    "ACCORD_DATABASE_CONNECTIONS", str(math.ceil(2 * multiprocessing.cpu_count() / workers))
)

# The application is built once in the master and the workers forked from it: less memory,
# and a broken configuration stops the start instead of looping through failing workers.
preload_app = True

# Each request's line on stdout, beside the application's errors on stderr.
accesslog = "-"
errorlog = "-"
# The proxy's address, the client's as the proxy passed it, and the time taken (µs).
access_log_format = '%(h)s %({x-forwarded-for}i)s %(t)s "%(r)s" %(s)s %(b)s %(D)sus'

# On a deploy or SIGTERM a worker finishes the requests it has before it stops.
graceful_timeout = int(os.environ.get("ACCORD_GRACEFUL_TIMEOUT", 30))
# A worker silent for this long is killed and replaced (closing a very large round may
# take seconds; it commits or rolls back whole either way).
timeout = int(os.environ.get("ACCORD_TIMEOUT", 60))

# Accord needs no control socket, and two gunicorns on one host would share its default
# path. (A setting that an older gunicorn does not know is ignored.)
control_socket_disable = True

# The scheduler never runs in a web worker: create_app never starts it (only `accord
# serve` and `accord scheduler` do). Said here too, for whoever reads the environment.
os.environ["ACCORD_SCHEDULER"] = "off"


def post_fork(server, worker):  # type: ignore[no-untyped-def]
    """A forked worker must not share the master's database connections (create_app opens
    none today; an extension might): it forgets them, without closing the master's."""
    app = server.app.callable  # the application preload_app built in the master
    if app is None:
        return  # not preloaded: each worker builds its own application and connections
    from decisions.db import db

    with app.app_context():
        db.engine.dispose(close=False)
