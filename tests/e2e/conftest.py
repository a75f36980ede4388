"""Every end-to-end test also fails when either server logged a traceback
during it: a reply can look right while an action crashed behind it."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def no_server_tracebacks(request, rasa_servers):
    sizes = rasa_servers.log_sizes()
    yield
    if request.node.get_closest_marker("allows_tracebacks"):
        return
    tracebacks = rasa_servers.tracebacks_since(sizes)
    assert not tracebacks, "a server logged a traceback during this test:\n" + "\n\n".join(tracebacks)
