"""Rasa's socket.io channel, refusing pages from other origins.

Rasa builds its socket.io server with CORS handling switched off, so any web
page a person visits could open a socket to the assistant from their browser.
Browsers don't apply CORS to WebSockets, so the origin has to be checked by
the server: engine.io does that when given the allowed origins.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint


def allowed_origins() -> list[str] | None:
    """AMMA_CORS_ORIGINS (space-separated); unset means the server's own origin only."""
    origins = os.environ.get("AMMA_CORS_ORIGINS", "").split()
    return origins or None


class OriginCheckedSocketIOInput(SocketIOInput):
    """socket.io for the chat page only (configured in credentials.yml)."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        assert self.sio is not None  # set by super().blueprint
        engine = self.sio.eio
        engine.cors_allowed_origins = allowed_origins()
        # The server's --cors (Sanic-CORS) already adds the CORS headers to
        # polling responses; engine.io adding its own would send them twice,
        # which browsers reject.
        engine._cors_headers = lambda environ: []
        return blueprint
