# A webhook receiver for the alert lab test: HTTPS on the given address and port, every POST appended as one JSON line
# (its Idempotency-Key, whether its bearer token was the expected one, and its body) to DIR/received.jsonl.
import http.server
import json
import os
import ssl
import sys
import threading

directory, address, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(os.path.join(directory, "hook.token")) as f:
    expected = "Bearer " + f.read().strip()
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length).decode("utf-8"))
        record = {"key": self.headers.get("Idempotency-Key"), "authorized": self.headers.get("Authorization") == expected, "body": body}
        with lock, open(os.path.join(directory, "received.jsonl"), "a") as out:
            out.write(json.dumps(record) + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer((address, port), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(os.path.join(directory, "receiver.crt"), os.path.join(directory, "receiver.key"))
server.socket = context.wrap_socket(server.socket, server_side=True)
open(os.path.join(directory, "receiver.ready"), "w").close()
server.serve_forever()
