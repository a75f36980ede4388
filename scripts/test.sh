#!/usr/bin/env bash
# The test command: set everything up and run every test (unit, knowledge
# base, training-data validation, rasa conversation tests, REST end-to-end).
# Tools log to logs/; the console gets summaries. Safe to re-run.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_venv
ensure_web_assets
# Debian's chromium for the web chat's browser test (Playwright drives it; test
# tools' own browser downloads don't work offline), nginx for the scale-out test.
ensure_debian_package chromium chromium
ensure_debian_package nginx nginx-light || true  # without it that test skips, naming it
cd "$ROOT"
# pytest trains the model once per session (skipped when nothing changed) and
# drives `rasa data validate`, `rasa test` and live servers from fixtures.
say "Running the test suite (logs in logs/)"
"$VENV/bin/python" -m pytest "$@"
