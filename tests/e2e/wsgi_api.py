"""manila-api for the end-to-end stack: manila's WSGI application under a threaded ``wsgiref`` server.

Run as ``python wsgi_api.py PORT_FILE --config-file manila.conf``. It listens on a free port of 127.0.0.1
and writes that port to PORT_FILE once it accepts connections. ``manila.wsgi.api`` reads its configuration
from ``sys.argv``, hence the arguments are handed over before it is imported. (The ``manila-api`` script
itself refuses to run without eventlet.)
"""

from __future__ import annotations

import os
import signal
import sys
from socketserver import ThreadingMixIn
from types import FrameType
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class RequestHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Silent: manila logs every request itself, and the log's tail is what a failure shows."""


def main() -> int:
    port_file = sys.argv[1]
    sys.argv = [sys.argv[0], *sys.argv[2:]]
    from manila.wsgi.api import application

    httpd = make_server(
        "127.0.0.1", 0, application, server_class=ThreadingWSGIServer, handler_class=RequestHandler
    )

    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    partial = f"{port_file}.part"
    with open(partial, "w") as out:
        out.write(str(httpd.server_port))
    os.replace(partial, port_file)  # the reader never sees half a number
    try:
        httpd.serve_forever(poll_interval=0.2)
    finally:
        httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
