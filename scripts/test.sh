#!/usr/bin/env bash
# The test command: set everything up and run every test (unit, knowledge
# base, training-data validation, rasa conversation tests, REST end-to-end).
# Tools log to logs/; the console gets summaries. Safe to re-run.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_venv
ensure_web_assets
ensure_chromium
cd "$ROOT"
# pytest trains the model once per session (skipped when nothing changed) and
# drives `rasa data validate`, `rasa test` and live servers from fixtures.
say "Running the test suite (logs in logs/)"
"$VENV/bin/python" -m pytest "$@"
