"""The demo service: answers every HTTP request with the name of the node it runs on."""
import http.server
import sys

bind, port, node = sys.argv[1], int(sys.argv[2]), sys.argv[3]
body = (node + "\n").encode()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer((bind, port), Handler).serve_forever()
