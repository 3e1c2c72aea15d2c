"""A webhook receiver for the tests: a local HTTP server, in a thread, that answers as it is told."""

import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict
    body: bytes


class Receiver:
    """
    Listens on 127.0.0.1 (a free port) and records each request. It answers with `statuses` in turn
    (the last one again once they run out), or, with `hang=True`, never answers until it is closed.
    """

    def __init__(self, statuses=(200,), hang=False):
        self.statuses = list(statuses)
        self.hang = hang
        self.received = []
        self.closing = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                receiver.received.append(Received(dict(self.headers), self.rfile.read(length)))
                if receiver.hang:
                    receiver.closing.wait(30)
                    return
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                answer = f"answered {status}".encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()


def refused_url():
    """A URL on 127.0.0.1 where nothing listens: a connection to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks/"
