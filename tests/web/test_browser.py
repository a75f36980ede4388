"""The web chat in a real browser: Debian's headless Chromium, driven by
Playwright, on the page web/server.py serves, talking to the live Rasa server
over socket.io. Holds are shortened only by AMMA_TIME_SCALE (tests/conftest.py).
Screenshots go to logs/screenshots/."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import LOGS, ROOT, TEST_TIME_SCALE, RasaServers
from web.server import make_server

pytestmark = pytest.mark.rasa

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = LOGS / "screenshots"
BOT = "#log li.message.bot"


@pytest.fixture(scope="module")
def page_url(rasa_servers: RasaServers) -> Iterator[str]:
    if not (ROOT / "web" / "dist" / "socket.io.min.js").exists():
        pytest.fail("web/dist is missing: the test command builds it (scripts/lib.sh ensure_web_assets)")
    server = make_server("127.0.0.1", rasa_servers.web_port, rasa_servers.url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{rasa_servers.web_port}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("no /usr/bin/chromium: the test command installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


def open_chat(browser, url: str, **context):
    page = browser.new_context(**context).new_page()
    page.goto(url)
    page.wait_for_selector("body[data-connected=yes]", timeout=30_000)
    return page


def say(page, text: str) -> None:
    page.fill("#message", text)
    page.press("#message", "Enter")


def last_bot_text(page) -> str:
    return page.locator(BOT).last.inner_text()


def mark(page) -> int:
    """How many items the conversation shows: wait for what comes after it."""
    return page.locator("#log > li").count()


def wait_for_bot(page, pattern: str, since: int = 0, timeout: float = 30_000):
    """The text of the first bot message after item ``since`` matching ``pattern`` (a regular expression)."""
    newer = page.locator(f"#log > li:nth-child(n+{since + 1}).bot .text")
    locator = newer.filter(has_text=re.compile(pattern)).first
    locator.wait_for(timeout=timeout)
    return locator


def wait_for_card(page, number: int, since: int):
    """The countdown card of step ``number``, shown after item ``since``."""
    card = page.locator(f"#log > li:nth-child(n+{since + 1}).timer").filter(has_text=f"Step {number} of").first
    card.wait_for(timeout=30_000)
    return card


def click_answer(page, title: str) -> None:
    page.locator("#log .quick-replies button:not([disabled])", has_text=re.compile(f"^{title}$")).last.click()


def screen_with_buttons(page) -> None:
    """Answer the headache check and the screening by clicking "No", until the offer to guide."""
    for _ in range(10):
        page.wait_for_function(
            "() => document.querySelector('#log li.message:last-child .quick-replies button:not([disabled])')",
            timeout=30_000,
        )
        if "guide you through" in last_bot_text(page):
            click_answer(page, "Yes, guide me")
            return
        click_answer(page, "No")
    pytest.fail("the screening did not end in an offer to guide")


def clock_seconds(card) -> int:
    text = card.locator(".clock").inner_text()
    match = re.match(r"(\d+) s", text)
    assert match, f"countdown shows {text!r}"
    return int(match.group(1))


def test_a_whole_routine_clicked_through_in_the_browser(browser, page_url, kb):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = open_chat(browser, page_url, viewport={"width": 1280, "height": 900})
    page.click("details.settings summary")
    page.check("#opt-chime")  # the chime is off until turned on, and remembered
    page.click("details.settings summary")

    say(page, "my skull is throbbing since lunch")
    assert page.locator("#typing").is_visible() or page.locator(BOT).count() > 0
    wait_for_bot(page, "not medical advice")
    screen_with_buttons(page)
    wait_for_bot(page, "On a scale of 0")
    n = mark(page)
    say(page, "5")

    # Step 1: a card with the point's diagram and a ring that runs down.
    step = wait_for_bot(page, r"^Step 1 of \d+", n).inner_text()
    card = wait_for_card(page, 1, n)
    code = step.split(": ", 1)[1].split(" ")[0]
    assert code in card.inner_text()
    assert card.locator(f"img[src='/points/{code}.svg']").evaluate("img => img.complete && img.naturalWidth > 0")
    first = clock_seconds(card)
    assert first > 0
    page.wait_for_timeout(1200)
    assert clock_seconds(card) < first
    page.screenshot(path=str(SHOTS / "mid-routine.png"))

    # The server pushes "time's up" over socket.io; the card shows it and chimes.
    wait_for_bot(page, "^Time's up", n, timeout=(kb.points[code].hold_seconds * TEST_TIME_SCALE + 20) * 1000)
    assert card.get_attribute("data-state") == "over"
    assert card.locator(".clock").inner_text() == "Time's up"
    assert int(page.locator("#log").get_attribute("data-chimes") or 0) >= 1
    # Nobody taps "Next" (eyes closed): the page says the next step is coming, then it comes.
    assert re.match(r"Next step in \d s", card.locator(".advance").inner_text())
    card = wait_for_card(page, 2, n)
    assert page.locator("#log li.user").last.inner_text().endswith("Next")
    assert page.locator("#log li.timer").nth(0).get_attribute("data-state") == "ended"

    # Skip from the card: the next step gets its own countdown.
    n = mark(page)
    card.get_by_role("button", name="Skip").click()
    wait_for_bot(page, "skipping", n)
    wait_for_card(page, 3, n)
    assert page.locator("#log li.timer").count() == 3

    # A reload keeps the conversation, the countdown and the server's session:
    # the routine it stops is the one still running on the server.
    before_reload = mark(page)
    page.reload()
    page.wait_for_selector("body[data-connected=yes]", timeout=30_000)
    assert mark(page) == before_reload
    card = page.locator("#log li.timer").last
    assert card.get_attribute("data-state") in ("running", "over")
    n = mark(page)
    card.get_by_role("button", name="Stop").click()
    wait_for_bot(page, "stopped the routine", n)
    assert card.get_attribute("data-state") == "ended"

    # Start again, pause at once (the ring stops), resume with the time that was left.
    n = mark(page)
    say(page, "let us begin the whole thing again from the top")
    card = wait_for_card(page, 1, n)
    card.get_by_role("button", name="Pause").click()
    assert card.get_attribute("data-state") == "paused"
    wait_for_bot(page, "^Paused, with", n)
    held = card.locator(".clock").inner_text()
    page.wait_for_timeout(1000)
    assert card.locator(".clock").inner_text() == held and "paused" in held
    n = mark(page)
    card.get_by_role("button", name="Resume").click()
    wait_for_bot(page, "seconds that were left", n)
    card = wait_for_card(page, 1, n)
    assert card.get_attribute("data-state") in ("running", "over")

    # "Wait here" when the hold ends: the routine stays on this step until asked.
    wait_for_bot(page, "^Time's up", n, timeout=(kb.points[code].hold_seconds * TEST_TIME_SCALE + 20) * 1000)
    n = mark(page)
    card.get_by_role("button", name="Wait here").click()
    page.wait_for_timeout(6_500)
    assert mark(page) == n and card.locator(".advance").count() == 0
    assert card.get_attribute("data-state") == "over"

    # A red flag mid-routine: an unmissable reply whose numbers dial.
    n = mark(page)
    say(page, "my headache is 10/10 and came on in a split second")
    urgent = page.locator(f"#log > li:nth-child(n+{n + 1}).urgent").first
    urgent.wait_for(timeout=30_000)
    assert urgent.get_attribute("role") == "alert"
    dial = urgent.locator("a.dial").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "tel:911" in dial and "tel:999" in dial
    assert urgent.locator("ul > li").count() >= 4  # the contacts as a list, one line per country
    assert page.locator("#urgent-banner").is_visible()
    assert page.locator("#log li.timer").last.get_attribute("data-state") == "ended"
    page.screenshot(path=str(SHOTS / "emergency.png"))
    page.context.close()


def test_help_on_a_phone_shows_every_complaint_as_a_button(browser, page_url):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = open_chat(browser, page_url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    say(page, "what are the things you can help me with")
    wait_for_bot(page, "trouble sleeping")
    buttons = page.locator("#log li.message:last-child .quick-replies button")
    buttons.last.wait_for(timeout=30_000)
    assert buttons.count() == 11
    assert buttons.last.is_visible() and buttons.last.inner_text() == "Period pain"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the buttons wrap
    page.screenshot(path=str(SHOTS / "help.png"), full_page=True)
    buttons.nth(1).click()  # "Trouble sleeping" starts its screening
    wait_for_bot(page, "safety questions")


def test_phone_width_keyboard_only_and_a_server_restart(browser, page_url, rasa_servers):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = open_chat(browser, page_url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    assert page.locator("#log").get_attribute("aria-live") == "polite"

    page.keyboard.type("my skull is throbbing since lunch")  # the message box has the focus
    page.keyboard.press("Enter")
    wait_for_bot(page, "not medical advice")
    page.wait_for_function(
        "() => document.querySelector('#log li.message:last-child .quick-replies button:not([disabled])')",
        timeout=30_000,
    )
    page.focus("#message")
    page.keyboard.press("Shift+Tab")  # back from the message box to the newest answer buttons
    focused = page.evaluate("document.activeElement.closest('.quick-replies') !== null")
    assert focused, "the answer buttons can't be reached by keyboard"
    title = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.locator("#log li.message.user", has_text=title).last.wait_for(timeout=10_000)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(SHOTS / "phone.png"))

    # The server goes away: the page says so, reconnects by itself and carries on.
    rasa_servers.stop_all()
    page.locator("#connection").wait_for(state="visible", timeout=30_000)
    assert "Can't reach Amma" in page.locator("#connection").inner_text()
    rasa_servers.start_actions()
    rasa_servers.start_rasa()
    page.wait_for_selector("body[data-connected=yes]", timeout=120_000)
    assert page.locator("#connection").is_hidden()
    # Markup in a message is shown as the characters typed, never run.
    n = mark(page)
    say(page, '<img src=x onerror="document.title=1"> <b>no</b>')
    page.locator(f"#log > li:nth-child(n+{n + 1}).bot").first.wait_for(timeout=30_000)
    mine = page.locator("#log li.user").last
    assert "<img src=x" in mine.inner_text() and mine.locator("img, b").count() == 0
    assert page.title() != "1"
    page.context.close()
