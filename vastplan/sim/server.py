"""The simulator over HTTP or HTTPS (``vastplan sim serve``), for other programs and other VMS clients.

A ``ThreadingHTTPServer``: every connection has its own thread, so one slow request (or injected latency)
never holds up another; with a certificate and key it speaks TLS, the handshake happening in the
connection's thread. A ``drop_after_commit`` fault closes the socket without an answer. Binds to 127.0.0.1
unless told otherwise.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType
from typing import Any

from vastplan.sim.errors import SimServerError, SimStateFileError
from vastplan.sim.http import SimResponse, internal_error, json_response
from vastplan.sim.simulator import Simulator

log = logging.getLogger(__name__)

HANDSHAKE_TIMEOUT = 10.0
IDLE_TIMEOUT = 60.0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT
    # Headers and body leave in separate writes; with Nagle's algorithm on, a kept-alive client's next
    # request then waits for a delayed ACK (about 40 ms a request).
    disable_nagle_algorithm = True
    server: _SimHTTPServer

    def do_GET(self) -> None:  # the name http.server dispatches to
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _serve(self) -> None:
        body = self._read_body()
        host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_port}"
        url = f"{self.server.scheme}://{host}{self.path}"
        answer = self._answer(url, body)
        if answer.dropped:
            # The request was committed; the client sees the connection break with no answer.
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    def _answer(self, url: str, body: bytes | None) -> SimResponse:
        try:
            return self.server.simulator.handle(self.command, url, dict(self.headers.items()), body)
        except SimStateFileError as exc:
            return json_response(500, {"detail": str(exc)})
        except Exception as exc:  # noqa: BLE001 - a simulator bug must still answer
            return internal_error(exc)

    def _read_body(self) -> bytes | None:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else None

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines carry no credential (those travel in headers), but keep them out of stderr anyway.
        log.debug("%s - " + format, self.address_string(), *args)


class _SimHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, address: tuple[str, int], simulator: Simulator, context: ssl.SSLContext | None
    ) -> None:
        self.simulator = simulator
        self.context = context
        self.scheme = "https" if context else "http"
        super().__init__(address, _Handler)

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        if self.context is not None:
            # Handshake later, in the connection's own thread (finish_request): a slow client must not
            # hold up the accept loop.
            sock = self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def finish_request(self, request: Any, client_address: Any) -> None:
        if isinstance(request, ssl.SSLSocket):
            try:
                request.settimeout(HANDSHAKE_TIMEOUT)
                request.do_handshake()
            except (OSError, ssl.SSLError) as exc:
                log.debug("TLS handshake with %s failed: %s", client_address, exc)
                return
        super().finish_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # socketserver calls this inside its exception handler, so exc_info is the connection's error.
        log.debug("connection from %s ended with an error", client_address, exc_info=True)  # noqa: LOG014


class SimServer:
    """A running (or ready) simulator server. ``url`` is ``http(s)://127.0.0.1:PORT``."""

    def __init__(self, httpd: _SimHTTPServer) -> None:
        self._httpd = httpd
        self._thread: threading.Thread | None = None
        self._serving = False

    def __repr__(self) -> str:
        return f"SimServer({self.url!r})"

    def __enter__(self) -> SimServer:  # noqa: PYI034 - typing.Self needs Python 3.11
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    @property
    def simulator(self) -> Simulator:
        return self._httpd.simulator

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        host = str(self._httpd.server_address[0])
        if host in ("0.0.0.0", "::"):
            host = "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        return f"{self._httpd.scheme}://{host}:{self.port}"

    def start(self) -> SimServer:
        """Serve in a background (daemon) thread; for tests and embedding."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self.serve_forever, name="vastplan-sim-server", daemon=True
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._serving = True
        try:
            self._httpd.serve_forever(poll_interval=0.05)
        finally:
            self._serving = False

    def shutdown(self) -> None:
        """Stop serving and release the port."""
        if self._serving:
            self._httpd.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    state_file: str | os.PathLike[str] | None = None,
    cert: str | os.PathLike[str] | None = None,
    key: str | os.PathLike[str] | None = None,
    *,
    simulator: Simulator | None = None,
) -> SimServer:
    """A server bound to ``host:port`` (0 picks a free port), not yet serving: call ``start()`` or
    ``serve_forever()``. ``state_file`` persists the cluster (as ``sim://FILE`` does); ``cert`` and ``key``
    (PEM files) turn on HTTPS; ``simulator`` serves an existing in-process simulator instead."""
    if (cert is None) != (key is None):
        raise SimServerError("HTTPS needs both a certificate and a key (--cert PEM --key PEM)")
    if simulator is None:
        simulator = Simulator.open_file(state_file) if state_file is not None else Simulator()
    context = None
    if cert is not None and key is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        try:
            context.load_cert_chain(os.fspath(cert), os.fspath(key))
        except (OSError, ssl.SSLError) as exc:
            raise SimServerError(
                f"cannot load certificate {os.fspath(cert)} with key {os.fspath(key)}: {exc}"
            ) from exc
    try:
        httpd = _SimHTTPServer((host, port), simulator, context)
    except OSError as exc:
        raise SimServerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return SimServer(httpd)


def run_serve(
    host: str = "127.0.0.1",
    port: int = 0,
    state_file: str | os.PathLike[str] | None = None,
    cert: str | os.PathLike[str] | None = None,
    key: str | os.PathLike[str] | None = None,
) -> int:
    """``vastplan sim serve``: print ``vastplan simulator listening on URL`` (flushed, so a parent process can
    read the port) and serve until SIGINT or SIGTERM; then stop cleanly and return 0."""
    server = serve(host, port, state_file, cert, key)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.start()
        print(f"vastplan simulator listening on {server.url}", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
