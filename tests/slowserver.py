"""A tiny HTTP server that never finishes its answer: for killing a process mid-fetch.

Prints its URL on the first line, then serves until terminated (at most 5 minutes).
"""

from __future__ import annotations

import http.server
import threading
import time


class Slow(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        for _ in range(120):
            try:
                self.wfile.write(b" ")
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.5)

    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    print(f"http://127.0.0.1:{server.server_address[1]}/slow.xml", flush=True)
    threading.Timer(300, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
