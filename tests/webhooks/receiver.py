"""
A webhook receiver on this machine, as an employer's system would run one: an HTTP server
in a thread, on a free port, that verifies each signature with the Standard Webhooks
library (not our code) and answers with the statuses it is told to, in turn.
"""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError

from bpp.webhooks.models import new_secret


@dataclass
class Received:
    headers: dict
    body: bytes
    verified: bool

    @property
    def payload(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    secret: str
    # The statuses of the next answers, in turn; then 204 (or 400 for a bad signature).
    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    redirect_to: str = ""


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {key.lower(): value for key, value in self.headers.items()}
            try:
                Webhook(receiver.secret).verify(body, headers)
                verified = True
            except WebhookVerificationError:
                verified = False
            receiver.received.append(Received(headers=headers, body=body, verified=verified))
            status = receiver.answers.pop(0) if receiver.answers else (204 if verified else 400)
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", receiver.redirect_to or "/ailleurs")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass  # quiet tests

    return Handler


def start() -> tuple[Receiver, ThreadingHTTPServer]:
    receiver = Receiver(url="", secret=new_secret())
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/webhooks"
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return receiver, server
