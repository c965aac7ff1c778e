"""A complete receiver on Python's standard library: GUILDMINT_WEBHOOK_SECRET=whsec_... python3 server.py [port]

Answers 204 to a delivery that verifies and 401 to any other; prints each new event as one JSON line.
"""

import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from webhook import handle


def main() -> None:
    secret = os.environ["GUILDMINT_WEBHOOK_SECRET"]  # whsec_...

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw_body = self.rfile.read(int(self.headers.get("content-length", 0)))
            status, event = handle(secret, raw_body, dict(self.headers))
            if event is not None:
                print(json.dumps({"id": self.headers["webhook-id"], **event}), flush=True)
            self.send_response(status)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass  # standard output carries the events alone

    # One request at a time: `handle`'s once-per-id check needs no lock.
    server = HTTPServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0), Receiver)
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
