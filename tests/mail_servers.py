"""
Mail servers on 127.0.0.1 for tests that send real SMTP with Django's smtp backend: one that accepts
connections and never says a word (a mail server that hangs), and a working sink (aiosmtpd) that
keeps what it receives.
"""

import socket
import threading

from aiosmtpd.controller import Controller


class SilentSMTPServer:
    """Accepts every connection and then says nothing, not even the SMTP greeting; counts connections."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.connections = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:  # closed
                return
            self.connections.append(connection)  # kept open, and silent

    def close(self):
        self.socket.close()
        for connection in self.connections:
            connection.close()


class _Keeper:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted"


class SMTPSink:
    """A working SMTP server; `messages` are the envelopes received (mail_from, rcpt_tos, content)."""

    def __init__(self):
        self.port = free_port()
        self.keeper = _Keeper()
        self.controller = Controller(self.keeper, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    @property
    def messages(self):
        return self.keeper.messages

    def close(self):
        self.controller.stop()


def free_port():
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]
