"""`studyguide serve SOURCE [--port N] [--host H] [--open]`: the preview, served until Ctrl-C.

It listens on 127.0.0.1 unless `--host` names another address, binds its port
itself so that a port in use is one line and exit 1, and builds into a
temporary folder of its own, removed when it stops: nothing goes into
`dist/`. Ctrl-C stops it with one line and exit 130 (`signals.py`), after
Uvicorn has closed the connections and the sheet's build has stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import signal
import socket
import sys
import tempfile
import webbrowser
from pathlib import Path

import uvicorn

from exporter.build import signals
from exporter.preview.app import create_app
from exporter.preview.session import Session

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
STOPPED = {signal.SIGINT: "interrupted; the preview stopped (nothing was written into dist/).",
           signal.SIGTERM: "terminated; the preview stopped (nothing was written into dist/)."}


class PortInUse(Exception):
    pass


def serve(source: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, open_browser: bool = False) -> int:
    signals.describe_stop(STOPPED)
    if not source.is_file():
        print(f"error: {source}: no such file", file=sys.stderr)
        return 1
    try:
        listening = _listen(host, port)
    except PortInUse as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    address = _address(listening)
    with listening, tempfile.TemporaryDirectory(prefix="studyguide-preview-") as folder:
        session = Session(source, Path(folder), print_line=lambda line: print(line, flush=True))
        config = uvicorn.Config(create_app(session), log_level="warning", access_log=False, lifespan="on",
                                timeout_graceful_shutdown=3)
        server = _Server(config, session)
        print(f"serving the preview of {source} at {address} (Ctrl-C to stop)", flush=True)
        if open_browser:
            webbrowser.open(address)
        server.run(sockets=[listening])
    return 0


class _Server(uvicorn.Server):
    """Uvicorn's server, which also ends the pages' event streams at once when asked to stop,
    so that the shutdown need not wait for them."""

    def __init__(self, config: uvicorn.Config, session: Session):
        super().__init__(config)
        self.session = session

    def handle_exit(self, sig, frame) -> None:
        super().handle_exit(sig, frame)
        with contextlib.suppress(RuntimeError):  # no loop yet: nothing is streaming
            asyncio.get_running_loop().call_soon_threadsafe(self.session.closed.set)


def _listen(host: str, port: int) -> socket.socket:
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                                flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as error:
        raise PortInUse(f"cannot listen on {host}: {error.strerror}") from None
    listening = socket.socket(family, kind, protocol)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind(address)
        listening.listen(128)
    except OSError as error:
        listening.close()
        if error.errno == errno.EADDRINUSE:
            raise PortInUse(f"port {port} on {host} is in use; choose another with --port") from None
        raise PortInUse(f"cannot listen on {host} port {port}: {error.strerror}") from None
    listening.set_inheritable(True)
    return listening


def _address(listening: socket.socket) -> str:
    host, port = listening.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"
