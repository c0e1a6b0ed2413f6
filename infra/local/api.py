"""``chalice local`` with room for a burst of connections: ``python -m infra.local.api local ...``.

chalice local's threaded server keeps socketserver's listen backlog of 5, so a page
(or a benchmark) that opens dozens of requests at once has some connections reset
before a thread could take them. Same command, same server, a longer backlog.
"""

from __future__ import annotations

import sys

from chalice import local
from chalice.cli import main

LISTEN_BACKLOG = 128

if __name__ == "__main__":
    local.ThreadedHTTPServer.request_queue_size = LISTEN_BACKLOG
    sys.exit(main())
