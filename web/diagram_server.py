"""Serves the point diagrams: GET /points/<CODE>.svg.

    python -m web.diagram_server --port 5056

Chat widgets load the `image` URL the bot sends (AMMA_DIAGRAM_URL, default
http://localhost:5056/points). Drawings are rendered from the knowledge base
on each request; it's a handful of small SVGs, so no cache is needed.
"""

from __future__ import annotations

import argparse
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from amma.diagrams import check_point_diagrams, get_views, render_point_svg
from amma.knowledge_base import get_knowledge_base

_PATH = re.compile(r"^/points/([A-Za-z0-9]+)\.svg$")


class DiagramHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        match = _PATH.match(self.path.split("?")[0])
        point = get_knowledge_base().points.get(match.group(1)) if match else None
        if point is None:
            self.send_error(404, "No such point diagram")
            return
        body = render_point_svg(point, get_views()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "image/svg+xml")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "public, max-age=3600")
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet by default
        pass


def make_server(host: str, port: int) -> ThreadingHTTPServer:
    check_point_diagrams(get_knowledge_base(), get_views())  # fail at start, not on a user's request
    return ThreadingHTTPServer((host, port), DiagramHandler)


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve acupressure point diagrams as SVG")
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=5056)
    args = parser.parse_args()
    server = make_server(args.host, args.port)
    print(f"Serving point diagrams on http://{args.host}:{args.port}/points/<CODE>.svg")
    server.serve_forever()


if __name__ == "__main__":
    main()
