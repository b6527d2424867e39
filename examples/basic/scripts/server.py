"""A static file server with a health check and a graceful shutdown endpoint, for the basic example."""

import argparse
import http.server
import threading


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--directory", default=".")
    options = parser.parse_args()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=options.directory, **kwargs)

        def do_GET(self):
            if self.path == "/health":
                self._reply(b"ok\n")
            else:
                super().do_GET()

        def do_POST(self):
            if self.path == "/shutdown":
                self._reply(b"shutting down\n")
                threading.Thread(target=server.shutdown).start()
            else:
                self.send_error(404)

        def _reply(self, body: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
    print(f"serving {options.directory} on http://127.0.0.1:{options.port}", flush=True)
    server.serve_forever()
    print("stopped", flush=True)


if __name__ == "__main__":
    main()
