"""The web chat's server: the page and its scripts, every point as SVG, the
page's settings, and nothing else."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from web.server import make_server

SVG = "{http://www.w3.org/2000/svg}"
RASA_URL = "http://127.0.0.1:5999"


@pytest.fixture(scope="module")
def web_url():
    server = make_server("127.0.0.1", 0, RASA_URL)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def get(url: str):
    return urllib.request.urlopen(url, timeout=5)


def test_server_serves_each_point_as_svg(kb, web_url):
    for code in kb.points:
        with get(f"{web_url}/points/{code}.svg") as response:
            assert response.headers["Content-Type"] == "image/svg+xml"
            assert ET.fromstring(response.read()).tag == f"{SVG}svg"


@pytest.mark.parametrize(
    "path", ["/points/XX99.svg", "/static/../server.py", "/static/server.py", "/..%2fserver.py", "/config.yml"]
)
def test_server_404s_anything_else(web_url, path):
    with pytest.raises(urllib.error.HTTPError) as error:
        get(f"{web_url}{path}")
    assert error.value.code == 404


def test_page_loads_only_local_scripts_under_a_strict_policy(web_url):
    with get(f"{web_url}/") as response:
        page = response.read().decode()
        policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "connect-src 'self' http://127.0.0.1:5999 ws://127.0.0.1:5999" in policy
    assert "http" not in page.replace('"/static/', "")  # no CDN: every asset comes from this server
    assert 'aria-live="polite"' in page


def test_settings_carry_the_numbers_that_dial_and_the_rasa_address(web_url):
    with get(f"{web_url}/config.json") as response:
        config = json.loads(response.read())
    assert config["rasaUrl"] == RASA_URL
    links = {d["number"]: d["href"] for d in config["dial"]}
    # Hand-written from the services' own pages: Shout takes texts only.
    expected = {
        "911": "tel:911",
        "988": "tel:988",
        "999": "tel:999",
        "111": "tel:111",
        "116 123": "tel:116123",
        "85258": "sms:85258",
        "112": "tel:112",
        "000": "tel:000",
        "13 11 14": "tel:131114",
    }
    assert links == expected
    assert config["intents"]["pause"] == "/routine_pause" and config["intents"]["stop"] == "/routine_stop"
    assert "Please stop the self-care for now." in config["urgentStarts"]
