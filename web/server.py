"""The web chat's one local web server: the chat page, its scripts, the point
diagrams (GET /points/<CODE>.svg) and the page's settings (GET /config.json).

    python -m web.server --port 8080 --rasa-url http://127.0.0.1:5005

The page talks to the Rasa server's socket.io channel directly (that server
allows this page's origin with --cors). Every file is local: the socket.io
client is copied from its npm package into web/dist by scripts/lib.sh
(ensure_web_assets), so nothing is fetched at run time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from amma.diagrams import check_point_diagrams, get_views, render_point_svg
from amma.knowledge_base import get_knowledge_base
from amma.names import Intent
from amma.point_finder import DEFAULT_DIAGRAM_URL, DIAGRAM_URL_ENV
from amma.red_flags import get_red_flag_rules
from amma.wording import first_sentence, get_wording

WEB = Path(__file__).resolve().parent
STATIC = WEB / "static"
DIST = WEB / "dist"
HOST_ENV, PORT_ENV, RASA_URL_ENV = "AMMA_WEB_HOST", "AMMA_WEB_PORT", "AMMA_RASA_URL"
DEFAULT_PORT = 8080
DEFAULT_RASA_URL = "http://127.0.0.1:5005"

# Only these files are served: a fixed table, so no path can reach outside web/.
FILES: dict[str, tuple[Path, str]] = {
    "/": (STATIC / "index.html", "text/html; charset=utf-8"),
    "/index.html": (STATIC / "index.html", "text/html; charset=utf-8"),
    "/static/app.js": (STATIC / "app.js", "text/javascript; charset=utf-8"),
    "/static/style.css": (STATIC / "style.css", "text/css; charset=utf-8"),
    "/static/socket.io.min.js": (DIST / "socket.io.min.js", "text/javascript; charset=utf-8"),
}
_POINT = re.compile(r"^/points/([A-Za-z0-9]+)\.svg$")


def _dial_links() -> list[dict[str, str]]:
    """Every number in the contacts, with the link that dials it (or texts it, for
    a text-only line), longest first so "116 123" wins over a shorter number."""
    links: dict[str, str] = {}
    for contact in get_red_flag_rules().contacts.values():
        for number in (contact.emergency, contact.urgent):
            if number:
                links[number] = "tel:"
        for line in contact.crisis:
            if "call" in line.by:
                links[line.number] = "tel:"
            else:
                links.setdefault(line.number, "sms:")
    ordered = sorted(links, key=len, reverse=True)
    return [{"number": n, "href": links[n] + n.replace(" ", "")} for n in ordered]


# After "time's up" the page waits this long, then asks for the next step itself:
# time to release and find the next point, short enough to keep the rhythm.
ADVANCE_SECONDS = 5


@lru_cache(maxsize=4)
def page_config(rasa_url: str) -> dict[str, Any]:
    """What the page needs to know, all from the knowledge base and amma/names.py,
    so the page hard-codes no intent, number or sentence.

    The bot marks neither an emergency reply nor the end of a routine in a
    machine-readable way, so the page recognises them by their sentences from
    knowledge/ (red_flags.yml's openings and check questions, wording.yml's
    "guided" messages); the server sends them here so they can't drift apart.
    """
    words = get_wording()
    kinds = get_red_flag_rules().kinds.values()
    return {
        "rasaUrl": rasa_url,
        "intents": {
            name: f"/{intent}"
            for name, intent in {
                "pause": Intent.ROUTINE_PAUSE,
                "resume": Intent.ROUTINE_RESUME,
                "skip": Intent.ROUTINE_SKIP,
                "stop": Intent.ROUTINE_STOP,
                "next": Intent.ROUTINE_NEXT,
            }.items()
        },
        "dial": _dial_links(),
        "urgentStarts": sorted({first_sentence(k.opening) for k in kinds}),
        "checkStarts": sorted({first_sentence(k.check) for k in kinds}),
        "timesUp": [words.say("guided.times_up"), words.say("guided.times_up_last")],
        "advanceSeconds": ADVANCE_SECONDS,
        "routineOver": [
            first_sentence(words.say(key))
            for key in ("guided.stopped", "guided.last_step", "guided.none_left", "guided.no_routine")
        ],
    }


def diagram_origin() -> str:
    """Where the bot's diagram links point (AMMA_DIAGRAM_URL), for the page's CSP."""
    parts = urlsplit(os.environ.get(DIAGRAM_URL_ENV, DEFAULT_DIAGRAM_URL))
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(rasa_url: str) -> str:
    """Scripts and styles from this server only, and connections only to the Rasa
    server: a message that smuggled HTML in still could not run anything."""
    rasa = urlsplit(rasa_url)
    socket = f"{'wss' if rasa.scheme == 'https' else 'ws'}://{rasa.netloc}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src 'self' data: {diagram_origin()}; connect-src 'self' {rasa_url} {socket}; "
        "object-src 'none'; base-uri 'none'; form-action 'none'"
    )


def make_handler(rasa_url: str) -> type[BaseHTTPRequestHandler]:
    class ChatHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            path = self.path.split("?")[0]
            if path in FILES:
                file, kind = FILES[path]
                if not file.exists():  # the build step (ensure_web_assets) has not run
                    self.send_error(503, f"{file.name} is missing: run `make run` to build the page")
                    return
                self._send(file.read_bytes(), kind, cache="no-cache")
            elif path == "/config.json":
                body = json.dumps(page_config(rasa_url)).encode()
                self._send(body, "application/json", cache="no-cache")
            elif match := _POINT.match(path):
                point = get_knowledge_base().points.get(match.group(1))
                if point is None:
                    self.send_error(404, "No such point diagram")
                    return
                self._send(render_point_svg(point, get_views()).encode(), "image/svg+xml", cache="max-age=3600")
            else:
                self.send_error(404, "Not found")

        def _send(self, body: bytes, kind: str, cache: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", cache)
            self.send_header("X-Content-Type-Options", "nosniff")
            if kind.startswith("text/html"):
                self.send_header("Content-Security-Policy", content_security_policy(rasa_url))
                self.send_header("Referrer-Policy", "no-referrer")
            else:
                # Diagrams are embedded by other sites' widgets too.
                self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # quiet: errors show in the page
            pass

    return ChatHandler


def make_server(host: str, port: int, rasa_url: str = DEFAULT_RASA_URL) -> ThreadingHTTPServer:
    kb = get_knowledge_base()
    check_point_diagrams(kb, get_views())  # fail at start, not on a user's request
    page_config(rasa_url)
    return ThreadingHTTPServer((host, port), make_handler(rasa_url))


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve Amma's web chat and point diagrams")
    parser.add_argument("--host", default=os.environ.get(HOST_ENV, "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get(PORT_ENV, DEFAULT_PORT)))
    parser.add_argument("--rasa-url", default=os.environ.get(RASA_URL_ENV, DEFAULT_RASA_URL))
    args = parser.parse_args()
    server = make_server(args.host, args.port, args.rasa_url)
    print(f"Serving the web chat on http://{args.host}:{server.server_address[1]}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
