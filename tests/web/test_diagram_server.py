"""The diagram server: every point as SVG, 404 for anything else."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from web.diagram_server import make_server

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def diagram_url():
    server = make_server("127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_server_serves_each_point_as_svg(kb, diagram_url):
    for code in kb.points:
        with urllib.request.urlopen(f"{diagram_url}/points/{code}.svg", timeout=5) as response:
            assert response.headers["Content-Type"] == "image/svg+xml"
            assert ET.fromstring(response.read()).tag == f"{SVG}svg"


def test_server_404s_unknown_points(diagram_url):
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{diagram_url}/points/XX99.svg", timeout=5)
    assert error.value.code == 404
